"""Kaggle drops (Letterboxd, The Movies Dataset): from the landing area to raw tables.

An archive dropped into `landing/<source>/` (by hand, by a vendor, or by the Kaggle API when
credentials are set) is checked, split into its CSVs and kept in the lake as received. Records that
cannot be read (a record cut in two by a stray line break, a date where an id belongs) go to a
quarantine with the reason and their source text; the rest are bulk-loaded by the warehouse's reader.
"""

import json
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from tv_assets.defs.kaggle.client import (
    ARCHIVES,
    Archive,
    DropError,
    archive_members,
    ignored_members,
    split_members,
)
from tv_assets.defs.kaggle.resource import KaggleResource
from tv_assets.platform.assets import OWNERS, RAW_LAYER, WAREHOUSE_WRITER, lake_asset
from tv_assets.platform.lake import Lake, partition_key
from tv_assets.platform.landing import LANDING_KEY_TAG
from tv_assets.platform.metadata import counts_table, window_metadata
from tv_assets.platform.partitions import arrival_partitions, days_in_window, single_run
from tv_assets.platform.payloads import REQUEST, read, require, store
from tv_assets.platform.warehouse import Warehouse

QUARANTINE = "quarantine.jsonl"


def archive_name(source: str) -> str:
    return f"{source}.zip"


def _drop(context: dg.AssetExecutionContext, lake: Lake, kaggle: KaggleResource, source: str, day: str) -> str:
    """The lake key of the day's archive. In order: the file that started this run (the landing sensor's
    tag), the newest file that arrived in the landing area that day, the lake's copy (a re-run), and for
    today only, a download from Kaggle into the landing area when credentials are set."""
    tagged = context.run.tags.get(LANDING_KEY_TAG, "")
    arrived = sorted(
        (o for o in lake.list(f"landing/{source}/") if o.last_modified.date().isoformat() == day),
        key=lambda o: (o.last_modified, o.key),
    )
    if tagged.startswith(f"landing/{source}/") and any(o.key == tagged for o in arrived):
        return tagged
    if arrived:
        return arrived[-1].key
    stored = partition_key(source, "archive", day, archive_name(source))
    if lake.exists(stored):
        return stored
    if kaggle.configured and day == datetime.now(UTC).date().isoformat():
        landing = f"landing/{source}/kaggle-{day}.zip"
        with tempfile.TemporaryDirectory(prefix="tv_assets_kaggle_") as folder:
            lake.put_file(
                landing, kaggle.download(ARCHIVES[source].slug, lambda chunks: _write(chunks, Path(folder) / "a.zip"))
            )
        context.log.info(f"{source} {day}: downloaded {ARCHIVES[source].slug} from Kaggle to {lake.uri(landing)}")
        return landing
    raise dg.Failure(
        description=f"{source}, partition {day}: no archive arrived in {lake.uri(f'landing/{source}')}/ "
        "that day and the lake has none; drop one there (or set KAGGLE_USERNAME and "
        "KAGGLE_KEY to download today's)",
        metadata={"partition": day},
    )


