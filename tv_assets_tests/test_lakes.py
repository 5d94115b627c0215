"""The lake implementations against real stores: a local folder, and an S3 API (moto) on loopback."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from dagster_aws.s3 import S3Resource

from tv_assets.platform.lake import Lake, LocalLake
from tv_assets.platform.s3 import S3DuckDBWarehouse, S3Lake


def _s3(moto_url: str) -> S3Resource:
    return S3Resource(
        endpoint_url=moto_url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )


@pytest.fixture
def s3_lake(moto_url: str) -> S3Lake:
    bucket = f"lake-{uuid.uuid4().hex[:8]}"
    _s3(moto_url).get_client().create_bucket(Bucket=bucket)
    return S3Lake(
        s3=_s3(moto_url),
        bucket=bucket,
        prefix="tv/assets",
        multipart_threshold_bytes=5 * 1024 * 1024,
        multipart_chunk_bytes=5 * 1024 * 1024,
    )


@pytest.fixture(params=["local", "s3"])
def lake(request: pytest.FixtureRequest, tmp_path: Path) -> Lake:
    return LocalLake(root=str(tmp_path / "lake")) if request.param == "local" else request.getfixturevalue("s3_lake")


def test_put_get_exists_list_and_replace(lake: Lake) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    key = "raw/src/data/partition_date=2024-01-01/a.json"
    uri = lake.put(key, b"[1]")
    assert uri == lake.uri(key) and lake.get(key) == b"[1]" and lake.exists(key)
    assert not lake.exists("raw/src/data/partition_date=2024-01-01/b.json")
    lake.put(key, b"[1, 2]")  # replaced whole
    lake.put("landing/src/drop.zip", b"zip")
    listed = lake.list("raw/src/")
    assert [(o.key, o.size) for o in listed] == [(key, 6)]
    assert before <= listed[0].last_modified <= datetime.now(UTC) + timedelta(seconds=5)
    assert [o.key for o in lake.list("landing/src")] == ["landing/src/drop.zip"]
    assert lake.list("landing/none/") == []


def test_the_sha256_is_of_the_bytes_stored(lake: Lake) -> None:
    import hashlib
    import os

    key = "raw/src/data/partition_date=2024-01-01/big.tsv.gz"
    body = os.urandom(3 * (1 << 20) + 17)  # more than one read's worth, not a whole number of them
    lake.put(key, body)
    assert lake.sha256(key) == hashlib.sha256(body).hexdigest()
    lake.put(key, body[:-1])
    assert lake.sha256(key) == hashlib.sha256(body[:-1]).hexdigest()


@pytest.mark.parametrize("key", ["../x", "/abs/key", "raw//x", "raw/./x", "raw/../../x"])
def test_keys_that_escape_their_prefix_are_refused(lake: Lake, key: str) -> None:
    with pytest.raises(ValueError, match="lake key"):
        lake.put(key, b"x")


def test_large_payloads_go_up_in_parts(s3_lake: S3Lake, moto_url: str) -> None:
    data = bytes(range(256)) * (20 * 1024 * 1024 // 256)  # 20 MB, four 5 MB parts
    key = "raw/big/data/partition_date=2024-01-01/big.bin"
    uri = s3_lake.put(key, data)
    assert uri == f"s3://{s3_lake.bucket}/tv/assets/{key}"
    head = _s3(moto_url).get_client().head_object(Bucket=s3_lake.bucket, Key=f"tv/assets/{key}")
    assert head["ETag"].strip('"').endswith("-4"), head["ETag"]  # S3 marks multipart objects with their part count
    assert s3_lake.get(key) == data


def test_duckdb_reads_the_s3_lake_without_httpfs(s3_lake: S3Lake, tmp_path: Path) -> None:
    key = "raw/tvmaze/schedule/partition_date=2024-01-01/schedule.json"
    uri = s3_lake.put(key, b'[{"id": 1}, {"id": 2}, {"id": 3}]')
    warehouse = S3DuckDBWarehouse(path=str(tmp_path / "w.duckdb"), s3=s3_lake.s3)
    assert warehouse.replace_json_partition("tvmaze_schedule", "2024-01-01", uri, "array", 3) == 3
    assert warehouse.query("select _source_uri, count(*) from raw.tvmaze_schedule group by 1") == [(uri, 3)]


def test_boto3_sees_what_the_lake_wrote(s3_lake: S3Lake, moto_url: str) -> None:
    s3_lake.put("raw/x/y/partition_date=2024-01-01/z.json", b"{}")
    client = boto3.client(
        "s3", endpoint_url=moto_url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=s3_lake.bucket)["Contents"]]
    assert keys == ["tv/assets/raw/x/y/partition_date=2024-01-01/z.json"]
