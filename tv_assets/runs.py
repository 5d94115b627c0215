"""Running a range of daily partitions as one run, in-process: shared by the demo, tests and benchmarks."""

from typing import Any

import dagster as dg

from tv_assets.assets.dbt import tv_assets_dbt_models
from tv_assets.assets.imdb import imdb_assets
from tv_assets.assets.trending import trending_assets
from tv_assets.assets.tvmaze import tvmaze_assets
from tv_assets.partitions import range_tags

ALL_ASSETS = [*tvmaze_assets, *trending_assets, *imdb_assets, tv_assets_dbt_models]


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
