"""Bad input gets a clear error naming source, partition and cause, and loses nothing."""

from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from tv_assets.defs.tvmaze.assets import lake_key
from tv_assets.runs import DAILY_ASSETS
from tv_assets.sample_api.server import Fault, SampleServer
from tv_assets_tests.pipeline import failure_message, partition_counts, run

pytestmark = pytest.mark.integration

DAY = "2026-03-05"
FETCH_AND_LOAD = "lake/tvmaze_schedule_payload raw/tvmaze_schedule".split()


def fetch_and_load(resources: dict[str, Any], instance: dg.DagsterInstance, **kwargs: Any) -> dg.ExecuteInProcessResult:
    return run(resources, instance, DAY, selection=FETCH_AND_LOAD, **kwargs)


def good_state(resources: dict[str, Any], instance: dg.DagsterInstance) -> tuple[bytes, int]:
    fetch_and_load(resources, instance)
    lake = resources["lake"]
    return lake.get(lake_key("schedule", DAY)), partition_counts(resources["warehouse"].path, DAY)[
        "raw.tvmaze_schedule"
    ]


def assert_unchanged(resources: dict[str, Any], before: tuple[bytes, int]) -> None:
    lake = resources["lake"]
    assert lake.get(lake_key("schedule", DAY)) == before[0]
    assert partition_counts(resources["warehouse"].path, DAY)["raw.tvmaze_schedule"] == before[1]
    leftovers = [p for p in Path(lake.root).rglob("*.tmp")]
    assert not leftovers, leftovers


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault("/tvmaze/schedule", "malformed"), "malformed JSON"),
        (Fault("/tvmaze/schedule", "empty"), "empty day (0 episodes)"),
    ],
    ids=["malformed-json", "empty-day"],
)
def test_a_bad_payload_fails_clearly_keeps_the_payload_aside_and_changes_nothing(
    resources: dict[str, Any], instance: dg.DagsterInstance, sample_server: SampleServer, fault: Fault, expected: str
) -> None:
    before = good_state(resources, instance)
    sample_server.faults.add(fault)
    result = fetch_and_load(resources, instance, raise_on_error=False)
    assert not result.success
    message = failure_message(result)
    assert f"tvmaze schedule, partition {DAY}: {expected}" in message
    assert "lake partition was not changed" in message
    rejected = list((Path(resources["lake"].root) / f"rejected/tvmaze/schedule/partition_date={DAY}").iterdir())
    assert len(rejected) == 1 and str(rejected[0]) in message
    assert_unchanged(resources, before)


@pytest.mark.parametrize("status", [429, 500])
def test_a_storm_of_errors_fails_naming_the_status_and_changes_nothing(
    resources: dict[str, Any], instance: dg.DagsterInstance, sample_server: SampleServer, status: int
) -> None:
    before = good_state(resources, instance)
    sample_server.faults.add(Fault("/tvmaze/schedule", "status", status=status))
    result = fetch_and_load(resources, instance, raise_on_error=False)
    message = failure_message(result)
    assert f"tvmaze: partition {DAY}: GET /schedule?country=US&date={DAY}" in message
    assert f"HTTP {status}" in message and "after 3 attempts" in message
    assert_unchanged(resources, before)


@pytest.mark.parametrize("status", [429, 500, 502])
def test_a_passing_error_is_retried_and_the_partition_lands(
    resources: dict[str, Any], instance: dg.DagsterInstance, sample_server: SampleServer, status: int
) -> None:
    before = good_state(resources, instance)
    sample_server.faults.add(Fault("/tvmaze/schedule", "status", status=status, times=2))
    assert fetch_and_load(resources, instance).success
    assert_unchanged(resources, before)  # the same day's payload, replaced by identical bytes


def test_a_corrupted_lake_file_fails_the_load_and_keeps_the_warehouse_partition(
    resources: dict[str, Any], instance: dg.DagsterInstance
) -> None:
    before_bytes, before_rows = good_state(resources, instance)
    resources["lake"].put(lake_key("schedule", DAY), before_bytes[:1000])
    result = run(resources, instance, DAY, selection=["raw/tvmaze_schedule"], raise_on_error=False)
    message = failure_message(result)
    assert (
        f"tvmaze schedule, partition {DAY}: malformed JSON" in message
        and "raw.tvmaze_schedule was not changed" in message
    )
    assert partition_counts(resources["warehouse"].path, DAY)["raw.tvmaze_schedule"] == before_rows


def test_loading_a_partition_that_is_not_in_the_lake_says_what_to_do(
    resources: dict[str, Any], instance: dg.DagsterInstance
) -> None:
    result = run(resources, instance, DAY, selection=["raw/tvmaze_schedule"], raise_on_error=False)
    assert f"partition {DAY}" in failure_message(
        result
    ) and "materialize lake/tvmaze_schedule_payload" in failure_message(result)


@pytest.mark.parametrize(
    ("broken", "check"),
    [("drop_row", "rows_match_payload"), ("blank_payload", "payload_keys_present")],
)
def test_a_failing_blocking_load_check_holds_staging_and_marts_back(
    resources: dict[str, Any], instance: dg.DagsterInstance, broken: str, check: str
) -> None:
    """A loader that commits something other than the payload (a broken engine, a concurrent writer)."""
    from tv_assets.platform.warehouse import DuckDBWarehouse

    class BrokenWarehouse(DuckDBWarehouse):
        def replace_json_partition(self, table, partition_date, uri, layout, expected_rows):  # type: ignore[override]
            rows = super().replace_json_partition(table, partition_date, uri, layout, expected_rows)
            with self.connect() as con:
                first = f"rowid = (select min(rowid) from raw.{table} where partition_date = ?)"
                sql = (
                    f"delete from raw.{table} where {first}"
                    if broken == "drop_row"
                    else f"update raw.{table} set payload = '{{}}' where {first}"
                )
                con.execute(sql, [partition_date])
            return rows

    resources = {**resources, "warehouse": BrokenWarehouse(path=resources["warehouse"].path)}
    result = run(resources, instance, DAY, raise_on_error=False)
    assert not result.success
    evaluations = result.get_asset_check_evaluations()
    assert {e.check_name for e in evaluations if not e.passed} == {check}
    loads = [k for a in DAILY_ASSETS for k in a.keys if k.path[0] == "raw"]
    # Every load of every JSON source; IMDB's file loads (4) are not touched by this broken JSON loader.
    assert len([e for e in evaluations if not e.passed]) == len(loads) - 4 == 7
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert "raw__tvmaze_schedule" in started and "daily_dbt_models" not in started  # held back, not failed
    counts = partition_counts(resources["warehouse"].path, DAY)
    assert not any(n for table, n in counts.items() if table.startswith(("staging.", "marts.")))
