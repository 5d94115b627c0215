"""Schedules and executor settings, evaluated with Dagster's own test utilities."""

from datetime import UTC, datetime

import dagster as dg

from tv_assets.definitions import defs
from tv_assets.runs import ALL_ASSETS


def test_the_daily_schedule_runs_yesterdays_partition_at_six_utc() -> None:
    tvmaze_daily_schedule = defs.resolve_schedule_def("tvmaze_daily_schedule")
    assert tvmaze_daily_schedule.cron_schedule == "0 6 * * *"
    assert tvmaze_daily_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 10, 6, 0, tzinfo=UTC))
    requests = list(tvmaze_daily_schedule.evaluate_tick(context).run_requests or [])
    assert [r.partition_key for r in requests] == ["2026-03-09"]


def test_every_warehouse_writer_is_serialized_on_duckdb() -> None:
    from tv_assets.definitions import executor_config

    writers = {
        key.to_user_string()
        for a in ALL_ASSETS
        for key in a.keys
        if a.op.tags.get("tv_assets/warehouse_writer") == "true"
    }
    loads_and_models = {
        k.to_user_string() for a in ALL_ASSETS for k in a.keys if k.path[0] in ("raw", "staging", "marts")
    }
    assert writers == loads_and_models
    assert executor_config("duckdb")["tag_concurrency_limits"] == [
        {"key": "tv_assets/warehouse_writer", "value": "true", "limit": 1}
    ]
    assert executor_config("snowflake")["tag_concurrency_limits"] == []


def test_instance_yaml_is_sqlite_by_default_and_postgres_when_configured(tmp_path, monkeypatch) -> None:
    import yaml

    from tv_assets.deploy import instance_yaml, write_instance_yaml

    sqlite = yaml.safe_load(instance_yaml({}))
    assert "storage" not in sqlite and sqlite["run_coordinator"]["config"]["max_concurrent_runs"] == 1
    env = {
        "DAGSTER_PG_HOST": "db",
        "DAGSTER_PG_USERNAME": "u",
        "DAGSTER_PG_PASSWORD": "pw-secret",
        "DAGSTER_PG_DB": "d",
    }
    text = instance_yaml({**env, "DAGSTER_PG_PORT": "6432"})
    postgres = yaml.safe_load(text)["storage"]["postgres"]["postgres_db"]
    assert postgres["password"] == {"env": "DAGSTER_PG_PASSWORD"} and postgres["port"] == 6432
    assert "pw-secret" not in text
    # the SQLite file is what a fresh DAGSTER_HOME gets, and Dagster loads it
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    for name in env:
        monkeypatch.delenv(name, raising=False)
    write_instance_yaml()
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
