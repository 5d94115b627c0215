"""dbt models as partitioned assets: one `@dbt_assets` for the one partitioning (daily, incremental).

The partition window goes to dbt as `min_date`/`max_date` vars, so a backfill of any range is a
single `dbt build` that replaces exactly those partitions.
"""

import contextlib
import functools
import importlib.metadata
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from tv_assets.assets.metadata import bar_chart, preview_table
from tv_assets.assets.loads import WAREHOUSE_WRITER
from tv_assets.assets.titles import title_match_metadata
from tv_assets.partitions import arrival_partitions, daily_partitions, monthly_partitions, single_run, window_vars
from tv_assets.resources.warehouse import Warehouse, identifier
from tv_assets.settings import DBT_PROJECT_DIR, Settings, load_settings


PARTIAL_PARSE = "partial_parse.msgpack"  # dbt's saved parse of the project

# The daily title graph reads the newest Kaggle drop when there is one (the `newest_drop` macro), so a
# drop that never arrived must not hold it back; a new drop still triggers it.
EAGER_BEFORE_ANY_DROP = (
    dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())
    & ~dg.AutomationCondition.any_deps_missing().ignore(dg.AssetSelection.tag("arrival", ""))
).with_label("eager (a Kaggle drop not yet arrived does not hold it back)")


class TvAssetsTranslator(DagsterDbtTranslator):
    """Keys follow the warehouse (`raw/…`, `staging/…`, `marts/…`); groups follow the source folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        schema = dbt_resource_props["config"].get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition | None:
        # Models follow their inputs for the newest partition; older partitions are filled by backfills.
        if "arrival" in dbt_resource_props.get("tags", []):
            return dg.AutomationCondition.eager()
        return EAGER_BEFORE_ANY_DROP

    def get_partition_mapping(self, dbt_resource_props: Mapping[str, Any],
                              dbt_parent_resource_props: Mapping[str, Any]) -> dg.PartitionMapping | None:
        # A model of another partitioning that reads the monthly CPI reads all of it, up to the newest
        # month; a daily model that reads a Kaggle drop reads the newest drop (the `newest_drop` macro).
        parent_tags, tags = dbt_parent_resource_props.get("tags", []), dbt_resource_props.get("tags", [])
        if any(tag in parent_tags and tag not in tags for tag in ("monthly", "arrival")):
            return dg.LastPartitionMapping()
        return None

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # models/<layer>/<group>/<model> and seeds/<group>/<seed>: the folder above the node names the group
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[-2] if len(fqn) >= 3 else super().get_group_name(dbt_resource_props)


def dbt_project(settings: Settings) -> DbtProject:
    return _project_for(settings.dbt_target)


@functools.cache  # the asset definitions and the resource share one project per target, checked once
def _project_for(target: str) -> DbtProject:
    # Manifests are target-specific, so each target keeps its own target path.
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR,
        profiles_dir=DBT_PROJECT_DIR,
        target=target,
        target_path=Path("target") / target,
    )
    if manifest_is_stale(project.manifest_path, DBT_PROJECT_DIR):
        # A fresh clone has no manifest, and an edited model makes it stale: parse (about 5 s) so
        # the asset graph and its checks always match the SQL that dbt will run.
        project.preparer.prepare(project)
    return project


def manifest_is_stale(manifest: Path, project_dir: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "tests", "seeds"):
        sources += (project_dir / folder).rglob("*")
    return any(path.is_file() and path.stat().st_mtime > built for path in sources)


class DbtCli(DbtCliResource):
    """dagster-dbt's resource without two start-up costs (5 s per `dbt build` on 2 cores) this project
    gets nothing from: asking the `dbt` executable its version (`dbt --version` looks up the newest
    release online, about 3.8 s here), when the pinned dbt-core of this environment is that executable;
    and a dbt adapter built in the run process (about 1.3 s), used only by `fetch_row_counts` and
    `fetch_column_metadata`, which the models' metadata does not call (it queries the warehouse itself).
    """

    @functools.cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def dbt_resource(settings: Settings) -> DbtCli:
    return DbtCli(project_dir=dbt_project(settings))


# Marts where a picture reads faster than a table: (title, query of label/value rows over the window).
CHARTS = {
    "tvmaze_airing_slots": (
        "Episodes by channel-local hour (no hour: global web releases)",
        "select coalesce(cast(local_hour as varchar), 'no hour'), sum(episodes) from marts.tvmaze_airing_slots"
        " where {where} group by local_hour order by local_hour nulls last",
    ),
    "tvmaze_network_summary": (
        "Top 10 channels by episodes",
        "select channel_name, sum(episodes) from marts.tvmaze_network_summary"
        " where {where} group by channel_name order by 2 desc, 1 limit 10",
    ),
}


def preview_metadata(warehouse: Warehouse, key: dg.AssetKey, window: dict[str, str]) -> dict[str, Any]:
    """Row count of the window in a model's table, and a few rows of a mart."""
    schema, table = identifier(key.path[0]), identifier(key.path[-1])
    if table in SEEDS:  # reference data, not partitioned: the whole table
        return {"dagster/row_count": warehouse.query(f"select count(*) from {schema}.{table}")[0][0]}
    if table in VIEWS:  # counting a view over the lake would read the whole dump again; the loads count it
        return {"materialized": "view (rows are counted by the raw loads)"}
    where = "partition_date >= cast(? as date) and partition_date < cast(? as date)"
    params = [window["min_date"], window["max_date"]]
    (rows,) = warehouse.query(f"select count(*) from {schema}.{table} where {where}", params)[0]
    metadata: dict[str, Any] = {"dagster/row_count": rows, "partition_window": f"{window['min_date']} .. {window['max_date']} (end exclusive)"}
    if schema == "marts":
        columns, sample = warehouse.columns(f"select * from {schema}.{table} where {where} limit 5", params)
        metadata["preview"] = dg.MetadataValue.md(preview_table(columns, sample))
    if table in CHARTS:
        title, sql = CHARTS[table]
        metadata["chart"] = dg.MetadataValue.md(bar_chart(title, warehouse.query(sql.format(where=where), params)))
    if table == "dim_title":
        metadata |= title_match_metadata(warehouse, where, params)
    if table == "imdb_titles":
        metadata |= imdb_left_out(warehouse, where, params)
    return metadata


