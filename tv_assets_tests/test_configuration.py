"""Resources are chosen from the environment in one place; a missing production setting fails clearly."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tv_assets.definitions import build_resources
from tv_assets.platform.lake import LocalLake
from tv_assets.platform.s3 import S3DuckDBWarehouse, S3Lake
from tv_assets.platform.settings import load_settings
from tv_assets.platform.snowflake import SnowflakeWarehouse
from tv_assets.platform.warehouse import DuckDBWarehouse

SNOWFLAKE = {"SNOWFLAKE_ACCOUNT": "acme-prod", "SNOWFLAKE_USER": "TV_ASSETS_SVC", "SNOWFLAKE_PASSWORD": "pw-7c1e"}


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TV_ASSETS_LAKE",
        "TV_ASSETS_WAREHOUSE",
        "TV_ASSETS_S3_BUCKET",
        "TV_ASSETS_S3_PREFIX",
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        *SNOWFLAKE,
    ):
        monkeypatch.delenv(name, raising=False)


def test_the_embedded_default_needs_no_configuration() -> None:
    resources = build_resources(load_settings())
    assert isinstance(resources["lake"], LocalLake)
    assert type(resources["warehouse"]) is DuckDBWarehouse  # not the S3 variant


def test_the_embedded_default_imports_no_s3_client() -> None:
    """dagster-aws, boto3 and pyarrow cost about 1.3 s of every process's start (the code server, each
    run, its step server); only a deployment with an S3 lake imports them."""
    env = {k: v for k, v in os.environ.items() if k not in ("TV_ASSETS_LAKE", "TV_ASSETS_WAREHOUSE")}
    probe = "import json, sys, tv_assets.definitions; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    loaded = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    modules = set(json.loads(loaded.stdout))
    assert {"dagster", "dagster_dbt", "duckdb"} <= modules  # the probe sees what the definitions import
    assert {"dagster_aws", "boto3", "botocore", "pyarrow"}.isdisjoint(modules)


def test_an_s3_lake_without_a_bucket_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TV_ASSETS_LAKE", "s3")
    with pytest.raises(ValueError, match="TV_ASSETS_LAKE=s3 needs the environment variable.* TV_ASSETS_S3_BUCKET"):
        build_resources(load_settings())


def test_s3_with_duckdb_reads_the_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TV_ASSETS_LAKE", "s3")
    monkeypatch.setenv("TV_ASSETS_S3_BUCKET", "lake")
    monkeypatch.setenv("TV_ASSETS_S3_PREFIX", "/tv/")
    resources = build_resources(load_settings())
    assert isinstance(resources["lake"], S3Lake) and resources["lake"].root_uri == "s3://lake/tv/"
    assert isinstance(resources["warehouse"], S3DuckDBWarehouse) and resources["warehouse"].s3 is resources["lake"].s3


def test_snowflake_names_every_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TV_ASSETS_WAREHOUSE", "snowflake")
    monkeypatch.setenv("TV_ASSETS_LAKE", "s3")
    monkeypatch.setenv("TV_ASSETS_S3_BUCKET", "lake")
    with pytest.raises(ValueError, match="SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PASSWORD"):
        build_resources(load_settings())


def test_snowflake_with_a_local_lake_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TV_ASSETS_WAREHOUSE", "snowflake")
    for name, value in SNOWFLAKE.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match="external S3 stage: set TV_ASSETS_LAKE=s3"):
        build_resources(load_settings())


def test_snowflake_secrets_are_env_vars_not_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TV_ASSETS_WAREHOUSE", "snowflake")
    monkeypatch.setenv("TV_ASSETS_LAKE", "s3")
    monkeypatch.setenv("TV_ASSETS_S3_BUCKET", "lake")
    for name, value in SNOWFLAKE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TV_ASSETS_DBT_TARGET", "duckdb")  # no dbt parse for snowflake in a unit test
    warehouse = build_resources(load_settings())["warehouse"]
    assert isinstance(warehouse, SnowflakeWarehouse) and warehouse.stage_url == "s3://lake/"
    # The configured values are references, resolved only inside a run: never stored or displayed.
    assert "pw-7c1e" not in repr(warehouse) and "pw-7c1e" not in str(warehouse._get_non_default_public_field_values())


def test_loading_the_definitions_does_not_import_the_snowflake_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    # dagster_snowflake pulls in snowpark (seconds of import): only a Snowflake connection may load it.
    env = {
        **os.environ,
        "TV_ASSETS_LAKE": "s3",
        "TV_ASSETS_S3_BUCKET": "lake",
        "TV_ASSETS_WAREHOUSE": "snowflake",
        "TV_ASSETS_DBT_TARGET": "duckdb",
        **SNOWFLAKE,
    }
    code = "import sys, tv_assets.definitions as d; print(type(d.defs.resources['warehouse']).__name__, 'dagster_snowflake' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["SnowflakeWarehouse", "False"]
