"""Resources chosen in one place from the environment switches (see `tv_assets.settings`)."""

from __future__ import annotations

from typing import Any

from tv_assets.resources.lake import Lake, LocalLake
from tv_assets.resources.tvmaze import TVMazeResource
from tv_assets.resources.warehouse import DuckDBWarehouse, Warehouse
from tv_assets.settings import Settings

__all__ = ["Lake", "LocalLake", "Warehouse", "DuckDBWarehouse", "TVMazeResource", "SAMPLE_CALLS_PER_10S", "build_resources"]

# The sample API is our own loopback server, so it is not held to TVMaze's public rate limit.
SAMPLE_CALLS_PER_10S = 5000


def build_resources(settings: Settings) -> dict[str, Any]:
    from tv_assets.alerts import slack_from_env
    from tv_assets.assets.dbt import dbt_resource  # late: the dbt project is resolved per target

    if settings.lake != "local":
        raise ValueError(f"TV_ASSETS_LAKE={settings.lake} is not available in this version; use 'local'")
    if settings.warehouse != "duckdb":
        raise ValueError(f"TV_ASSETS_WAREHOUSE={settings.warehouse} is not available in this version; use 'duckdb'")
    sample = settings.sources == "sample"
    return {
        "lake": LocalLake(root=str(settings.lake_dir)),
        "warehouse": DuckDBWarehouse(path=str(settings.duckdb_path)),
        "tvmaze": TVMazeResource(use_sample=sample, calls_per_10s=SAMPLE_CALLS_PER_10S if sample else 20),
        "dbt": dbt_resource(settings),
        "slack": slack_from_env(),
    }
