"""The lake and the warehouse, chosen from the environment switches (see `tv_assets.platform.settings`).

Production settings come only from environment variables; secrets are passed as `dg.EnvVar`, so
Dagster resolves them in the run process and never stores or displays their values. Each source's
own resource is built in its folder under `tv_assets/defs/`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import dagster as dg

from tv_assets.platform.lake import Lake, LocalLake
from tv_assets.platform.settings import Settings
from tv_assets.platform.snowflake import SnowflakeWarehouse
from tv_assets.platform.warehouse import DuckDBWarehouse, Warehouse

if TYPE_CHECKING:  # imported when an S3 lake is configured, not by the embedded default
    from dagster_aws.s3 import S3Resource

    from tv_assets.platform.s3 import S3Lake

SNOWFLAKE_REQUIRED = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD")


def _require(names: tuple[str, ...], why: str) -> None:
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise ValueError(f"{why} needs the environment variable(s) {', '.join(missing)} (see README, Configuration)")


def s3_resource() -> S3Resource:
    """S3 from the standard AWS variables; unset keys fall through to the default credential chain."""
    from dagster_aws.s3 import S3Resource

    keyed = bool(os.environ.get("AWS_ACCESS_KEY_ID"))
    return S3Resource(
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        aws_access_key_id=dg.EnvVar("AWS_ACCESS_KEY_ID") if keyed else None,
        aws_secret_access_key=dg.EnvVar("AWS_SECRET_ACCESS_KEY") if keyed else None,
    )


def s3_lake() -> S3Lake:
    from tv_assets.platform.s3 import S3Lake

    _require(("TV_ASSETS_S3_BUCKET",), "TV_ASSETS_LAKE=s3")
    return S3Lake(
        s3=s3_resource(), bucket=os.environ["TV_ASSETS_S3_BUCKET"], prefix=os.environ.get("TV_ASSETS_S3_PREFIX", "")
    )


def snowflake_warehouse(lake: Lake) -> SnowflakeWarehouse:
    from tv_assets.platform.s3 import S3Lake

    _require(SNOWFLAKE_REQUIRED, "TV_ASSETS_WAREHOUSE=snowflake")
    if not isinstance(lake, S3Lake):
        raise ValueError(
            "TV_ASSETS_WAREHOUSE=snowflake loads from the lake through an external S3 stage: set TV_ASSETS_LAKE=s3"
        )
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


def storage_resources(settings: Settings) -> dict[str, Lake | Warehouse]:
    """`lake` and `warehouse`: every source writes the one and loads into the other."""
    lake: Lake
    duckdb: DuckDBWarehouse
    if settings.lake == "s3":
        from tv_assets.platform.s3 import S3DuckDBWarehouse  # S3's clients only where S3 is used

        on_s3 = s3_lake()
        lake, duckdb = on_s3, S3DuckDBWarehouse(path=str(settings.duckdb_path), s3=on_s3.s3)
    else:
        lake, duckdb = LocalLake(root=str(settings.lake_dir)), DuckDBWarehouse(path=str(settings.duckdb_path))
    warehouse = snowflake_warehouse(lake) if settings.warehouse == "snowflake" else duckdb
    return {"lake": lake, "warehouse": warehouse}
