"""S3 access shared by the lake and the engines that read it.

DuckDB cannot install its `httpfs` extension offline (nor, for duckdb 2.0, from PyPI at all), so it
reads `s3://` through an fsspec filesystem registered on the connection: pyarrow's S3 client behind
fsspec's wrapper. The same filesystem serves any endpoint (AWS, or a loopback S3 in tests).
"""

from urllib.parse import urlparse

import pyarrow.fs as pafs
from dagster_aws.s3 import S3Resource
from fsspec.implementations.arrow import ArrowFSWrapper


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