def _write(chunks: Iterator[bytes], path: Path) -> Path:
    with open(path, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path


def _split(archive: Archive, local: Path, folder: Path, what: str) -> tuple[dict[str, int], list[dict]]:
    """Every expected CSV of the archive split into `folder/<member>.gz`; rows kept per table and the
    records set aside. All members are split before anything is written to the lake, and a member with no
    readable record refuses the whole drop: the archive is damaged, not the day empty."""
    members = archive_members(local, archive, what)
    splits = split_members(
        local, {table: (info, archive.files[table]) for table, info in members.items()}, folder, what
    )
    rows, rejected = {}, []
    for table, info in members.items():
        split = splits[table]
        if not split.rows:  # an empty file, or one of only bad records, would replace the day's rows with none
            first = split.rejected[0] if split.rejected else None
            raise DropError(
                f"{what}: {info.filename} has no readable record ({len(split.rejected)} set aside"
                + (f"; first, line {first['line']}: {first['reason']})" if first else ")")
            )
        rows[table] = split.rows
        rejected += [{"file": archive.files[table].member, **record} for record in split.rejected]
    return rows, rejected


def build_archive(source: str) -> dg.AssetsDefinition:
    archive = ARCHIVES[source]
    members = ", ".join(spec.member for spec in archive.files.values())

    @lake_asset(
        source,
        "archive",
        "zip",
        "on_arrival",
        arrival_partitions,
        description=f"Kaggle's `{archive.slug}` archive dropped in `landing/{source}/`, kept in the lake as "
        f"received, and its CSVs ({members}) split out: records that cannot be read go to "
        f"`{QUARANTINE}` with the reason and their source text. Every other file of the archive "
        "is listed in `ignored_files` with the reason. Partitioned by arrival day.",
    )
    def archive_asset(context: dg.AssetExecutionContext, lake: Lake, kaggle: KaggleResource) -> dg.MaterializeResult:
        started, rows, quarantined, per_file, ignored = time.perf_counter(), {}, {}, {}, {}
        for day in days_in_window(*context.partition_time_window):
            with tempfile.TemporaryDirectory(prefix=f"tv_assets_{source}_") as name:
                folder = Path(name)
                local = folder / archive_name(source)
                drop = _drop(context, lake, kaggle, source, day)
                origin = lake.uri(drop)
                lake.get_file(drop, local)
                what = f"{source} archive {origin}, partition {day}"
                try:
                    kept, rejected = _split(archive, local, folder, what)
                except DropError as error:
                    raise dg.Failure(
                        description=f"{error}. The dropped file is kept at {origin}; the lake "
                        "partition was not changed.",
                        metadata={"partition": day, "dropped_file": origin},
                    ) from error
                ignored[day] = ignored_members(local, archive)
                for table, spec in archive.files.items():
                    lake.put_file(partition_key(source, table, day, f"{spec.member}.gz"), folder / f"{spec.member}.gz")
                lake.put(
                    partition_key(source, "quarantine", day, QUARANTINE),
                    "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rejected).encode(),
                )
                # Last, so a partition with a record is complete: the loads read the counts from it.
                per_file[day] = {
                    spec.member: sum(r["file"] == spec.member for r in rejected) for spec in archive.files.values()
                }
                store(
                    context,
                    lake,
                    source,
                    "archive",
                    day,
                    archive_name(source),
                    local,
                    {"dropped_file": origin, "rows": kept, "quarantined": per_file[day], "ignored": ignored[day]},
                )
            rows[day], quarantined[day] = sum(kept.values()), len(rejected)
            context.add_asset_metadata(
                {
                    "quarantined_rows": len(rejected),
                    "quarantined_per_file": dg.MetadataValue.json(per_file[day]),
                    "ignored_files": dg.MetadataValue.md(_ignored_table({day: ignored[day]})),
                },
                partition_key=day,
            )
            context.log.info(f"{source} {day}: {rows[day]:,} records kept from {origin}")
            if rejected:
                context.log.warning(
                    f"{source} {day}: {len(rejected)} records quarantined, first: "
                    f"{rejected[0]['file']} line {rejected[0]['line']}: {rejected[0]['reason']}"
                )
        return dg.MaterializeResult(
            metadata=window_metadata(
                context,
                rows,
                "records",
                started,
                quarantined_rows=sum(quarantined.values()),
                quarantined_per_partition=dg.MetadataValue.md(counts_table(quarantined, "quarantined")),
            )
        )

    return archive_asset


def _ignored_table(ignored: dict[str, list[dict]]) -> str:
    """Markdown: each member of each day's archive that was not loaded, its size and why."""
    rows = [
        f"| {day} | {m['file']} | {m['bytes']:,} | {m['reason']} |" for day, members in ignored.items() for m in members
    ]
    return "\n".join(["| partition | file | bytes | why not loaded |", "|---|---|---|---|", *rows])


def build_loads(source: str, upstream: dg.AssetsDefinition) -> dg.AssetsDefinition:
    archive, prefix = ARCHIVES[source], source  # the source names its raw tables and group
    tables = {f"{prefix}_{table}": spec for table, spec in archive.files.items()}
    quarantine = f"{prefix}_quarantine"
    descriptions = {
        name: f"`raw.{name}`: every readable record of `{spec.member}` from the day's archive, every column as "
        "text, with `partition_date` and `_source_uri`."
        for name, spec in tables.items()
    }
    descriptions[quarantine] = (
        f"`raw.{quarantine}`: the records of the day's archive that could not be read, one JSON object each: "
        "file, line, reason and the source text."
    )
    specs = [
        dg.AssetSpec(
            ["raw", name],
            deps=[upstream.key],
            group_name=source,
            kinds=RAW_LAYER["kinds"],
            tags=RAW_LAYER["tags"],
            owners=OWNERS,
            description=description,
        )
        for name, description in descriptions.items()
    ]
    checks = [
        dg.AssetCheckSpec(
            "rows_match_archive",
            asset=dg.AssetKey(["raw", name]),
            blocking=True,
            description="Rows in the warehouse partition equal the records kept from the archive.",
        )
        for name in tables
    ]

    @dg.multi_asset(
        name=f"{prefix}_raw_tables",
        specs=specs,
        check_specs=checks,
        partitions_def=arrival_partitions,
        backfill_policy=single_run,
        op_tags=WAREHOUSE_WRITER,
    )
    def loads(context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse):
        started = time.perf_counter()
        counts: dict[str, dict[str, int]] = {name: {} for name in [*tables, quarantine]}
        mismatched: dict[str, dict[str, Any]] = {}
        # stg_kaggle__quarantine reads every source's quarantine, including one whose archive never came.
        for other in ARCHIVES:
            warehouse.ensure_raw_table(f"{other}_quarantine")
        producer = upstream.key.to_user_string()
        for day in days_in_window(*context.partition_time_window):
            record = json.loads(read(lake, source, "archive", day, REQUEST, f"raw/{prefix}_*", producer))
            for (name, spec), table in zip(tables.items(), archive.files, strict=True):
                key = require(lake, source, table, day, f"{spec.member}.gz", f"raw/{name}", producer)
                expected = record["rows"][table]
                try:
                    warehouse.replace_csv_partition(name, day, lake.uri(key), spec.columns, expected)
                except Exception as error:  # the engine's own message, with where and what it was loading
                    raise dg.Failure(
                        description=f"{source} {spec.member}, partition {day}: loading {lake.uri(key)} "
                        f"into raw.{name} failed, the partition was not changed: "
                        f"{type(error).__name__}: {error}"
                    ) from error
                counts[name][day], _ = warehouse.partition_profile(name, day)
                if counts[name][day] != expected:
                    mismatched.setdefault(name, {})[day] = {"rows": counts[name][day], "archive_records": expected}
            key = require(lake, source, "quarantine", day, QUARANTINE, f"raw/{quarantine}", producer)
            counts[quarantine][day] = warehouse.replace_json_partition(
                quarantine, day, lake.uri(key), "lines", sum(record["quarantined"].values())
            )
        for name in tables:
            yield dg.MaterializeResult(
                asset_key=["raw", name],
                metadata={
                    **window_metadata(context, counts[name], "rows", started, ["raw", name]),
                    **warehouse.raw_column_schema(name),
                },
            )
            yield dg.AssetCheckResult(
                asset_key=["raw", name],
                check_name="rows_match_archive",
                passed=name not in mismatched,
                metadata={"mismatched": dg.MetadataValue.json(mismatched.get(name, {}))},
            )
        yield dg.MaterializeResult(
            asset_key=["raw", quarantine],
            metadata={
                **window_metadata(context, counts[quarantine], "quarantined", started, ["raw", quarantine]),
                **warehouse.raw_column_schema(quarantine),
            },
        )

    return loads


_archives = {source: build_archive(source) for source in ARCHIVES}
kaggle_assets = [*_archives.values(), *(build_loads(source, asset) for source, asset in _archives.items())]
