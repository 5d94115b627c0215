"""dbt models as partitioned assets: one `@dbt_assets` per partitioning (dbt tags in dbt_project.yml).

Most models are daily; the Kaggle drops' models follow the arrival day, the CPI's the month. The
partition window goes to dbt in the environment (see `tv_assets.platform.dbt.dbt_env`), so a backfill
of any range is a single `dbt build` that replaces exactly those partitions.
"""

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from tv_assets.defs.imdb.metadata import imdb_left_out
from tv_assets.defs.titles.metadata import title_match_metadata
from tv_assets.platform.dbt import TvAssetsTranslator, asset_key_of, dbt_env, keep_parse, with_saved_parse
from tv_assets.platform.assets import WAREHOUSE_WRITER
from tv_assets.platform.metadata import bar_chart, preview_table
from tv_assets.platform.partitions import (
    arrival_partitions, daily_partitions, monthly_partitions, single_run, window_vars,
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
    "dim_title": title_match_metadata,
    "imdb_titles": imdb_left_out,
}


class Manifest:
    """The parts of a prepared manifest the models' metadata needs: which nodes are seeds and views."""

    def __init__(self, project: DbtProject) -> None:
        self.project = project
        self.nodes = json.loads(project.manifest_path.read_text())
        nodes = self.nodes["nodes"].values()
        self.seeds = {n["name"] for n in nodes if n["resource_type"] == "seed"}
        self.views = {n["name"] for n in nodes if n["config"].get("materialized") == "view"}

    def preview_metadata(self, warehouse: Warehouse, key: dg.AssetKey, window: dict[str, str]) -> dict[str, Any]:
        """Row count of the window in a model's table, and a few rows of a mart."""
        schema, table = identifier(key.path[0]), identifier(key.path[-1])
        if table in self.seeds:  # reference data, not partitioned: the whole table
            return {"dagster/row_count": warehouse.query(f"select count(*) from {schema}.{table}")[0][0]}
        if table in self.views:  # counting a view over the lake would read the whole dump again; the loads count it
            return {"materialized": "view (rows are counted by the raw loads)"}
        where = "partition_date >= cast(? as date) and partition_date < cast(? as date)"
        params = [window["min_date"], window["max_date"]]
        (rows,) = warehouse.query(f"select count(*) from {schema}.{table} where {where}", params)[0]
        metadata: dict[str, Any] = {"dagster/row_count": rows,
                                    "partition_window": f"{window['min_date']} .. {window['max_date']} (end exclusive)"}
        if schema == "marts":
            columns, sample = warehouse.columns(f"select * from {schema}.{table} where {where} limit 5", params)
            metadata["preview"] = dg.MetadataValue.md(preview_table(columns, sample))
        if table in CHARTS:
            title, sql = CHARTS[table]
            metadata["chart"] = dg.MetadataValue.md(bar_chart(title, warehouse.query(sql.format(where=where), params)))
        if table in EXTRA_METADATA:
            metadata |= EXTRA_METADATA[table](warehouse, where, params)
        return metadata


def build_dbt_assets(name: str, manifest: Manifest) -> dg.AssetsDefinition:
    partitions_def, select, exclude = PARTITIONINGS[name]
    project = manifest.project

    @dbt_assets(
        name=name,
        manifest=manifest.nodes,
        project=project,
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
        with dbt_env(window, warehouse.dbt_env()):
            invocation = dbt.cli(["build"], context=context, target_path=with_saved_parse(project, context.run.run_id))
            events = list(invocation.stream())
        # Every build writes its own target folder (manifest, compiled SQL, dbt.log: about 3.5 MB). A
        # failed build raised above and keeps it to inspect; a successful one's story is in Dagster's log.
        keep_parse(invocation.target_path, project)
        shutil.rmtree(invocation.target_path, ignore_errors=True)
        for event in events:
            if isinstance(event, dg.Output | dg.AssetMaterialization) and (key := asset_key_of(context, event)):
                event = event.with_metadata({**event.metadata, **manifest.preview_metadata(warehouse, key, window)})
            yield event

    return models
