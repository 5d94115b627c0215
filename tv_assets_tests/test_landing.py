"""The landing sensor on both lakes: new drops by last-modified time, never by key order."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
from dagster_aws.s3 import S3Resource

from tv_assets.platform.lake import Lake, LakeObject, LocalLake
from tv_assets.platform.landing import LANDING_KEY_TAG, landing_sensor, new_arrivals
from tv_assets.platform.partitions import arrival_partitions
from tv_assets.platform.s3 import S3Lake

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _objects(*specs: tuple[str, int]) -> list[LakeObject]:
    return [LakeObject(key, 1, T0 + timedelta(seconds=s)) for key, s in specs]


def test_arrivals_follow_modification_time_not_key_order() -> None:
    first, cursor = new_arrivals(_objects(("landing/x/z.zip", 0)), None)
    assert [o.key for o in first] == ["landing/x/z.zip"]
    later, cursor = new_arrivals(_objects(("landing/x/z.zip", 0), ("landing/x/a.zip", 5)), cursor)
    assert [o.key for o in later] == ["landing/x/a.zip"]  # sorts before z, arrived after it
    assert new_arrivals(_objects(("landing/x/z.zip", 0), ("landing/x/a.zip", 5)), cursor) == ([], cursor)


def test_drops_in_the_same_second_and_a_re_drop_are_each_seen_once() -> None:
    seen, cursor = new_arrivals(_objects(("landing/x/a.zip", 5)), None)
    both, cursor = new_arrivals(_objects(("landing/x/a.zip", 5), ("landing/x/b.zip", 5)), cursor)
    assert [o.key for o in both] == ["landing/x/b.zip"]
    again, _ = new_arrivals(_objects(("landing/x/a.zip", 9), ("landing/x/b.zip", 5)), cursor)
    assert [o.key for o in again] == ["landing/x/a.zip"]


@dg.asset(partitions_def=arrival_partitions)
def landed_file() -> None:
    """Stands for whatever a landing source's run materializes."""


@pytest.fixture(params=["local", "s3"])
def lake(request: pytest.FixtureRequest, tmp_path: Path) -> Lake:
    if request.param == "local":
        return LocalLake(root=str(tmp_path / "lake"))
    s3 = S3Resource(
        endpoint_url=request.getfixturevalue("moto_url"),
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    bucket = f"landing-{uuid.uuid4().hex[:8]}"
    s3.get_client().create_bucket(Bucket=bucket)
    return S3Lake(s3=s3, bucket=bucket, prefix="tv")


def _evaluate(sensor: dg.SensorDefinition, lake: Lake, cursor: str | None) -> dg.SensorResult:
    with dg.build_sensor_context(
        cursor=cursor, resources={"lake": lake}, definitions=dg.Definitions(assets=[landed_file], sensors=[sensor])
    ) as context:
        return sensor.evaluate_tick(context)


def test_the_sensor_requests_a_run_per_drop_for_its_arrival_date(lake: Lake) -> None:
    sensor = landing_sensor("movies", dg.AssetSelection.assets(landed_file))
    assert not _evaluate(sensor, lake, None).run_requests
    lake.put("landing/movies/zz_first.zip", b"1")
    lake.put("landing/letterboxd/other_source.zip", b"x")  # another source's prefix: not this sensor's
    first = _evaluate(sensor, lake, None)
    assert [r.tags[LANDING_KEY_TAG] for r in first.run_requests] == ["landing/movies/zz_first.zip"]
    assert first.run_requests[0].partition_key == datetime.now(UTC).date().isoformat()
    time.sleep(1.1)  # S3 times have one-second resolution
    lake.put("landing/movies/aa_second.zip", b"2")
    second = _evaluate(sensor, lake, first.cursor)
    assert [r.tags[LANDING_KEY_TAG] for r in second.run_requests] == ["landing/movies/aa_second.zip"]
    assert not _evaluate(sensor, lake, second.cursor).run_requests
