"""The two kinds of asset every source has, named from the source: a fetch into the lake
(`lake/<source>_<name>`) and a load into the warehouse (`raw/<source>_<table>`), both in the source's
group and one run per partition range. Naming them here keeps a source's one name in its keys and group.
"""

from collections.abc import Callable
from typing import Any

import dagster as dg

from tv_assets.platform.partitions import daily_partitions, single_run
from tv_assets.platform.settings import load_settings

WAREHOUSE_WRITER = {"tv_assets/warehouse_writer": "true"}  # serialized on DuckDB, see tv_assets.definitions


def lake_asset(
    source: str, name: str, file_kind: str, partitions_def: dg.PartitionsDefinition = daily_partitions, **kwargs: Any
) -> Callable[..., dg.AssetsDefinition]:
    """`@dg.asset` of a fetch: `lake/<source>_<name>`, storing `file_kind` files (json, tsv, zip, csv)."""
    return dg.asset(
        key=["lake", f"{source}_{name}"],
        group_name=source,
        partitions_def=partitions_def,
        backfill_policy=single_run,
        kinds={"python", file_kind},
        **kwargs,
    )


def raw_asset(
    source: str, table: str, partitions_def: dg.PartitionsDefinition = daily_partitions, **kwargs: Any
) -> Callable[..., dg.AssetsDefinition]:
    """`@dg.asset` of a load: `raw/<source>_<table>`, a writer of the warehouse (one at a time on DuckDB)."""
    return dg.asset(
        key=raw_key(source, table),
        group_name=source,
        partitions_def=partitions_def,
        backfill_policy=single_run,
        op_tags=WAREHOUSE_WRITER,
        kinds={load_settings().warehouse},
        **kwargs,
    )


def raw_key(source: str, table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"{source}_{table}"])
