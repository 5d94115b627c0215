"""dbt models as partitioned assets: one `@dbt_assets` per partitioning (dbt tags in dbt_project.yml).

Most models are daily; the Kaggle drops' models follow the arrival day, the CPI's the month. The
partition window goes to dbt in the environment (see `tv_assets.platform.dbt.dbt_env`), so a backfill
of any range is a single `dbt build` that replaces exactly those partitions.
"""

import bisect
import json
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from tv_assets.defs.imdb.metadata import imdb_left_out
from tv_assets.defs.titles.metadata import title_match_metadata
from tv_assets.platform.dbt import TvAssetsTranslator, asset_key_of, dbt_env, keep_parse, parse_report, with_saved_parse
from tv_assets.platform.assets import WAREHOUSE_WRITER
from tv_assets.platform.metadata import bar_chart, column_schema, preview_table
from tv_assets.platform.partitions import (
    arrival_partitions, daily_partitions, monthly_partitions, partition_windows, single_run, window_vars,
)
from tv_assets.platform.warehouse import Warehouse, identifier

# name -> (partitions, dbt selection, dbt exclusion)
PARTITIONINGS = {
    "daily_dbt_models": (daily_partitions, "fqn:*", "tag:arrival tag:monthly"),
    "arrival_dbt_models": (arrival_partitions, "tag:arrival", ""),
    "monthly_dbt_models": (monthly_partitions, "tag:monthly", ""),
}

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

# Marts whose materialization says more than rows and a preview: (warehouse, where, params) -> metadata.
EXTRA_METADATA: dict[str, Callable[[Warehouse, str, Sequence[Any]], dict[str, Any]]] = {
    "int_titles__link_changes": title_match_metadata,
    "imdb_title_changes": imdb_left_out,
}


