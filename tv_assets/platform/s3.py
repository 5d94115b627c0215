"""S3: the lake on S3 (`S3Lake`), the embedded warehouse over it (`S3DuckDBWarehouse`), and the
filesystem engines read it through. Only a deployment that sets `TV_ASSETS_LAKE=s3` imports this module
(dagster-aws, boto3 and pyarrow cost about 1.3 s of every process's start).

DuckDB cannot install its `httpfs` extension offline (nor, for duckdb 2.0, from PyPI at all), so it
reads `s3://` through an fsspec filesystem registered on the connection: pyarrow's S3 client behind
fsspec's wrapper. The same filesystem serves any endpoint (AWS, or a loopback S3 in tests).
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb
import pyarrow.fs as pafs
from dagster_aws.s3 import S3Resource
from fsspec.implementations.arrow import ArrowFSWrapper

from tv_assets.platform.lake import Lake, LakeObject, check_key
from tv_assets.platform.warehouse import DuckDBWarehouse


class S3ArrowFS(ArrowFSWrapper):
    """fsspec's pyarrow wrapper, answering to `s3://` (DuckDB picks a filesystem by protocol)."""

    protocol = ("s3", "s3a")
    root_marker = ""


def engine_filesystem(s3: S3Resource) -> S3ArrowFS:
    """An fsspec filesystem for `s3://` URIs with the resource's endpoint, region and credentials.

    Credentials left unset fall through to pyarrow's default AWS chain (environment, profile, role).
    """
    options: dict = {"region": s3.region_name or "us-east-1"}
    if s3.endpoint_url:
        endpoint = urlparse(s3.endpoint_url)
        options["endpoint_override"] = endpoint.netloc
        options["scheme"] = endpoint.scheme or "https"
    if s3.aws_access_key_id and s3.aws_secret_access_key:
        options.update(
            access_key=s3.aws_access_key_id, secret_key=s3.aws_secret_access_key, session_token=s3.aws_session_token
        )
    return S3ArrowFS(pafs.S3FileSystem(**options))


class S3Lake(Lake):
    """An S3 bucket (or an S3-compatible endpoint), under an optional key prefix.

    A PUT is atomic in S3: readers see the old object or the new one. Large payloads go up in parts
    (in parallel); a failed multipart upload is aborted, so it never becomes an object.
    """

    s3: S3Resource
    bucket: str
    prefix: str = ""
    multipart_threshold_bytes: int = 16 * 1024 * 1024
    multipart_chunk_bytes: int = 16 * 1024 * 1024

    @property
    def _base(self) -> str:
        prefix = self.prefix.strip("/")
        return f"{check_key(prefix)}/" if prefix else ""

    def _key(self, key: str) -> str:
        return self._base + check_key(key)

    def put(self, key: str, data: bytes) -> str:
        self.s3.get_client().upload_fileobj(io.BytesIO(data), self.bucket, self._key(key), Config=self._transfer)
        return self.uri(key)

    def put_file(self, key: str, path: Path) -> str:
        self.s3.get_client().upload_file(str(path), self.bucket, self._key(key), Config=self._transfer)
        return self.uri(key)

    @property
    def _transfer(self) -> Any:
        from boto3.s3.transfer import TransferConfig

        return TransferConfig(
            multipart_threshold=self.multipart_threshold_bytes, multipart_chunksize=self.multipart_chunk_bytes
        )

    def get(self, key: str) -> bytes:
        return self.s3.get_client().get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

    def get_file(self, key: str, path: Path) -> Path:
        self.s3.get_client().download_file(self.bucket, self._key(key), str(path), Config=self._transfer)
        return path

    def sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        for chunk in (
            self.s3.get_client().get_object(Bucket=self.bucket, Key=self._key(key))["Body"].iter_chunks(1 << 20)
        ):
            digest.update(chunk)
        return digest.hexdigest()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.s3.get_client().head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    @property
    def root_uri(self) -> str:
        """`s3://bucket/prefix/`: what an engine's external stage points at."""
        return f"s3://{self.bucket}/{self._base}"

    def uri(self, key: str) -> str:
        return self.root_uri + check_key(key)

    def list(self, prefix: str) -> list[LakeObject]:
        folder = prefix.strip("/")
        pages = (
            self.s3.get_client()
            .get_paginator("list_objects_v2")
            .paginate(Bucket=self.bucket, Prefix=self._base + (check_key(folder) + "/" if folder else ""))
        )
        return [
            LakeObject(item["Key"][len(self._base) :], item["Size"], item["LastModified"].astimezone(UTC))
            for page in pages
            for item in page.get("Contents", [])
        ]


class S3DuckDBWarehouse(DuckDBWarehouse):
    """The DuckDB file over an S3 lake: its connections read `s3://` URIs through the engine filesystem.
    dbt's own DuckDB connection cannot, so dumps a local lake serves in place are copied in."""

    s3: S3Resource

    def _attach_lake(self, con: duckdb.DuckDBPyConnection) -> None:
        con.register_filesystem(engine_filesystem(self.s3))

    @property
    def _reads_lake_in_place(self) -> bool:
        return False
