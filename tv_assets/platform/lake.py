"""The lake: payloads exactly as received, one folder per source, dataset and partition.

Keys are hive-style, `raw/<source>/<dataset>/partition_date=YYYY-MM-DD/<file>`, so engines can prune
by partition. Writes are atomic: a reader sees the old object or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

import dagster as dg


def partition_key(source: str, dataset: str, day: str, filename: str, area: str = "raw") -> str:
    """The lake key of one file of one partition; `day` must be an ISO date (it becomes a path)."""
    date.fromisoformat(day)  # refuses anything that is not YYYY-MM-DD, so no key escapes its folder
    return f"{area}/{source}/{dataset}/partition_date={day}/{filename}"


def check_key(key: str) -> str:
    """A relative, normalized key: no empty, `.` or `..` segments, so no key escapes its prefix."""
    parts = key.split("/")
    if key.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"lake key {key!r} is not a relative, normalized path")
    return key


@dataclass(frozen=True)
class LakeObject:
    key: str
    size: int
    last_modified: datetime  # UTC


class Lake(dg.ConfigurableResource):
    """Interface: one implementation per object store (`LocalLake`; `S3Lake` in `tv_assets.platform.s3`)."""

    def put(self, key: str, data: bytes) -> str:
        """Write `data` at `key` atomically, replacing what was there; return the object's URI."""
        raise NotImplementedError

    def put_file(self, key: str, path: Path) -> str:
        """Write the local file at `path` to `key` atomically, streamed (a large payload is never in memory)."""
        raise NotImplementedError

    def get(self, key: str) -> bytes:
        raise NotImplementedError

    def get_file(self, key: str, path: Path) -> Path:
        """Copy the object at `key` to the local file `path`, streamed (a large archive is never in memory)."""
        raise NotImplementedError

    def sha256(self, key: str) -> str:
        """The SHA-256 (hex) of the object at `key`, read streamed."""
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        raise NotImplementedError

    def uri(self, key: str) -> str:
        """Where an engine (DuckDB, a Snowflake stage) reads the object."""
        raise NotImplementedError

    def list(self, prefix: str) -> list[LakeObject]:
        """Every object under `prefix` (a folder, ending in `/`), with its size and last-modified time."""
        raise NotImplementedError


class LocalLake(Lake):
    """A folder on local disk (the embedded default, `./data/lake`)."""

    root: str

    def _path(self, key: str) -> Path:
        path = (Path(self.root) / check_key(key)).resolve()
        if not path.is_relative_to(Path(self.root).resolve()):
            raise ValueError(f"lake key {key!r} leaves the lake root")
        return path

    def put(self, key: str, data: bytes) -> str:
        return self._write(key, lambda handle: handle.write(data))

    def put_file(self, key: str, path: Path) -> str:
        with open(path, "rb") as source:
            return self._write(key, lambda handle: shutil.copyfileobj(source, handle, 1 << 20))

    def _write(self, key: str, fill: Callable[[BinaryIO], object]) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with open(tmp, "wb") as handle:
                fill(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)  # atomic on POSIX: readers never see a partial file
        finally:
            tmp.unlink(missing_ok=True)
        return self.uri(key)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def get_file(self, key: str, path: Path) -> Path:
        shutil.copyfile(self._path(key), path)
        return path

    def sha256(self, key: str) -> str:
        with open(self._path(key), "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def uri(self, key: str) -> str:
        return str(self._path(key))

    def list(self, prefix: str) -> list[LakeObject]:
        root = Path(self.root).resolve()
        folder = self._path(prefix.strip("/")) if prefix.strip("/") else root
        if not folder.is_dir():
            return []
        objects = []
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.endswith(".tmp"):  # in-flight atomic writes are not objects yet
                stat = path.stat()
                key = path.relative_to(root).as_posix()
                objects.append(LakeObject(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC)))
        return objects
