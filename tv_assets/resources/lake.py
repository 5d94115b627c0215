"""The lake: payloads exactly as received, one folder per source, dataset and partition.

Keys are hive-style, `raw/<source>/<dataset>/partition_date=YYYY-MM-DD/<file>`, so engines can prune
by partition. Writes are atomic: a reader sees the old object or the new one, never half of one.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path

import dagster as dg


def partition_key(source: str, dataset: str, day: str, filename: str, area: str = "raw") -> str:
    """The lake key of one file of one partition; `day` must be an ISO date (it becomes a path)."""
    date.fromisoformat(day)  # refuses anything that is not YYYY-MM-DD, so no key escapes its folder
    return f"{area}/{source}/{dataset}/partition_date={day}/{filename}"


class Lake(dg.ConfigurableResource):
    """Interface: one implementation per object store (`LocalLake` now; S3 has the same methods)."""

    def put(self, key: str, data: bytes) -> str:
        """Write `data` at `key` atomically, replacing what was there; return the object's URI."""
        raise NotImplementedError

    def get(self, key: str) -> bytes:
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        raise NotImplementedError

    def uri(self, key: str) -> str:
        """Where an engine (DuckDB, a Snowflake stage) reads the object."""
        raise NotImplementedError


class LocalLake(Lake):
    """A folder on local disk (the embedded default, `./data/lake`)."""

    root: str

    def _path(self, key: str) -> Path:
        path = (Path(self.root) / key).resolve()
        if not path.is_relative_to(Path(self.root).resolve()):
            raise ValueError(f"lake key {key!r} leaves the lake root")
        return path

    def put(self, key: str, data: bytes) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)  # atomic on POSIX: readers never see a partial file
        finally:
            tmp.unlink(missing_ok=True)
        return self.uri(key)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def uri(self, key: str) -> str:
        return str(self._path(key))
