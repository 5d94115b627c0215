"""Helpers for running the asset graph in-process over an isolated lake and DuckDB file."""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb

from tv_assets.assets.dbt import tv_assets_dbt_models
from tv_assets.assets.tvmaze import tvmaze_assets

ALL_ASSETS = [*tvmaze_assets, tv_assets_dbt_models]
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def run(
    resources: dict[str, Any],
    instance: dg.DagsterInstance,
    first: str,
    last: str | None = None,
    selection: str | None = None,
    raise_on_error: bool = True,
) -> dg.ExecuteInProcessResult:
    """Materialize `selection` (default: everything) for the partitions first..last in one run."""
    return dg.materialize(
        ALL_ASSETS,
        selection=selection,
        resources=resources,
        instance=instance,
        tags={RANGE_START: first, RANGE_END: last or first},
        raise_on_error=raise_on_error,
    )


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    failures = result.get_step_failure_events()
    assert failures, "expected a failed step"
    data = failures[0].step_failure_data
    description = data.user_failure_data.description if data.user_failure_data else ""
    return f"{description or ''} {data.error.message if data.error else ''}"


def partition_counts(duckdb_path: str, day: str) -> dict[str, int]:
    """Rows of `day` in every raw, staging and marts table."""
    with duckdb.connect(duckdb_path, read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema in ('raw', 'staging', 'marts') order by 1"
        ).fetchall()
        return {
            t: con.execute(f"select count(*) from {t} where partition_date = ?", [day]).fetchone()[0]
            for (t,) in tables
        }
