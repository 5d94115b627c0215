"""Resources chosen in one place from the environment switches (see `tv_assets.settings`).

Production settings come only from environment variables; secrets are passed as `dg.EnvVar`, so
Dagster resolves them in the run process and never stores or displays their values.
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource

from tv_assets.resources.imdb import ImdbResource
from tv_assets.resources.lake import Lake, LakeObject, LocalLake, S3Lake
from tv_assets.resources.movies import FredResource, KaggleResource
from tv_assets.resources.snowflake import SnowflakeWarehouse
from tv_assets.resources.trending import TMDBResource, XResource
from tv_assets.resources.tvmaze import TVMazeResource
from tv_assets.resources.warehouse import DuckDBWarehouse, Warehouse
from tv_assets.settings import Settings

__all__ = ["Lake", "LakeObject", "LocalLake", "S3Lake", "Warehouse", "DuckDBWarehouse", "SnowflakeWarehouse",
           "TVMazeResource", "TMDBResource", "XResource", "ImdbResource", "KaggleResource", "FredResource", "SAMPLE_CALLS_PER_10S", "build_resources"]

# The sample API is our own loopback server, so it is not held to TVMaze's public rate limit.
SAMPLE_CALLS_PER_10S = 5000
SAMPLE_TMDB_PAGES = 5  # of each list per day: enough to rank, small enough for a quick demo

SNOWFLAKE_REQUIRED = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD")


def _require(names: tuple[str, ...], why: str) -> None:
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise ValueError(f"{why} needs the environment variable(s) {', '.join(missing)} (see README, Configuration)")


def s3_resource() -> S3Resource:
    """S3 from the standard AWS variables; unset keys fall through to the default credential chain."""
    keys = {}
    if os.environ.get("AWS_ACCESS_KEY_ID"):
        keys = {"aws_access_key_id": dg.EnvVar("AWS_ACCESS_KEY_ID"), "aws_secret_access_key": dg.EnvVar("AWS_SECRET_ACCESS_KEY")}
    return S3Resource(
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        **keys,
    )


def s3_lake() -> S3Lake:
    _require(("TV_ASSETS_S3_BUCKET",), "TV_ASSETS_LAKE=s3")
    return S3Lake(s3=s3_resource(), bucket=os.environ["TV_ASSETS_S3_BUCKET"],
                  prefix=os.environ.get("TV_ASSETS_S3_PREFIX", ""))


def snowflake_warehouse(lake: Lake) -> SnowflakeWarehouse:
    _require(SNOWFLAKE_REQUIRED, "TV_ASSETS_WAREHOUSE=snowflake")
    if not isinstance(lake, S3Lake):
        raise ValueError("TV_ASSETS_WAREHOUSE=snowflake loads from the lake through an external S3 stage: "
                         "set TV_ASSETS_LAKE=s3")
    port = os.environ.get("SNOWFLAKE_PORT")
    return SnowflakeWarehouse(
        account=dg.EnvVar("SNOWFLAKE_ACCOUNT"),
        user=dg.EnvVar("SNOWFLAKE_USER"),
        password=dg.EnvVar("SNOWFLAKE_PASSWORD"),
        role=os.environ.get("SNOWFLAKE_LOADER_ROLE", "TV_ASSETS_LOADER"),
        query_role=os.environ.get("SNOWFLAKE_TRANSFORMER_ROLE", "TV_ASSETS_TRANSFORMER"),
        warehouse=os.environ.get("SNOWFLAKE_WAREHOUSE", "TV_ASSETS_WH"),
        database=os.environ.get("SNOWFLAKE_DATABASE", "TV_ASSETS"),
        stage=os.environ.get("TV_ASSETS_SNOWFLAKE_STAGE", "raw.lake_stage"),
        stage_url=lake.root_uri,
        host=os.environ.get("SNOWFLAKE_HOST") or None,
        port=int(port) if port else None,
        protocol=os.environ.get("SNOWFLAKE_PROTOCOL") or None,
    )


def _secret(name: str) -> str | None:
    """`dg.EnvVar(name)` when the variable is set (resolved in the run, never stored), else None."""
    return dg.EnvVar(name) if os.environ.get(name) else None


def tmdb_resource(sample: bool) -> TMDBResource:
    token, key = _secret("TMDB_ACCESS_TOKEN"), _secret("TMDB_API_KEY")
    if sample:  # the sample API wants a credential, any will do
        return TMDBResource(use_sample=True, replay=True, access_token=token or "sample-token",
                            calls_per_s=SAMPLE_CALLS_PER_10S, max_pages=SAMPLE_TMDB_PAGES)
    return TMDBResource(access_token=token, api_key=key)


def x_resource(sample: bool) -> XResource:
    token = _secret("X_BEARER_TOKEN")
    if sample:
        return XResource(use_sample=True, replay=True, bearer_token=token or "sample-token",
                         calls_per_15min=100 * SAMPLE_CALLS_PER_10S)
    return XResource(bearer_token=token)


def build_resources(settings: Settings) -> dict[str, Any]:
    from tv_assets.alerts import slack_from_env
    from tv_assets.assets.dbt import dbt_resource  # late: the dbt project is resolved per target

    lake = s3_lake() if settings.lake == "s3" else LocalLake(root=str(settings.lake_dir))
    if settings.warehouse == "snowflake":
        warehouse: Warehouse = snowflake_warehouse(lake)
    else:
        warehouse = DuckDBWarehouse(path=str(settings.duckdb_path), s3=lake.s3 if isinstance(lake, S3Lake) else None)
    sample = settings.sources == "sample"
    return {
        "lake": lake,
        "warehouse": warehouse,
        "tvmaze": TVMazeResource(use_sample=sample, calls_per_10s=SAMPLE_CALLS_PER_10S if sample else 20),
        "tmdb": tmdb_resource(sample),
        "x": x_resource(sample),
        "imdb": ImdbResource(use_sample=sample, replay=sample),
        "kaggle": KaggleResource(use_sample=sample, username=_secret("KAGGLE_USERNAME"), key=_secret("KAGGLE_KEY")),
        "fred": FredResource(use_sample=sample, api_key=_secret("FRED_API_KEY"),
                             calls_per_s=SAMPLE_CALLS_PER_10S if sample else 2),
        "dbt": dbt_resource(settings),
        "slack": slack_from_env(),
    }
