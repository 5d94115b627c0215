"""The whole graph, fetch to marts, on the embedded default: real DuckDB file, real HTTP, real dbt."""

from typing import Any

import dagster as dg
import pytest

from tv_assets.defs.dbt.assets import Manifest
from tv_assets.platform.dbt import TvAssetsTranslator, dbt_project
from tv_assets.platform.warehouse import DuckDBWarehouse
from tv_assets_tests.pipeline import ALL_ASSETS, partition_counts, run

pytestmark = [pytest.mark.integration, pytest.mark.long]

DAY = "2026-03-04"
MARTS = {
    "marts.tvmaze_show_rating_rank",
    "marts.tvmaze_network_summary",
    "marts.tvmaze_show_type_ratings",
    "marts.tvmaze_genre_summary",
    "marts.tvmaze_airing_slots",
}
STAGING = {"staging.stg_tvmaze__episodes", "staging.stg_tvmaze__shows", "staging.stg_tvmaze__channels"}


def test_one_partition_fills_every_table_and_rematerializing_it_three_times_changes_no_count(
    resources: dict[str, Any], instance: dg.DagsterInstance
) -> None:
    path = resources["warehouse"].path
    result = run(resources, instance, DAY)
    first = partition_counts(path, DAY)
    assert set(first) >= MARTS | STAGING
    assert all(n > 0 for n in first.values()), first
    # A new warehouse file is a new dbt profile: the first build parses the whole project; every build
    # after it in the session starts from the parse the one before it saved (dbt's own log says which).
    [parse] = dbt_parses(instance, result.run_id)
    assert parse.startswith("full: Unable to do partial parsing because "), parse  # profile changed, or none saved
    for _ in range(3):
        result = run(resources, instance, DAY)
        assert partition_counts(path, DAY) == first
        assert dbt_parses(instance, result.run_id) == [
            "partial: Partial parsing enabled, no changes found, skipping parsing"
        ]


