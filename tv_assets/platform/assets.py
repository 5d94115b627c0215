"""The two kinds of asset every source has, named from the source: a fetch into the lake
(`lake/<source>_<name>`) and a load into the warehouse (`raw/<source>_<table>`), both in the source's
group and one run per partition range. Naming them here keeps a source's one name in its keys and group.
"""

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import dagster as dg

from tv_assets.platform.partitions import daily_partitions, single_run
from tv_assets.platform.settings import load_settings

WAREHOUSE_WRITER = {"tv_assets/warehouse_writer": "true"}  # serialized on DuckDB, see tv_assets.definitions

# How far back a source answers, shown on its fetches (tag `history` and the description), so that the UI
# says whether a past or missed partition can still be fetched.
HISTORY = {
    "any_day": "any past partition can be fetched again.",
    "last_7_days": "the source answers for the last 7 days only: an older missed day cannot be fetched.",
    "present_only": "the source serves only the present: a partition whose day has passed cannot be fetched "
    "again, and a backfill re-reads only what the lake recorded on the day.",
    "on_arrival": "a partition holds what arrived in the landing area that day; nothing is fetched.",
}
OWNERS = ["team:data-platform"]
# A raw table shows its warehouse and its layer on its node (the dbt models show theirs the same way).
RAW_LAYER: dict[str, Any] = {"kinds": {load_settings().warehouse, "raw"}, "tags": {"layer": "raw"}}


def lake_asset(
    source: str,
    name: str,
    file_kind: str,
    history: str,
    partitions_def: dg.PartitionsDefinition = daily_partitions,
    description: str = "",
    **kwargs: Any,
) -> Callable[..., dg.AssetsDefinition]:
    """`@dg.asset` of a fetch: `lake/<source>_<name>`, storing `file_kind` files (json, tsv, zip, csv), in
    the lake layer; `history` (a key of HISTORY) says how far back the source answers. The function's
    docstring, when `description` is not given, comes first in the description."""

    def decorate(fn: Callable[..., Any]) -> dg.AssetsDefinition:
        text = description or inspect.cleandoc(fn.__doc__ or "")
        return single_run_asset(
            key=["lake", f"{source}_{name}"],
            group_name=source,
            partitions_def=partitions_def,
            kinds={"python", file_kind, "lake"},
            tags={"history": history, "layer": "lake"},
            owners=OWNERS,
            description=f"{text}\n\nHistory: {HISTORY[history]}",
            **kwargs,
        )(fn)

    return decorate


def raw_asset(
    source: str, table: str, partitions_def: dg.PartitionsDefinition = daily_partitions, **kwargs: Any
) -> Callable[..., dg.AssetsDefinition]:
    """`@dg.asset` of a load: `raw/<source>_<table>`, a writer of the warehouse (one at a time on DuckDB)."""
    return single_run_asset(
        key=raw_key(source, table),
        group_name=source,
        partitions_def=partitions_def,
        op_tags=WAREHOUSE_WRITER,
        owners=OWNERS,
        **RAW_LAYER,
        **kwargs,
    )


def single_run_asset(**kwargs: Any) -> Callable[..., dg.AssetsDefinition]:
    """`@dg.asset(backfill_policy=single_run, ...)`: a backfill of any range is one run. The parameter is
    marked beta, the documented way to single-run backfills; the notice is silenced here only, not
    process-wide."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")
        decorator = dg.asset(backfill_policy=single_run, **kwargs)

    def decorate(fn: Callable[..., Any]) -> dg.AssetsDefinition:
        # The UI links each asset to the function that computes it (a beta API: its notice is silenced here).
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=dg.BetaWarning)
            (assets_def,) = dg.with_source_code_references([decorator(fn)])
        return assets_def  # type: ignore[return-value]

    return decorate


def raw_key(source: str, table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"{source}_{table}"])
