"""Running a range of daily partitions as one run, in-process: shared by the demo, tests and benchmarks."""

from typing import Any

import dagster as dg

from tv_assets.assets.dbt import tv_assets_dbt_models
from tv_assets.assets.tvmaze import tvmaze_assets

ALL_ASSETS = [*tvmaze_assets, tv_assets_dbt_models]
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def range_tags(first: str, last: str | None = None) -> dict[str, str]:
    """Run tags that make one run cover the partitions first..last (inclusive, Dagster's convention)."""
    return {RANGE_START: first, RANGE_END: last or first}


def materialize_range(
    resources: dict[str, Any],
    instance: dg.DagsterInstance,
    first: str,
    last: str | None = None,
    selection: str | list[str] | None = None,
    raise_on_error: bool = True,
    run_config: dict[str, Any] | None = None,
) -> dg.ExecuteInProcessResult:
    """Materialize `selection` (default: every asset) for first..last in one in-process run."""
    return dg.materialize(
        ALL_ASSETS,
        selection=selection,
        resources=resources,
        instance=instance,
        tags=range_tags(first, last),
        raise_on_error=raise_on_error,
        run_config=run_config,
    )