class Manifest:
    """The parts of a prepared manifest the models' metadata needs: which nodes are seeds and views."""

    def __init__(self, project: DbtProject) -> None:
        self.project = project
        self.nodes = json.loads(project.manifest_path.read_text())
        nodes = self.nodes["nodes"].values()
        self.seeds = {n["name"] for n in nodes if n["resource_type"] == "seed"}
        self.views = {n["name"] for n in nodes if n["config"].get("materialized") == "view"}
        # (schema, model) -> {column: description}: what the YAML says of each column, for the column schemas
        self.column_docs = {
            (n["config"].get("schema") or "main", n["name"]): {
                c.lower(): v.get("description", "") for c, v in n.get("columns", {}).items()
            }
            for n in nodes
        }

    def column_schema(
        self, key: dg.AssetKey, types: Mapping[tuple[str, str], Sequence[tuple[str, str]]]
    ) -> dict[str, Any]:
        """`dagster/column_schema` of a model: its columns as the warehouse typed them, described by the YAML."""
        schema, table = key.path[0], key.path[-1]
        columns = types.get((schema, table))
        return {"dagster/column_schema": column_schema(columns, self.column_docs.get((schema, table), {}))} if columns else {}

    def partition_metadata(
        self, warehouse: Warehouse, key: dg.AssetKey, windows: Mapping[str, tuple[str, str]]
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """A model's metadata after a build over `windows` (partition key -> [min_date, max_date)): what
        the run did as a whole (names under `run/`), and each partition's own row count, plus a few rows
        and charts of a mart. One query counts every partition and one reads every preview."""
        schema, table = identifier(key.path[0]), identifier(key.path[-1])
        if table in self.seeds:  # reference data, not partitioned: every partition reads the whole table
            return {"dagster/row_count": warehouse.query(f"select count(*) from {schema}.{table}")[0][0]}, {}
        if table in self.views:  # counting a view would compute it: read a whole dump again, or all the history
            return {"materialized": "view (stores no rows: computed from its inputs when read)"}, {}
        where = "partition_date >= cast(? as date) and partition_date < cast(? as date)"
        first, last = min(w[0] for w in windows.values()), max(w[1] for w in windows.values())
        partition_of = _partition_finder(windows)
        per_day = warehouse.query(
            f"select cast(partition_date as varchar), count(*) from {schema}.{table} where {where} group by 1",
            [first, last],
        )
        rows = dict.fromkeys(windows, 0)
        for day, count in per_day:
            rows[partition_of(day)] += count
        partitions: dict[str, dict[str, Any]] = {p: {"dagster/row_count": n} for p, n in rows.items()}
        if schema == "marts":
            columns, sample = warehouse.columns(
                f"select * from {schema}.{table} where {where}"
                " qualify row_number() over (partition by partition_date order by partition_date) <= 5",
                [first, last],
            )
            at = columns.index("partition_date")
            for partition in windows:
                shown = [r for r in sample if partition_of(str(r[at])) == partition][:5]
                partitions[partition]["preview"] = dg.MetadataValue.md(preview_table(columns, shown))
        for partition, (low, high) in windows.items():
            if table in CHARTS:
                title, sql = CHARTS[table]
                chart = bar_chart(title, warehouse.query(sql.format(where=where), [low, high]))
                partitions[partition]["chart"] = dg.MetadataValue.md(chart)
            if table in EXTRA_METADATA:
                partitions[partition] |= EXTRA_METADATA[table](warehouse, where, [low, high])
        run = {
            "run/partitions": len(windows),
            "run/partition_window": f"{first} .. {last} (end exclusive)",
            "run/rows": sum(rows.values()),
        }
        return run, partitions


def _partition_finder(windows: Mapping[str, tuple[str, str]]) -> Callable[[str], str]:
    """The partition key whose [min_date, max_date) holds an ISO day (a day or a month's partition)."""
    starts = sorted((low, key) for key, (low, _) in windows.items())
    lows = [low for low, _ in starts]

    def partition_of(day: str) -> str:
        return starts[bisect.bisect_right(lows, day[:10]) - 1][1]

    return partition_of


def build_dbt_assets(name: str, manifest: Manifest) -> dg.AssetsDefinition:
    partitions_def, select, exclude = PARTITIONINGS[name]
    project = manifest.project

    @dbt_assets(
        name=name,
        manifest=manifest.nodes,
        project=project,
        select=select,
        exclude=exclude or None,
        dagster_dbt_translator=TvAssetsTranslator(project),
        partitions_def=partitions_def,
        backfill_policy=single_run,
        op_tags=WAREHOUSE_WRITER,
    )
    def models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse) -> Iterator[Any]:
        window = window_vars(*context.partition_time_window)
        context.log.info(f"dbt build for partitions {window['min_date']} .. {window['max_date']} (end exclusive)")
        # Collect first: DuckDB admits one writer, so the tables are read only once dbt has exited.
        profile = warehouse.dbt_env()
        with dbt_env(window, profile):
            folder = with_saved_parse(project, context.run.run_id, profile)
            invocation = dbt.cli(["build"], context=context, target_path=folder)
            events = list(invocation.stream())
        # Every build writes its own target folder (manifest, compiled SQL, dbt.log: about 3.5 MB). A
        # failed build raised above and keeps it to inspect; a successful one's story is in Dagster's log,
        # with how dbt parsed (a full parse costs seconds: a new warehouse profile, or a changed project).
        context.log.info(f"dbt parse: {parse_report(invocation.target_path / 'dbt.log')}")
        keep_parse(invocation.target_path, project, profile)
        shutil.rmtree(invocation.target_path, ignore_errors=True)
        windows = partition_windows(context)
        # One query for the types of every column the build wrote (cheaper than dagster-dbt's column
        # metadata, which opens a dbt adapter in the run: measured in README's *The UI*).
        types = warehouse.column_types(*{key.path[0] for key in context.selected_asset_keys})
        for event in events:
            if isinstance(event, dg.Output | dg.AssetMaterialization) and (key := asset_key_of(context, event)):
                run, partitions = manifest.partition_metadata(warehouse, key, windows)
                for partition, metadata in partitions.items():
                    context.add_asset_metadata(metadata, asset_key=key, partition_key=partition)
                event = event.with_metadata({**event.metadata, **run, **manifest.column_schema(key, types)})
            yield event

    return models
