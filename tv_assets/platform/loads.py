"""Raw loads shared by every JSON source: a lake payload into `raw.<source>_<dataset>`, one partition
per transaction, validated before the warehouse is touched and re-read after commit for the checks.
"""

import time
from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg

from tv_assets.platform.assets import raw_asset, raw_key
from tv_assets.platform.http import PayloadError
from tv_assets.platform.lake import Lake, partition_key
from tv_assets.platform.metadata import window_metadata
from tv_assets.platform.partitions import days_in_window
from tv_assets.platform.payloads import read
from tv_assets.platform.warehouse import JsonLayout, Warehouse

SKIPPED = "_skipped.json"  # a fetch that had nothing to fetch leaves this marker instead of a payload

Parse = Callable[[bytes, str], Sequence[Any]]  # (body, what) -> the payload's items, or PayloadError


def build_raw_load(
    source: str,
    dataset: str,
    filename: str,
    upstream: dg.AssetsDefinition,
    layout: JsonLayout,
    parse: Parse,
    required: Sequence[str],
) -> dg.AssetsDefinition:
    table = f"{source}_{dataset}"
    key = raw_key(source, dataset)

    @raw_asset(
        source,
        dataset,
        description=f"`raw.{table}`: one row per item of the lake's {filename}, the JSON kept whole in `payload`, "
        "with `partition_date`, `_loaded_at` and `_source_uri`. Reloading a partition replaces exactly that "
        "partition, in one transaction.",
        deps=[upstream],
        # Blocking: a load whose rows or fields are off must not flow into staging and marts.
        check_specs=[
            dg.AssetCheckSpec(
                "rows_match_payload",
                asset=key,
                blocking=True,
                description="Rows in the warehouse partition equal the items in the lake payload.",
            ),
            dg.AssetCheckSpec(
                "payload_keys_present",
                asset=key,
                blocking=True,
                description="Every row's payload in the warehouse carries the keys staging reads.",
            ),
        ],
    )
    def load(context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse) -> dg.MaterializeResult:
        started = time.perf_counter()
        counts, mismatched, missing, skipped = {}, {}, {}, []
        for day in days_in_window(*context.partition_time_window):
            payload_key, marker = (
                partition_key(source, dataset, day, filename),
                partition_key(source, dataset, day, SKIPPED),
            )
            if not lake.exists(payload_key) and lake.exists(marker):
                context.log.warning(f"raw/{table} {day}: skipped, as its fetch was ({lake.get(marker).decode()})")
                skipped.append(day)
                continue
            body = read(lake, source, dataset, day, filename, f"raw/{table}", upstream.key.to_user_string())
            what = f"{source} {dataset}, partition {day}"
            # Validate (shape and required keys) before touching the warehouse: a bad file changes nothing.
            try:
                items = parse(body, what)
            except PayloadError as error:
                raise dg.Failure(description=f"{error}; raw.{table} was not changed") from error
            uri = lake.uri(payload_key)
            try:
                counts[day] = warehouse.replace_json_partition(table, day, uri, layout, len(items))
            except Exception as error:  # the engine's own message, with where and what it was loading
                raise dg.Failure(
                    description=f"{what}: loading {uri} into raw.{table} failed, the "
                    f"partition was not changed: {type(error).__name__}: {error}"
                ) from error
            # Re-read after commit: the checks report what the warehouse holds, not what we meant to write.
            held, absent = warehouse.partition_profile(table, day, required)
            if held != len(items):
                mismatched[day] = {"rows": held, "payload_items": len(items)}
            if absent:
                missing[day] = absent
        if skipped:
            warehouse.ensure_raw_table(table)  # staging reads the table even when no partition has rows yet
        return dg.MaterializeResult(
            metadata={
                **window_metadata(context, counts, "rows", started, skipped_partitions=", ".join(skipped) or "none"),
                **warehouse.raw_column_schema(table),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name="rows_match_payload",
                    passed=not mismatched,
                    metadata={"partitions_checked": len(counts), "mismatched": dg.MetadataValue.json(mismatched)},
                ),
                dg.AssetCheckResult(
                    check_name="payload_keys_present",
                    passed=not missing,
                    metadata={"required": ", ".join(required), "missing": dg.MetadataValue.json(missing)},
                ),
            ],
        )

    return load


def jsonl(check: Callable[[bytes, str], Any]) -> Parse:
    """A parser of one JSON body per line, each checked by `check(line, what)`."""

    def parse(body: bytes, what: str) -> list:
        return [check(line, f"{what} line {n}") for n, line in enumerate(body.splitlines(), 1) if line.strip()]

    return parse
