"""The tv_assets code location: every asset, job, schedule and resource, chosen by environment."""

from __future__ import annotations

import dagster as dg

from tv_assets.alerts import slack_on_run_failure
from tv_assets.checks import mart_freshness_checks, mart_freshness_sensor
from tv_assets.jobs import (
    automation_sensor,
    fred_monthly_job,
    fred_monthly_schedule,
    landing_sensors,
    letterboxd_drop_job,
    movies_dataset_drop_job,
    imdb_daily_job,
    imdb_daily_schedule,
    trending_daily_job,
    trending_daily_schedule,
    tvmaze_daily_job,
    tvmaze_daily_schedule,
)
from tv_assets.resources import build_resources
from tv_assets.runs import ALL_ASSETS
from tv_assets.settings import load_settings

settings = load_settings()


def executor_config(warehouse: str) -> dict:
    """DuckDB admits one writing process per file: steps that write the warehouse run one at a time,
    while fetches (network-bound) still run beside them. Snowflake takes concurrent writers."""
    writers = [{"key": "tv_assets/warehouse_writer", "value": "true", "limit": 1}] if warehouse == "duckdb" else []
    return {"max_concurrent": 4, "tag_concurrency_limits": writers}


executor = dg.multiprocess_executor.configured(executor_config(settings.warehouse))

defs = dg.Definitions(
    assets=ALL_ASSETS,
    jobs=[tvmaze_daily_job, trending_daily_job, imdb_daily_job, fred_monthly_job, letterboxd_drop_job,
          movies_dataset_drop_job],
    asset_checks=mart_freshness_checks,
    schedules=[tvmaze_daily_schedule, trending_daily_schedule, imdb_daily_schedule, fred_monthly_schedule],
    sensors=[automation_sensor, mart_freshness_sensor, slack_on_run_failure, *landing_sensors],
    resources=build_resources(settings),
    executor=executor,
)