def dbt_parses(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """How each dbt build of a run parsed the project, as the dbt step logged it from dbt's log."""
    messages = [entry.user_message for entry in instance.all_logs(run_id)]
    return [m.removeprefix("dbt parse: ") for m in messages if m.startswith("dbt parse: ")]


def test_raw_rows_match_the_payload_and_staging_deduplicates_the_two_schedules(
    resources: dict[str, Any], instance: dg.DagsterInstance, sample_server
) -> None:
    run(resources, instance, DAY)
    sample = sample_server.app.tvmaze
    from datetime import date

    schedule, web = sample.schedule(date.fromisoformat(DAY)), sample.web_schedule(date.fromisoformat(DAY))
    counts = partition_counts(resources["warehouse"].path, DAY)
    assert counts["raw.tvmaze_schedule"] == len(schedule)
    assert counts["raw.tvmaze_web_schedule"] == len(web)
    # local web channels list an episode in both schedules; staging keeps it once
    distinct = {e["id"] for e in schedule} | {e["id"] for e in web}
    assert len(distinct) < len(schedule) + len(web)
    assert counts["staging.stg_tvmaze__episodes"] == len(distinct)
    shows = {e["show"]["id"] for e in schedule} | {e["_embedded"]["show"]["id"] for e in web}
    assert counts["staging.stg_tvmaze__shows"] == len(shows)


def test_marts_answer_with_values_computed_independently(
    resources: dict[str, Any], instance: dg.DagsterInstance, sample_server
) -> None:
    from collections import defaultdict
    from datetime import date

    run(resources, instance, DAY)
    sample = sample_server.app.tvmaze
    day = date.fromisoformat(DAY)
    episodes = {e["id"]: (e["show"], "schedule") for e in sample.schedule(day)}
    for e in sample.web_schedule(day):
        episodes.setdefault(e["id"], (e["_embedded"]["show"], "web"))
    per_type: dict[str, dict[int, float]] = defaultdict(dict)
    for show, _ in episodes.values():
        if show["rating"]["average"] is not None:
            per_type[show["type"]][show["id"]] = show["rating"]["average"]
    expected = {t: round(sum(r.values()) / len(r), 2) for t, r in per_type.items()}
    warehouse: DuckDBWarehouse = resources["warehouse"]
    got = dict(
        warehouse.query(
            "select show_type, avg_show_rating from marts.tvmaze_show_type_ratings"
            " where partition_date = ? and avg_show_rating is not null",
            [DAY],
        )
    )
    assert got == pytest.approx(expected)
    # the best scripted show of the day is rank 1
    best = max(per_type["Scripted"].values())
    top = warehouse.query(
        "select show_rating from marts.tvmaze_show_rating_rank where partition_date = ? and show_type = 'Scripted'"
        " and rating_rank = 1",
        [DAY],
    )
    assert top and all(float(r) == best for (r,) in top)


def test_a_seven_day_backfill_is_one_run_with_one_dbt_build_for_the_whole_range(
    resources: dict[str, Any], instance: dg.DagsterInstance, sample_server
) -> None:
    import os

    from dagster_dbt import DbtCliResource

    calls: list[list[str]] = []
    windows: list[tuple[str | None, str | None]] = []
    targets: list[Any] = []

    class RecordingDbtCli(DbtCliResource):
        def cli(self, args, **kwargs):  # type: ignore[override]
            calls.append(list(args))
            windows.append((os.environ.get("TV_ASSETS_MIN_DATE"), os.environ.get("TV_ASSETS_MAX_DATE")))
            invocation = super().cli(args, **kwargs)
            targets.append(invocation.target_path)
            return invocation

    dbt = resources["dbt"]
    resources = {**resources, "dbt": RecordingDbtCli(project_dir=dbt.project_dir, dbt_executable=dbt.dbt_executable)}
    days = [f"2026-03-{d:02d}" for d in range(2, 9)]
    sample_server.faults.clear()  # also resets the per-path hit counts
    result = run(resources, instance, days[0], days[-1])

    assert calls == [["build"]]  # the window is not in --vars: a new window does not re-parse the project
    assert windows == [("2026-03-02", "2026-03-09")]  # the window in the dbt process's environment
    # the build wrote its own target folder (manifest, compiled SQL, logs) and, having succeeded, removed it
    assert targets[0].name.startswith("run-") and not targets[0].exists()
    assert "TV_ASSETS_MIN_DATE" not in os.environ  # and only for that process
    mart = dg.AssetKey(["marts", "tvmaze_network_summary"])
    assert {m.partition for m in result.get_asset_materialization_events() if m.asset_key == mart} == set(days)
    counts = {day: partition_counts(resources["warehouse"].path, day) for day in days}
    assert all(n > 0 for day in days for n in counts[day].values())
    # The range is one run, yet each partition's materialization describes that partition alone: its own
    # row count, and a mart's preview of its own rows; the run's totals are named run/... .
    # (Views store no rows: IMDB's staging views read the day's dump in the lake, whose rows the raw loads
    # count, and the marts' views read the history.)
    views = Manifest(dbt_project("duckdb")).views
    tables = {t for t in counts[days[0]] if t.split(".")[1] not in views}
    checked = set()
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        table, metadata = ".".join(materialization.asset_key.path), materialization.metadata
        if table in tables:
            assert metadata["dagster/row_count"].value == counts[materialization.partition][table], table
            assert metadata["run/partitions"].value == len(days), table
            checked.add(table)
        if table in tables and table.startswith("marts."):
            assert f"| {materialization.partition} |" in metadata["preview"].value, table
    assert checked == tables  # every partitioned raw, staging and marts table
    # each show is fetched once for the whole range, and filed under every day it aired
    from datetime import date

    sample = sample_server.app.tvmaze
    per_day = {
        day: {e["show"]["id"] for e in sample.schedule(date.fromisoformat(day))}
        | {e["_embedded"]["show"]["id"] for e in sample.web_schedule(date.fromisoformat(day))}
        for day in days
    }
    show_calls = {p: n for p, n in sample_server.faults.hits.items() if p.startswith("/tvmaze/shows/")}
    assert len(show_calls) == len(set().union(*per_day.values())) and set(show_calls.values()) == {1}
    assert sum(map(len, per_day.values())) > len(show_calls)  # calling per show-day would have cost more
    for day, ids in per_day.items():
        assert partition_counts(resources["warehouse"].path, day)["staging.stg_tvmaze__shows"] == len(ids)
    # every asset backfills as a single run, so a Dagster backfill of any range is one run too
    assert all(a.backfill_policy == dg.BackfillPolicy.single_run() for a in ALL_ASSETS)


def test_the_dbt_resource_knows_its_version_without_asking_the_executable() -> None:
    import importlib.metadata
    import shutil
    import sys
    from pathlib import Path

    from dagster_dbt import DbtCliResource

    from tv_assets.platform.dbt import DbtCli, dbt_project, dbt_resource
    from tv_assets.platform.settings import load_settings

    # The two methods DbtCli replaces must still be dagster-dbt's: a renamed one would bring the cost back.
    assert {"_cli_version", "_initialize_dbt_core_adapter"} <= set(vars(DbtCliResource))
    resource = dbt_resource(dbt_project(load_settings().dbt_target))
    assert isinstance(resource, DbtCli) and resource._initialize_dbt_core_adapter(["build"]) is None
    assert str(resource._cli_version) == importlib.metadata.version("dbt-core")
    # ... and that version is the executable's: the `dbt` dagster-dbt runs is this environment's own.
    assert Path(shutil.which(resource.dbt_executable)).parent == Path(sys.executable).parent


def test_dbt_keys_follow_the_warehouse_schema() -> None:
    translator = TvAssetsTranslator(dbt_project("duckdb"))
    assert translator.get_asset_key({"resource_type": "source", "name": "tvmaze_shows"}) == dg.AssetKey(
        ["raw", "tvmaze_shows"]
    )
    assert translator.get_asset_key(
        {"resource_type": "model", "name": "m", "config": {"schema": "marts"}}
    ) == dg.AssetKey(["marts", "m"])


def test_a_show_whose_own_endpoint_answers_404_or_null_keeps_its_type_from_the_schedule(
    resources: dict[str, Any], instance: dg.DagsterInstance, sample_server
) -> None:
    from datetime import date

    from tv_assets.sample_api.server import Fault

    schedule = sample_server.app.tvmaze.schedule(date.fromisoformat(DAY))
    shows = {e["show"]["id"]: e["show"] for e in schedule}
    gone, null = sorted(shows)[:2]
    sample_server.faults.add(Fault(f"/tvmaze/shows/{gone}", "status", status=404))
    sample_server.faults.add(Fault(f"/tvmaze/shows/{null}", "null"))
    result = run(resources, instance, DAY, selection=dg.AssetSelection.groups("tvmaze"))
    fetch = result.asset_materializations_for_node("lake__tvmaze_shows_payload")[0]
    assert fetch.metadata["shows_from_schedule"].value == 2
    rows = resources["warehouse"].query(
        "select s.show_id, s.show_source, s.show_type, e.show_type from staging.stg_tvmaze__shows as s"
        " join staging.int_tvmaze__episodes_enriched as e on e.partition_date = s.partition_date and e.show_id = s.show_id"
        " where s.partition_date = ? and s.show_id in (?, ?)",
        [DAY, gone, null],
    )
    assert {r[0] for r in rows} == {gone, null}
    for show_id, source, staged_type, episode_type in rows:
        assert source == "schedule" and staged_type == episode_type == shows[show_id]["type"] != "Unknown"
    ((fetched,),) = resources["warehouse"].query(
        "select count(*) from staging.stg_tvmaze__shows where partition_date = ? and show_source = 'shows'", [DAY]
    )
    assert (
        fetched
        == len(
            shows
            | {e["_embedded"]["show"]["id"]: 0 for e in sample_server.app.tvmaze.web_schedule(date.fromisoformat(DAY))}
        )
        - 2
    )


def test_a_day_whose_input_became_empty_is_emptied_in_staging_and_marts_on_rebuild(
    resources: dict[str, Any], instance: dg.DagsterInstance
) -> None:
    # The trap: dbt's delete+insert deletes only the days present in the new rows, so an empty day kept its old ones.
    import duckdb

    from tv_assets_tests.pipeline import TVMAZE_MODELS, TVMAZE_RAW, TVMAZE_TABLES, rows_by_day

    warehouse, other = resources["warehouse"], "2026-03-03"
    run(resources, instance, other, DAY, selection=dg.AssetSelection.groups("tvmaze"))
    before = rows_by_day(warehouse.query, TVMAZE_TABLES)
    assert all(before[t].get(DAY) and before[t].get(other) for t in TVMAZE_TABLES), before
    with duckdb.connect(warehouse.path) as con:
        for table in TVMAZE_RAW:
            con.execute(f"delete from {table} where partition_date = ?", [DAY])
    run(resources, instance, DAY, selection=TVMAZE_MODELS)
    after = rows_by_day(warehouse.query, TVMAZE_TABLES)
    assert after == {t: {other: before[t][other]} for t in TVMAZE_TABLES}
