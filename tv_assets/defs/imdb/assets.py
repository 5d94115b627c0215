"""IMDB's daily dumps: each file streamed into the lake as received, then read by the warehouse.

IMDB publishes one snapshot, today's, so a day's files exist only because that day's run kept them.
The files are large (title.basics is about 1 GB unpacked), so they never pass through memory whole:
the download is checked while it streams to disk, and the warehouse reads the compressed file itself.
"""

import json
import tempfile
import time
from pathlib import Path

import dagster as dg

from tv_assets.defs.imdb.client import COLUMNS, TsvGzCheck, TsvSummary
from tv_assets.defs.imdb.resource import ImdbResource
from tv_assets.platform.assets import lake_asset, raw_asset, raw_key
from tv_assets.platform.http import PayloadError, SourceError
from tv_assets.platform.lake import Lake
from tv_assets.platform.metadata import window_metadata
from tv_assets.platform.partitions import days_in_window
from tv_assets.platform.payloads import REQUEST, fetchable, kept, read, reject, require, store
from tv_assets.platform.warehouse import Warehouse

GROUP = "imdb"
PROGRESS_BYTES = 64 << 20  # log a line per 64 MB received


def filename(dataset: str) -> str:
    return f"{COLUMNS[dataset][0]}.tsv.gz"


