"""FRED's CPI for cinema admissions (CUSR0000SS62031), one monthly partition per observation.

A month is fetched as FRED answers it (fredgraph.csv, or the API's JSON with `FRED_API_KEY`) and kept
in the lake as received; the load parses the one observation and writes it to `raw.fred_cpi`. A month
FRED has not published yet fails saying so; a month published as missing (October 2025) loads as null.
"""

import json
import time

import dagster as dg

from tv_assets.defs.fred.client import SERIES, parse
from tv_assets.defs.fred.resource import FredResource
from tv_assets.platform.assets import lake_asset, raw_asset
from tv_assets.platform.http import PayloadError, SourceError
from tv_assets.platform.lake import Lake, partition_key
from tv_assets.platform.metadata import window_metadata
from tv_assets.platform.partitions import days_in_window, monthly_partitions
from tv_assets.platform.payloads import REQUEST, read, reject, store
from tv_assets.platform.warehouse import Warehouse

GROUP = "fred"
COLUMNS = {"observation_date": "date", "value": "double"}


def months(context: dg.AssetExecutionContext) -> list[str]:
    return [day for day in days_in_window(*context.partition_time_window) if day.endswith("-01")]


@lake_asset(
    "fred",
    "cpi_payload",
    "csv",
    "any_day",
    monthly_partitions,
    description=f"FRED series {SERIES} (CPI-U, admission to movies, theaters and concerts, U.S. city average, "
    "seasonally adjusted) for one month, as FRED answered: fredgraph.csv, or the API's JSON when "
    "`FRED_API_KEY` is set.",
)
def fred_cpi_payload(context: dg.AssetExecutionContext, fred: FredResource, lake: Lake) -> dg.MaterializeResult:
    started, client, counts, values = time.perf_counter(), fred.client(), {}, {}
    for month in months(context):
        what = f"fred {SERIES}, partition {month}"
        try:
            fetched = client.month(month)
        except SourceError as error:
            raise dg.Failure(description=str(error), metadata={"partition": month}) from error
        try:
            observations = parse(client.filename, fetched.body, what)
        except PayloadError as error:
            raise reject(lake, "fred", "cpi", month, fetched.body, error, suffix=f"-{client.filename}") from error
        if [day for day, _ in observations] != [month]:
            raise dg.Failure(
                description=f"{what}: FRED has not published this month yet (it answered "
                f"{len(observations)} observations); BLS publishes a month's CPI in the next one",
                metadata={"partition": month},
            )
        store(
            context,
            lake,
            "fred",
            "cpi",
            month,
            client.filename,
            fetched.body,
            {"request": fetched.request, "status": fetched.status, "file": client.filename},
        )
        counts[month], values[month] = 1, observations[0][1]
    missing = [m for m, v in values.items() if v is None]
    return dg.MaterializeResult(
        metadata=window_metadata(context, counts, "observations", started, missing_months=", ".join(missing) or "none")
    )


@raw_asset(
    GROUP,
    "cpi",
    monthly_partitions,
    deps=[fred_cpi_payload],
    description="`raw.fred_cpi`: the month's observation (`observation_date`, `value`, null where FRED has "
    "none), with `partition_date` and `_source_uri`.",
)
def fred_cpi(context: dg.AssetExecutionContext, lake: Lake, warehouse: Warehouse) -> dg.MaterializeResult:
    started, parsed = time.perf_counter(), {}
    producer = fred_cpi_payload.key.to_user_string()
    for month in months(context):
        file = json.loads(read(lake, "fred", "cpi", month, REQUEST, "raw/fred_cpi", producer))["file"]
        body = read(lake, "fred", "cpi", month, file, "raw/fred_cpi", producer)
        parsed[month] = (
            parse(file, body, f"fred {SERIES}, partition {month}"),
            lake.uri(partition_key("fred", "cpi", month, file)),
        )
    warehouse.replace_rows("fred_cpi", COLUMNS, parsed)
    counts = {month: len(rows) for month, (rows, _) in parsed.items()}
    latest = next((rows[-1] for rows, _ in reversed(parsed.values()) if rows), None)
    return dg.MaterializeResult(
        metadata={
            **window_metadata(
                context, counts, "observations", started, latest=f"{latest[0]}: {latest[1]}" if latest else "none"
            ),
            **warehouse.raw_column_schema("fred_cpi"),
        }
    )


fred_assets = [fred_cpi_payload, fred_cpi]
