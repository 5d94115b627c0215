"""Helpers for reading what a run left in an isolated lake and DuckDB file."""

from __future__ import annotations

import dagster as dg
import duckdb

from tv_assets.runs import ALL_ASSETS, materialize_range as run

__all__ = ["ALL_ASSETS", "run", "failure_message", "partition_counts"]


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    failures = result.get_step_failure_events()
    assert failures, "expected a failed step"
    data = failures[0].step_failure_data
    description = data.user_failure_data.description if data.user_failure_data else ""
    return f"{description or ''} {data.error.message if data.error else ''}"


def partition_counts(duckdb_path: str, day: str) -> dict[str, int]:
    """Rows of `day` in every partitioned raw, staging and marts table (seeds are not partitioned)."""
    with duckdb.connect(duckdb_path, read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.columns"
            " where table_schema in ('raw', 'staging', 'marts') and column_name = 'partition_date' order by 1"
        ).fetchall()
        return {
            t: con.execute(f"select count(*) from {t} where partition_date = ?", [day]).fetchone()[0]
            for (t,) in tables
        }
