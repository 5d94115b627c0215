"""The two kinds of asset every source has, named from the source: a fetch into the lake
(`lake/<source>_<name>`) and a load into the warehouse (`raw/<source>_<table>`), both in the source's
group and one run per partition range. Naming them here keeps a source's one name in its keys and group.
"""

import warnings
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
    return single_run_asset(
        key=["lake", f"{source}_{name}"],
        group_name=source,
        partitions_def=partitions_def,
        kinds={"python", file_kind},
        **kwargs,
    )


def raw_asset(
    source: str, table: str, partitions_def: dg.PartitionsDefinition = daily_partitions, **kwargs: Any
) -> Callable[..., dg.AssetsDefinition]:
    """`@dg.asset` of a load: `raw/<source>_<table>`, a writer of the warehouse (one at a time on DuckDB)."""
    return single_run_asset(
        key=raw_key(source, table),
        group_name=source,
        partitions_def=partitions_def,
        op_tags=WAREHOUSE_WRITER,
        kinds={load_settings().warehouse},
        **kwargs,
    )


def single_run_asset(**kwargs: Any) -> Callable[..., dg.AssetsDefinition]:
    """`@dg.asset(backfill_policy=single_run, ...)`: a backfill of any range is one run. The parameter is
    marked beta, the documented way to single-run backfills; the notice is silenced here only, not
    process-wide."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")
        return dg.asset(backfill_policy=single_run, **kwargs)


def raw_key(source: str, table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"{source}_{table}"])
