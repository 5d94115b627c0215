"""The production path on real protocols: the whole graph on an S3 lake (moto) and a Snowflake warehouse
(fakesnow, with dbt-snowflake), the mixed S3 + DuckDB case, and the marts equal on both engines.

Both stand-ins run on 127.0.0.1 as child processes of this module; the configuration reaches the
project only through the environment variables an operator would set.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
import pytest
from dagster_aws.s3 import S3Resource

from tv_assets.definitions import build_resources
from tv_assets.defs.tvmaze.resource import TVMazeResource
from tv_assets.platform.dbt import prepare
from tv_assets.platform.s3 import S3Lake
from tv_assets.platform.settings import DBT_PROJECT_DIR, load_settings
from tv_assets.platform.snowflake import SnowflakeWarehouse
from tv_assets.runs import DAILY_ASSETS
from tv_assets.sample_api.server import SampleServer
from tv_assets_tests.pipeline import (
    SAMPLE_CALLS_PER_10S,
    TVMAZE_MODELS,
    TVMAZE_RAW,
    TVMAZE_TABLES,
    drop_definitions,
    failure_message,
    rows_by_day,
    run,
    sample_base,
)
from tv_assets_tests.snowflake_setup import ACCOUNT_LEVEL, setup_statements
from tv_assets_tests.stand_ins import fakesnow_server, free_port

pytestmark = [pytest.mark.integration, pytest.mark.long]

DAYS = ("2024-03-04", "2024-03-05")
BUCKET, PREFIX = "tv-assets-lake", "prod"
SECRETS = {"AWS_SECRET_ACCESS_KEY": "SECRET-aws-key-5b81", "SNOWFLAKE_PASSWORD": "SECRET-snowflake-pw-2e6d"}
SETUP_VARS = {
    "lake_url": f"s3://{BUCKET}/{PREFIX}/",
    "aws_role_arn": "arn:aws:iam::123456789012:role/tv-assets",
    "loader_user": "TV_ASSETS_SVC",
    "analyst_user": "ANALYST_1",
}


@dataclass
class Cloud:
    resources: dict[str, Any]
    instance: dg.DagsterInstance
    root: Path
    moto_url: str
    result: dg.ExecuteInProcessResult
    skipped_setup: list[str]
    messages: list[str] = field(default_factory=list)

    @property
    def warehouse(self) -> SnowflakeWarehouse:
        """The run's warehouse resource with its `dg.EnvVar` fields resolved, for queries outside runs."""
        return self.resources["warehouse"].process_config_and_initialize()

    @property
    def lake(self) -> S3Lake:
        """The same bucket and prefix as the run's lake, with the credentials given directly."""
        s3 = S3Resource(
            endpoint_url=self.moto_url,
            region_name="us-east-1",
            aws_access_key_id="tv-assets-test",
            aws_secret_access_key=SECRETS["AWS_SECRET_ACCESS_KEY"],
        )
        return S3Lake(s3=s3, bucket=BUCKET, prefix=PREFIX)

    def snowflake(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.warehouse.query(sql, params or [])


def _env(root: Path, moto_url: str, port: int, sample_url: str) -> dict[str, str]:
    return {
        **SECRETS,
        "TV_ASSETS_LAKE": "s3",
        "TV_ASSETS_WAREHOUSE": "snowflake",
        "TV_ASSETS_DBT_TARGET": "fakesnow",
        "TV_ASSETS_SOURCES": "sample",
        "TV_ASSETS_SAMPLE_URL": sample_url,
        "TV_ASSETS_S3_BUCKET": BUCKET,
        "TV_ASSETS_S3_PREFIX": PREFIX,
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "tv-assets-test",
        "AWS_REGION": "us-east-1",
        "SNOWFLAKE_ACCOUNT": "fakesnow",
        "SNOWFLAKE_USER": "TV_ASSETS_SVC",
        "SNOWFLAKE_HOST": "127.0.0.1",
        "SNOWFLAKE_PORT": str(port),
        "SNOWFLAKE_PROTOCOL": "http",
        "TV_ASSETS_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "TV_ASSETS_LAKE_DIR": str(root / "unused_lake"),
    }


def _fast(resources: dict[str, Any]) -> dict[str, Any]:
    resources["tvmaze"] = TVMazeResource(
        base_url=sample_base("tvmaze"), calls_per_10s=SAMPLE_CALLS_PER_10S, backoff_base_s=0.01
    )
    return resources


@pytest.fixture(scope="module")
def cloud(sample_server: SampleServer, moto_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    root = tmp_path_factory.mktemp("production")
    boto3.client(
        "s3",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id="tv-assets-test",
        aws_secret_access_key=SECRETS["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=BUCKET)
    s3_env = {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "tv-assets-test",
        "AWS_SECRET_ACCESS_KEY": SECRETS["AWS_SECRET_ACCESS_KEY"],
        "AWS_REGION": "us-east-1",
    }
    with fakesnow_server(root, s3_env) as port, pytest.MonkeyPatch.context() as mp, dg.instance_for_test() as instance:
        for name, value in _env(root, moto_url, port, sample_server.url).items():
            mp.setenv(name, value)
        prepare("fakesnow")  # the test setup prepares the target's manifest, as `make manifest` does duckdb's
        resources = _fast(build_resources(load_settings()))
        # The repository's setup SQL creates the database, schemas and stage; roles, grants, the warehouse
        # and the storage integration are account-level, which the stand-in has no notion of.
        skipped = []
        with resources["warehouse"].process_config_and_initialize().connect() as con:
            for statement in setup_statements(SETUP_VARS):
                if ACCOUNT_LEVEL.match(statement):
                    skipped.append(statement)
                else:
                    con.cursor().execute(statement)
        result = run(resources, instance, DAYS[0], DAYS[1])
        yield Cloud(resources, instance, root, moto_url, result, skipped)


def test_the_whole_graph_runs_on_s3_and_snowflake_for_two_partitions(cloud: Cloud) -> None:
    assert cloud.result.success
    lake = cloud.lake
    for day in DAYS:
        keys = {o.key for o in lake.list(f"raw/tvmaze/schedule/partition_date={day}/")}
        assert f"raw/tvmaze/schedule/partition_date={day}/schedule.json" in keys
    # Raw rows equal the lake payload's items, per partition, and came through the external stage.
    for dataset in ("schedule", "web_schedule", "shows"):
        rows = dict(cloud.snowflake(f"select partition_date, count(*) from raw.tvmaze_{dataset} group by 1"))
        assert sorted(str(d) for d in rows) == list(DAYS)
        # One materialization per partition, each with that partition's own count.
        counted = {
            m.partition: m.metadata["dagster/row_count"].value
            for m in cloud.result.asset_materializations_for_node(f"raw__tvmaze_{dataset}")
        }
        assert counted == {str(day): n for day, n in rows.items()}
    uris = {u for (u,) in cloud.snowflake("select distinct _source_uri from raw.tvmaze_schedule")}
    assert uris == {f"s3://{BUCKET}/{PREFIX}/raw/tvmaze/schedule/partition_date={d}/schedule.json" for d in DAYS}
    # Every mart has both days, and every dbt test ran as a passing asset check.
    for mart in (
        "tvmaze_show_rating_rank",
        "tvmaze_network_summary",
        "tvmaze_show_type_ratings",
        "tvmaze_genre_summary",
        "tvmaze_airing_slots",
    ):
        days = {str(d) for (d,) in cloud.snowflake(f"select distinct partition_date from marts.{mart}")}
        assert days == set(DAYS), mart
    checks = cloud.result.get_asset_check_evaluations()
    assert {c.asset_check_key for c in checks} == {spec.key for a in DAILY_ASSETS for spec in a.check_specs}
    assert all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]


def test_rerunning_a_partition_on_snowflake_replaces_exactly_that_partition(cloud: Cloud) -> None:
    before = {
        t: dict(cloud.snowflake(f"select partition_date, count(*) from {t} group by 1"))
        for t in ("raw.tvmaze_schedule", "staging.stg_tvmaze__episodes", "marts.tvmaze_network_summary")
    }
    again = run(
        cloud.resources,
        cloud.instance,
        DAYS[1],
        selection=dg.AssetSelection.all() - dg.AssetSelection.key_prefixes(["lake"]),
    )
    assert again.success
    after = {t: dict(cloud.snowflake(f"select partition_date, count(*) from {t} group by 1")) for t in before}
    assert after == before


def test_a_day_whose_input_became_empty_is_emptied_in_staging_and_marts_on_snowflake(cloud: Cloud) -> None:
    before = rows_by_day(cloud.snowflake, TVMAZE_TABLES)
    assert all(before[t].get(DAYS[0]) and before[t].get(DAYS[1]) for t in TVMAZE_TABLES), before
    for table in TVMAZE_RAW:
        cloud.snowflake(f"delete from {table} where partition_date = ?", [DAYS[1]])
    assert run(cloud.resources, cloud.instance, DAYS[1], selection=TVMAZE_MODELS).success
    assert rows_by_day(cloud.snowflake, TVMAZE_TABLES) == {t: {DAYS[0]: before[t][DAYS[0]]} for t in TVMAZE_TABLES}
    # Put the day back for the tests that follow: reload raw from the lake and rebuild.
    assert run(
        cloud.resources,
        cloud.instance,
        DAYS[1],
        selection=dg.AssetSelection.groups("tvmaze") - dg.AssetSelection.key_prefixes(["lake"]),
    ).success
    assert rows_by_day(cloud.snowflake, TVMAZE_TABLES) == before


def test_the_setup_sql_is_complete_and_least_privilege(cloud: Cloud) -> None:
    statements = setup_statements(SETUP_VARS)
    grants = [s.lower() for s in statements if s.lower().startswith("grant ") and " to role tv_assets_" in s.lower()]
    by_role: dict[str, list[str]] = {}
    for grant in grants:
        by_role.setdefault(grant.rsplit(" to role ", 1)[1], []).append(grant.split(" to role ")[0])
    # Analysts: usage to reach marts, nothing else; loader: never staging or marts; transformer: only reads raw.
    assert all(
        "select" not in g and ("marts" in g or " database " in g or " warehouse " in g)
        for g in by_role["tv_assets_analyst"]
    ), by_role["tv_assets_analyst"]
    assert not any("staging" in g or "marts" in g for g in by_role["tv_assets_loader"])
    raw_for_transformer = [g for g in by_role["tv_assets_transformer"] if ".raw" in g]
    assert raw_for_transformer and all(g.startswith(("grant usage", "grant select")) for g in raw_for_transformer)
    # The stand-in ran everything but the account-level statements, and those are the only ones skipped.
    assert cloud.skipped_setup and all(ACCOUNT_LEVEL.match(s) for s in cloud.skipped_setup)
    assert any(s.startswith("create stage") for s in statements if s not in cloud.skipped_setup)
    # dbt grants SELECT on every mart to the analyst role on real Snowflake (the stand-in has no grants).
    import json

    manifest = json.loads((DBT_PROJECT_DIR / "target" / "fakesnow" / "manifest.json").read_text())
    marts = [
        n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["config"]["schema"] == "marts"
    ]
    assert marts and all("grants" in n["unrendered_config"] or "grants" in n["config"] for n in marts)


def _normalized(rows: list[tuple]) -> list[tuple]:
    def value(v: Any) -> Any:
        if isinstance(v, decimal.Decimal | float):
            return None if math.isnan(float(v)) else round(float(v), 6)
        if isinstance(v, datetime):
            return v.replace(tzinfo=None).isoformat()
        if isinstance(v, date):
            return v.isoformat()
        return v

    return sorted((tuple(value(v) for v in row) for row in rows), key=repr)


def test_marts_are_equal_on_duckdb_and_on_snowflake(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    # The mixed case: the same S3 lake, loaded into the embedded DuckDB warehouse (no httpfs: fsspec).
    monkeypatch.setenv("TV_ASSETS_WAREHOUSE", "duckdb")
    monkeypatch.delenv("TV_ASSETS_DBT_TARGET")
    duck = _fast(build_resources(load_settings()))
    assert duck["warehouse"].s3 is not None
    result = run(
        duck,
        cloud.instance,
        DAYS[0],
        DAYS[1],
        selection=dg.AssetSelection.all() - dg.AssetSelection.key_prefixes(["lake"]),
    )
    assert result.success
    marts = [
        t
        for (t,) in duck["warehouse"].query(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        )
    ]
    assert marts == sorted(k.path[1] for a in DAILY_ASSETS for k in a.keys if k.path[0] == "marts")
    for mart in marts:
        _assert_same_rows(duck["warehouse"], cloud.warehouse, f"marts.{mart}")


def _assert_same_rows(duck: Any, snow: Any, table: str) -> None:
    """`table` holds rows on DuckDB, and the same rows (any column and row order) on Snowflake."""
    duck_columns, duck_rows = duck.columns(f"select * from {table}")
    snow_columns, snow_rows = snow.columns(f"select * from {table}")
    assert sorted(duck_columns) == sorted(snow_columns), table
    order = [snow_columns.index(c) for c in duck_columns]
    snow_rows = [tuple(row[i] for i in order) for row in snow_rows]
    assert len(duck_rows) > 0 and len(duck_rows) == len(snow_rows), table
    differing = [(d, s) for d, s in zip(_normalized(duck_rows), _normalized(snow_rows), strict=True) if d != s]
    assert not differing, (table, len(differing), duck_columns, differing[:2])


def test_no_credential_in_logs_metadata_errors_or_the_lake(cloud: Cloud) -> None:
    # A failing run too: the Snowflake endpoint is down, so the load fails with an error message.
    config = {name: getattr(cloud.warehouse, name) for name in SnowflakeWarehouse.model_fields}
    down = SnowflakeWarehouse(**{**config, "port": free_port(), "network_timeout_s": 5})
    failed = run(
        {**cloud.resources, "warehouse": down},
        cloud.instance,
        DAYS[0],
        selection=["raw/tvmaze_schedule"],
        raise_on_error=False,
    )
    assert not failed.success
    message = failure_message(failed)
    assert f"partition {DAYS[0]}" in message and "raw.tvmaze_schedule" in message and "connect" in message, message
    cloud.messages.append(message)
    texts = list(cloud.messages)
    for record in cloud.instance.get_runs():
        texts += [dg.serialize_value(entry) for entry in cloud.instance.all_logs(record.run_id)]
        texts.append(dg.serialize_value(record))
    lake = cloud.lake
    texts += [lake.get(o.key).decode("utf-8", "replace") for o in lake.list("raw/")]
    texts += [
        p.read_text(errors="replace")
        for p in (DBT_PROJECT_DIR / "target" / "fakesnow").rglob("*")
        if p.is_file() and p.suffix in (".json", ".log", ".txt")
    ]
    found = {name: sum(t.count(secret) for t in texts) for name, secret in SECRETS.items()}
    assert found == dict.fromkeys(SECRETS, 0), found
    assert (
        sum(t.count(SECRETS["SNOWFLAKE_PASSWORD"]) for t in [*texts, "planted " + SECRETS["SNOWFLAKE_PASSWORD"]]) == 1
    )


MOVIE_TABLES = (
    "marts.letterboxd_movies_by_year_theme",
    "marts.movies_top_rated",
    "marts.movies_genre_popularity",
    "marts.movies_box_office_by_release_period",
    "marts.movies_genre_earnings_real",
    "staging.stg_kaggle__quarantine",
)


def _movies(resources: dict[str, Any], instance: dg.DagsterInstance, drop_into: S3Lake | None) -> None:
    """The CPI for two years, then both Kaggle archives of today: dropped into `drop_into` and followed
    by the landing sensor's logic, or (None) re-run from what that drop left in the lake."""
    from tv_assets.defs.kaggle.sample import letterboxd_zip, movies_zip
    from tv_assets.platform.partitions import range_tags
    from tv_assets.runs import drop_archive

    defs = drop_definitions(resources)
    assert (
        defs.resolve_job_def("fred_monthly")
        .execute_in_process(instance=instance, tags=range_tags("2016-01-01", "2017-12-01"))
        .success
    )
    today = date.today().isoformat()
    for source, make in (("letterboxd", letterboxd_zip), ("movies", movies_zip)):
        if drop_into is not None:
            runs = drop_archive(defs, instance, source, f"{source}.zip", make(today), lake=drop_into)
        else:
            runs = [defs.resolve_job_def(f"{source}_drop").execute_in_process(partition_key=today, instance=instance)]
        assert len(runs) == 1 and runs[0].success, source


def test_movie_marts_are_equal_on_duckdb_and_on_snowflake(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    _movies(cloud.resources, cloud.instance, drop_into=cloud.lake)
    monkeypatch.setenv("TV_ASSETS_WAREHOUSE", "duckdb")
    monkeypatch.delenv("TV_ASSETS_DBT_TARGET")
    duck = _fast(build_resources(load_settings()))
    _movies(duck, cloud.instance, drop_into=None)
    for table in MOVIE_TABLES:
        _assert_same_rows(duck["warehouse"], cloud.warehouse, table)
    # The title graph again, now with the drops' films, MovieLens links and Letterboxd names in it.
    # (DuckDB loads the days from the S3 lake itself, so this test does not lean on the one above)
    assert run(cloud.resources, cloud.instance, DAYS[0], DAYS[1], selection=dg.AssetSelection.groups("titles")).success
    assert run(
        duck,
        cloud.instance,
        DAYS[0],
        DAYS[1],
        selection=dg.AssetSelection.all() - dg.AssetSelection.key_prefixes(["lake"]),
    ).success
    for table in (
        "staging.int_titles__link_changes",
        "staging.int_titles__links",
        "marts.dim_title_daily",
        "marts.dim_title",
        "marts.title_signals_daily",
    ):
        _assert_same_rows(duck["warehouse"], cloud.warehouse, table)
    assert (
        cloud.snowflake("select count(*) from marts.dim_title where letterboxd_id is not null and imdb_id is not null")[
            0
        ][0]
        > 0
    )
