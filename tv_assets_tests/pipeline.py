"""Helpers for reading what a run left in an isolated lake and DuckDB file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from tv_assets.definitions import build_resources, defs
from tv_assets.platform.settings import load_settings
from tv_assets.runs import ALL_ASSETS
from tv_assets.runs import materialize_range as run
from tv_assets.sample_api.server import SampleServer

__all__ = [
    "ALL_ASSETS",
    "TVMAZE_MODELS",
    "TVMAZE_RAW",
    "TVMAZE_TABLES",
    "run",
    "drop_definitions",
    "failure_message",
    "partition_counts",
    "sample_workspace",
    "rows_by_day",
    "sample_base",
    "SAMPLE_CALLS_PER_10S",
    "FRESHNESS_CHECKS",
    "MART_KEYS",
]

SAMPLE_CALLS_PER_10S = 5000  # the loopback sample API is not held to TVMaze's rate limit

# TVMaze's raw tables, and the dbt models (staging, intermediate, marts) built from them.
TVMAZE_RAW = ("raw.tvmaze_schedule", "raw.tvmaze_web_schedule", "raw.tvmaze_shows")
TVMAZE_TABLES = (
    "staging.stg_tvmaze__episodes",
    "staging.stg_tvmaze__shows",
    "staging.stg_tvmaze__channels",
    "staging.int_tvmaze__episodes_enriched",
    "staging.int_tvmaze__show_genres",
    "marts.tvmaze_show_rating_rank",
    "marts.tvmaze_network_summary",
    "marts.tvmaze_show_type_ratings",
    "marts.tvmaze_genre_summary",
    "marts.tvmaze_airing_slots",
)
TVMAZE_MODELS = dg.AssetSelection.groups("tvmaze") & dg.AssetSelection.key_prefixes(["staging"], ["marts"])


# The daily marts' freshness checks, and the marts they watch.
FRESHNESS_CHECKS = [c for c in defs.asset_checks or [] if isinstance(c, dg.AssetChecksDefinition)]
MART_KEYS = sorted({key.asset_key for check in FRESHNESS_CHECKS for key in check.check_keys})


def drop_definitions(resources: dict[str, Any]) -> dg.Definitions:
    """Every asset with the code location's jobs and landing sensors, on `resources`."""
    sensors = [
        s for s in defs.sensors or [] if isinstance(s, dg.SensorDefinition) and s.name.endswith("_landing_sensor")
    ]
    return dg.Definitions(assets=ALL_ASSETS, jobs=defs.jobs, sensors=sensors, resources=resources)


def sample_base(source: str) -> str:
    """The sample API's base URL for `source` (its path prefix, e.g. `tmdb/3`), from the workspace's settings."""
    return f"{os.environ['TV_ASSETS_SAMPLE_URL'].rstrip('/')}/{source}"


def sample_workspace(tmp: Path, sample_server: SampleServer, mp: pytest.MonkeyPatch) -> dict[str, Any]:
    """Resources for an isolated lake and DuckDB file under `tmp`, fetching from the sample API."""
    for name, value in {
        "TV_ASSETS_SOURCES": "sample",
        "TV_ASSETS_SAMPLE_URL": sample_server.url,
        "TV_ASSETS_LAKE_DIR": str(tmp / "lake"),
        "TV_ASSETS_DUCKDB_PATH": str(tmp / "w.duckdb"),
    }.items():
        mp.setenv(name, value)
    return build_resources(load_settings())


def stored_history(warehouse: Any, tables: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every row of `tables`, in a stable order: compared before and after a rerun, or across two runs."""
    return {t: sorted(warehouse.query(f"select * from {t}"), key=repr) for t in tables}


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    failures = result.get_step_failure_events()
    assert failures, "expected a failed step"
    data = failures[0].step_failure_data
    description = data.user_failure_data.description if data.user_failure_data else ""
    return f"{description or ''} {data.error.message if data.error else ''}"


def rows_by_day(query: Any, tables: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """table -> {partition day: rows}, through `query(sql)` on either engine."""
    return {t: {str(d): n for d, n in query(f"select partition_date, count(*) from {t} group by 1")} for t in tables}


def partition_counts(duckdb_path: str, day: str) -> dict[str, int]:
    """Rows of `day` in every partitioned raw, staging and marts table (seeds are not partitioned)."""
    with duckdb.connect(duckdb_path, read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.columns"
            " where table_schema in ('raw', 'staging', 'marts') and column_name = 'partition_date' order by 1"
        ).fetchall()
        return {
            t: con.execute(f"select count(*) from {t} where partition_date = ?", [day]).fetchone()[0] for (t,) in tables
        }
