"""The tv_assets code location: every asset, job, schedule and resource, chosen by environment."""

from __future__ import annotations

import dagster as dg

from tv_assets.assets.dbt import tv_assets_dbt_models
from tv_assets.assets.tvmaze import tvmaze_assets
from tv_assets.jobs import tvmaze_daily_job, tvmaze_daily_schedule
from tv_assets.resources import build_resources
from tv_assets.settings import load_settings

settings = load_settings()

# DuckDB admits one writing process per file: steps that write the warehouse run one at a time,
# while fetches (network-bound) still run beside them.
executor = dg.multiprocess_executor.configured(
    {
        "max_concurrent": 4,
        "tag_concurrency_limits": [{"key": "tv_assets/warehouse_writer", "value": "true", "limit": 1}]
        if settings.warehouse == "duckdb"
        else [],
    }
)

defs = dg.Definitions(
    assets=[*tvmaze_assets, tv_assets_dbt_models],
    jobs=[tvmaze_daily_job],
    schedules=[tvmaze_daily_schedule],
    resources=build_resources(settings),
    executor=executor,
)