def imdb_left_out(warehouse: Warehouse, where: str, params: Sequence[Any]) -> dict[str, int]:
    """Titles of the kept types that `imdb_titles` leaves out by its documented rule: flagged adult, or an
    isAdult that is neither 0 nor 1 (a year where a shifted row put one). One more read of title.basics'
    two columns (the view reads the lake file), so every title of the dump is accounted for."""
    types = ", ".join(f"'{t}'" for t in _project_vars["imdb_title_types"])
    adult, malformed = warehouse.query(
        "select count(case when is_adult then 1 end), count(case when is_adult is null then 1 end)"
        f" from staging.stg_imdb__title_basics where {where} and title_type in ({types})", params)[0]
    return {"left_out/adult": adult, "left_out/is_adult_not_0_or_1": malformed}


_settings = load_settings()
_project = dbt_project(_settings)
_manifest = json.loads(_project.manifest_path.read_text())  # read once: the assets and SEEDS both use it
SEEDS = {n["name"] for n in _manifest["nodes"].values() if n["resource_type"] == "seed"}
VIEWS = {n["name"] for n in _manifest["nodes"].values() if n["config"].get("materialized") == "view"}
# The project's vars as dbt_project.yml sets them: the models read the same ones.
_project_vars = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


# One @dbt_assets per partitioning (dbt tags in dbt_project.yml): most models are daily; the Kaggle
# drops' models follow the arrival day, the CPI's the month.
DBT_PARTITIONINGS = {
    "tv_assets_dbt_models": (daily_partitions, "fqn:*", "tag:arrival tag:monthly"),
    "movies_dbt_models": (arrival_partitions, "tag:arrival", ""),
    "fred_dbt_models": (monthly_partitions, "tag:monthly", ""),
}


def build_dbt_assets(name: str) -> dg.AssetsDefinition:
    partitions_def, select, exclude = DBT_PARTITIONINGS[name]

    @dbt_assets(
        name=name,
        manifest=_manifest,
        project=_project,
        select=select,
        exclude=exclude or None,
        dagster_dbt_translator=TvAssetsTranslator(),
        partitions_def=partitions_def,
        backfill_policy=single_run,
        op_tags=WAREHOUSE_WRITER,
    )
    def models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse) -> Iterator[Any]:
        window = window_vars(*context.partition_time_window)
        context.log.info(f"dbt build for partitions {window['min_date']} .. {window['max_date']} (end exclusive)")
        # Collect first: DuckDB admits one writer, so the tables are read only once dbt has exited.
        with window_env(window):
            invocation = dbt.cli(["build"], context=context, target_path=with_saved_parse(_project, context.run.run_id))
            events = list(invocation.stream())
        # Every build writes its own target folder (manifest, compiled SQL, dbt.log: about 3.5 MB). A
        # failed build raised above and keeps it to inspect; a successful one's story is in Dagster's log.
        keep_parse(invocation.target_path, _project)
        shutil.rmtree(invocation.target_path, ignore_errors=True)
        for event in events:
            if isinstance(event, dg.Output | dg.AssetMaterialization) and _asset_key(context, event):
                event = event.with_metadata({**event.metadata, **preview_metadata(warehouse, _asset_key(context, event), window)})
            yield event

    return models


tv_assets_dbt_models, movies_dbt_models, fred_dbt_models = map(build_dbt_assets, DBT_PARTITIONINGS)


@contextlib.contextmanager
def window_env(window: Mapping[str, str]) -> Iterator[None]:
    """The partition window as TV_ASSETS_MIN_DATE/TV_ASSETS_MAX_DATE for the dbt process this block starts
    (dagster-dbt passes the run's environment on), which the `window_bounds` macro reads when models
    execute. Passed as `--vars`, a new window would make dbt parse the whole project again."""
    names = {f"TV_ASSETS_{name.upper()}": value for name, value in window.items()}
    before = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def with_saved_parse(project: DbtProject, run_id: str) -> Path:
    """A new target folder for one dbt invocation, holding the project's saved parse, so dbt parses only
    what changed since `prepare` (dagster-dbt looks for the saved parse in `target/`, not in the target's
    own folder this project parses into)."""
    folder = project.project_dir / project.target_path / f"run-{run_id[:8]}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    saved = project.project_dir / project.target_path / PARTIAL_PARSE
    if saved.exists():
        shutil.copy(saved, folder / PARTIAL_PARSE)
    return folder


def keep_parse(folder: Path, project: DbtProject) -> None:
    """Save a successful invocation's parse as the project's, so the next run with the same profile (the
    same warehouse settings) parses only what changed; written under a temporary name, then renamed."""
    parsed, saved = folder / PARTIAL_PARSE, project.project_dir / project.target_path / PARTIAL_PARSE
    if parsed.exists():
        staged = saved.with_name(f".{PARTIAL_PARSE}.{secrets.token_hex(4)}")
        shutil.copy(parsed, staged)
        os.replace(staged, saved)


def _asset_key(context: dg.AssetExecutionContext, event: dg.Output | dg.AssetMaterialization) -> dg.AssetKey | None:
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    return context.asset_key_for_output(event.output_name)