def _download(context: dg.AssetExecutionContext, imdb: ImdbResource, dataset: str, day: str, into: Path) -> TsvSummary:
    """Stream one file to `into`, checking it on the way; raise `PayloadError` with the file kept."""
    file, columns = COLUMNS[dataset]
    what = f"imdb {file}, partition {day}"

    def consume(chunks) -> TsvSummary:  # called again from the start if the connection drops
        check, started, logged = TsvGzCheck(columns, what), time.perf_counter(), 0
        with open(into, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                try:
                    check.feed(chunk)
                except PayloadError:
                    for rest in chunks:  # keep the whole body as received, for inspection
                        handle.write(rest)
                    raise
                if check.compressed - logged >= PROGRESS_BYTES:
                    logged = check.compressed
                    rate = logged / (time.perf_counter() - started) / 1e6
                    context.log.info(
                        f"{what}: {logged >> 20} MB received ({rate:.1f} MB/s), {check.lines:,} lines so far"
                    )
        return check.finish()

    return imdb.client(day).download(f"/{filename(dataset)}", consume, partition=day)


def build_fetch(dataset: str) -> dg.AssetsDefinition:
    file, _ = COLUMNS[dataset]

    @lake_asset(
        "imdb",
        f"{dataset}_payload",
        "tsv",
        "present_only",
        description=f"IMDB's `{file}.tsv.gz` as published that day, stored as received (gzip). It is "
        "checked while it streams: a complete gzip, the expected header, every row with its "
        "fields. A day that has passed cannot be downloaded again (IMDB keeps only today's).",
    )
    def fetch(context: dg.AssetExecutionContext, imdb: ImdbResource, lake: Lake) -> dg.MaterializeResult:
        started, rows, sizes = time.perf_counter(), {}, {}
        for day in days_in_window(*context.partition_time_window):
            if not fetchable(day, imdb.replay, 1) and kept(
                context, lake, "imdb", dataset, day, filename(dataset), "IMDB publishes only today's dump"
            ):
                continue
            with tempfile.TemporaryDirectory(prefix="tv_assets_imdb_") as folder:
                local = Path(folder) / filename(dataset)
                try:
                    summary = _download(context, imdb, dataset, day, local)
                except PayloadError as error:
                    raise reject(lake, "imdb", dataset, day, local, error, suffix=".tsv.gz") from error
                except SourceError as error:
                    raise dg.Failure(description=str(error), metadata={"partition": day}) from error
                store(
                    context,
                    lake,
                    "imdb",
                    dataset,
                    day,
                    filename(dataset),
                    local,
                    {
                        "request": f"GET /{filename(dataset)}",
                        "status": 200,
                        "rows": summary.rows,
                        "text_bytes": summary.text_bytes,
                        "sha256": summary.sha256,
                    },
                )
            rows[day], sizes[day] = summary.rows, summary.compressed_bytes
            context.log.info(
                f"imdb {file} {day}: {summary.rows:,} rows, {summary.compressed_bytes:,} bytes gzip, "
                f"{summary.text_bytes:,} unpacked"
            )
        return dg.MaterializeResult(metadata=window_metadata(context, rows, "rows", started, bytes=sum(sizes.values())))

    return fetch


def rows_as_read(
    lake: Lake, warehouse: Warehouse, table: str, day: str, key: str, copied: int | None, record: dict
) -> tuple[int, str | None]:
    """The rows `raw.<table>` holds for `day`, and what is wrong with them (None: they are the download's).

    A copy counted its rows in its own transaction. A view reads the lake file in place: when the file is,
    byte for byte, the one counted while it downloaded (its SHA-256), its rows are the ones counted, as the
    reader takes one row per line, like the download's check, and fails on a line with a wrong field count.
    Hashing reads the gzip bytes once (about 0.3 s per 300 MB) where counting through the reader would
    unpack and parse the whole dump. A record without a checksum (an older download) is counted instead.
    """
    expected, uri, checksum = record["rows"], lake.uri(key), record.get("sha256")
    if copied is not None:
        return copied, None
    if checksum and lake.sha256(key) == checksum:
        return expected, None
    rows, _ = warehouse.partition_profile(table, day)  # no checksum, or a file that changed: count what is read
    if checksum:
        return rows, f"{uri} is not the file downloaded (its SHA-256 differs); the warehouse reads {rows:,} rows of it"
    return (
        rows,
        None if rows == expected else f"the warehouse reads {rows:,} rows of {uri}, the download counted {expected:,}",
    )


def build_load(dataset: str, upstream: dg.AssetsDefinition) -> dg.AssetsDefinition:
    file, columns = COLUMNS[dataset]
    table = f"imdb_{dataset}"

    key = raw_key(GROUP, dataset)

    @raw_asset(
        GROUP,
        dataset,
        deps=[upstream],
        description=f"`raw.{table}`: every row of the lake's `{file}.tsv.gz`, every column as text, with "
        "`partition_date` and `_source_uri`. The warehouse reads the compressed file itself "
        "(on DuckDB with a local lake, a view over the lake's files).",
        # Blocking: rows the warehouse's reader sees differently from the download must not reach the mart.
        check_specs=[
            dg.AssetCheckSpec(
                "rows_match_download",
                asset=key,
                blocking=True,
                description="Rows the warehouse reads for the partition equal the "
                "rows counted while the file downloaded. A copy counts "
                "them as it loads; a view over the lake reads the file "
                "that was counted, byte for byte (its SHA-256).",
            )
        ],
    )
    def load(context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse) -> dg.MaterializeResult:
        started, rows, mismatched = time.perf_counter(), {}, {}
        for day in days_in_window(*context.partition_time_window):
            producer = upstream.key.to_user_string()
            key = require(lake, "imdb", dataset, day, filename(dataset), f"raw/{table}", producer)
            record = json.loads(read(lake, "imdb", dataset, day, REQUEST, f"raw/{table}", producer))
            expected = record["rows"]
            try:
                copied = warehouse.replace_tsv_partition(table, day, lake.uri(key), columns, expected)
            except Exception as error:  # the engine's own message, with where and what it was loading
                raise dg.Failure(
                    description=f"imdb {file}, partition {day}: loading {lake.uri(key)} into raw.{table} "
                    f"failed, the partition was not changed: {type(error).__name__}: {error}"
                ) from error
            try:
                rows[day], problem = rows_as_read(lake, warehouse, table, day, key, copied, record)
            except Exception as error:  # a lake file that changed and no longer reads (cut short, not gzip)
                raise dg.Failure(
                    description=f"imdb {file}, partition {day}: {lake.uri(key)} is not the file "
                    f"downloaded and cannot be read: {type(error).__name__}: {error}"
                ) from error
            if problem:
                mismatched[day] = {"rows": rows[day], "downloaded_rows": expected, "problem": problem}
                context.log.error(f"raw/{table} {day}: {problem}")
        return dg.MaterializeResult(
            metadata={**window_metadata(context, rows, "rows", started), **warehouse.raw_column_schema(table)},
            check_results=[
                dg.AssetCheckResult(
                    check_name="rows_match_download",
                    passed=not mismatched,
                    metadata={"partitions_checked": len(rows), "mismatched": dg.MetadataValue.json(mismatched)},
                )
            ],
        )

    return load


_fetches = {dataset: build_fetch(dataset) for dataset in COLUMNS}
imdb_assets = [*_fetches.values(), *(build_load(dataset, fetch) for dataset, fetch in _fetches.items())]
