"""Partition keys and identifiers that reach paths or SQL are validated or bound, never formatted in raw."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tv_assets.platform.lake import LocalLake, partition_key
from tv_assets.platform.settings import DBT_PROJECT_DIR
from tv_assets.platform.snowflake import SnowflakeWarehouse, json_path
from tv_assets.platform.warehouse import DuckDBWarehouse, identifier

HOSTILE_DAYS = ["../../etc", "2024-01-01/../../x", "2024-13-01", "2024-01-01' or '1'='1", ""]


@pytest.mark.parametrize("day", HOSTILE_DAYS)
def test_a_partition_key_that_is_not_a_date_never_becomes_a_lake_path(day: str) -> None:
    with pytest.raises(ValueError):
        partition_key("tvmaze", "schedule", day, "schedule.json")


def test_a_lake_key_cannot_leave_the_lake(tmp_path: Path) -> None:
    lake = LocalLake(root=str(tmp_path / "lake"))
    with pytest.raises(ValueError, match="lake key"):
        lake.put("../outside.json", b"{}")
    assert not (tmp_path / "outside.json").exists()


@pytest.mark.parametrize("path", ["a'b", "show.id') or (1=1", "a..b", ".a", "a b", ""])
def test_json_paths_are_checked_before_they_reach_snowflake_sql(path: str) -> None:
    with pytest.raises(ValueError, match="not a dotted JSON key path"):
        json_path(path)


def test_the_snowflake_warehouse_loads_only_from_under_its_stage() -> None:
    warehouse = SnowflakeWarehouse(account="a", user="u", password="p", database="d", stage_url="s3://lake/prod/")
    assert (
        warehouse.stage_path("s3://lake/prod/raw/x/partition_date=2024-01-01/a.json")
        == "@raw.lake_stage/raw/x/partition_date=2024-01-01/a.json"
    )
    for uri in ("/data/lake/raw/a.json", "s3://lake/other/a.json", "s3://lake/prod/raw/a'.json"):
        with pytest.raises(ValueError):
            warehouse.stage_path(uri)


@pytest.mark.parametrize("name", ["raw; drop table x", "Tvmaze", "a-b", "x" * 64, ""])
def test_table_names_are_checked_before_they_reach_sql(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a safe SQL identifier"):
        identifier(name)
    warehouse = DuckDBWarehouse(path=str(tmp_path / "w.duckdb"))
    with pytest.raises(ValueError):
        warehouse.replace_json_partition(name, "2024-01-01", str(tmp_path / "none.json"), "array", 0)


def test_values_are_bound_so_a_hostile_partition_value_is_only_a_value(tmp_path: Path) -> None:
    payload = tmp_path / "p.json"
    payload.write_text(json.dumps([{"id": 1}]))
    warehouse = DuckDBWarehouse(path=str(tmp_path / "w.duckdb"))
    warehouse.replace_json_partition("t", "2024-01-01", str(payload), "array", 1)
    import duckdb

    # bound: the engine sees one (invalid) date value, not SQL, and refuses it as a value
    with pytest.raises(duckdb.ConversionException, match="invalid date field format"):
        warehouse.partition_profile("t", "2024-01-01' or '1'='1")
    assert warehouse.partition_profile("t", "2024-01-01", ["id", "name"]) == (1, {"name": 1})


@pytest.mark.integration
@pytest.mark.parametrize("through", ["vars", "env"])
def test_dbt_refuses_a_window_bound_that_is_not_a_date(tmp_path: Path, through: str) -> None:
    hostile = "2024-01-01' or 1=1 --"
    env = {**os.environ, "TV_ASSETS_DUCKDB_PATH": str(tmp_path / "w.duckdb")}
    args = ["--vars", json.dumps({"min_date": hostile, "max_date": "2024-01-02"})]
    if through == "env":  # how Dagster passes the window
        env |= {"TV_ASSETS_MIN_DATE": hostile, "TV_ASSETS_MAX_DATE": "2024-01-02"}
        args = []
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [
            str(dbt),
            "compile",
            "--select",
            "stg_tvmaze__shows",
            *args,
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "min_date (env TV_ASSETS_MIN_DATE, else var min_date) must be YYYY-MM-DD" in result.stdout + result.stderr
