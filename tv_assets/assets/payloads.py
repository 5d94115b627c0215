"""Lake bookkeeping shared by every source's fetch and load assets.

A partition's payload is stored as received, with a record of the request beside it; a bad payload
is kept under `rejected/` (never over good data); a load reads only what a fetch put in the lake.
"""

import json
from datetime import UTC, datetime

import dagster as dg

from tv_assets.resources import Lake
from tv_assets.resources.lake import partition_key
from tv_assets.sources.http import PayloadError


def store(context: dg.AssetExecutionContext, lake: Lake, source: str, dataset: str, day: str, filename: str,
          body: bytes, request: dict) -> str:
    """Write one partition's payload and a record of the request that produced it (no secrets in it)."""
    uri = lake.put(partition_key(source, dataset, day, filename), body)
    record = {**request, "bytes": len(body), "fetched_at": datetime.now(UTC).isoformat(), "run_id": context.run_id}
    lake.put(partition_key(source, dataset, day, "_request.json"), json.dumps(record, indent=2).encode())
    return uri


def reject(lake: Lake, source: str, dataset: str, day: str, body: bytes, error: PayloadError) -> dg.Failure:
    """Keep a bad payload for inspection, beside (never over) the partition's good data."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    uri = lake.put(partition_key(source, dataset, day, f"{stamp}.json", area="rejected"), body)
    return dg.Failure(
        description=f"{error}. The payload was kept at {uri}; the lake partition was not changed.",
        metadata={"partition": day, "rejected_payload": uri},
    )


def read(lake: Lake, source: str, dataset: str, day: str, filename: str, reader: str, producer: str) -> bytes:
    """A partition's payload, or a failure naming the asset that must be materialized first."""
    key = partition_key(source, dataset, day, filename)
    if not lake.exists(key):
        raise dg.Failure(
            description=f"{reader}: partition {day}: {lake.uri(key)} is not in the lake; "
                        f"materialize {producer} for {day} first."
        )
    return lake.get(key)
