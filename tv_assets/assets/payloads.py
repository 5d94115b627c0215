"""Lake bookkeeping shared by every source's fetch and load assets.

A partition's payload is stored as received, with a record of the request beside it; a bad payload
is kept under `rejected/` (never over good data); a load reads only what a fetch put in the lake.
"""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg

from tv_assets.resources import Lake
from tv_assets.resources.lake import partition_key
from tv_assets.sources.http import PayloadError


REQUEST = "_request.json"  # beside each payload: how it was fetched, its size, and what was counted in it


def store(context: dg.AssetExecutionContext, lake: Lake, source: str, dataset: str, day: str, filename: str,
          body: bytes | Path, request: dict) -> str:
    """Write one partition's payload (bytes, or a local file streamed up) and a record of the request
    that produced it (no secrets in it)."""
    key = partition_key(source, dataset, day, filename)
    uri = lake.put_file(key, body) if isinstance(body, Path) else lake.put(key, body)
    size = body.stat().st_size if isinstance(body, Path) else len(body)
    record = {**request, "bytes": size, "fetched_at": datetime.now(UTC).isoformat(), "run_id": context.run.run_id}
    lake.put(partition_key(source, dataset, day, REQUEST), json.dumps(record, indent=2).encode())
    return uri


def reject(lake: Lake, source: str, dataset: str, day: str, body: bytes | Path, error: PayloadError,
           suffix: str = ".json") -> dg.Failure:
    """Keep a bad payload for inspection, beside (never over) the partition's good data."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    key = partition_key(source, dataset, day, f"{stamp}{suffix}", area="rejected")
    uri = lake.put_file(key, body) if isinstance(body, Path) else lake.put(key, body)
    return dg.Failure(
        description=f"{error}. The payload was kept at {uri}; the lake partition was not changed.",
        metadata={"partition": day, "rejected_payload": uri},
    )


def read(lake: Lake, source: str, dataset: str, day: str, filename: str, reader: str, producer: str) -> bytes:
    """A partition's payload, or a failure naming the asset that must be materialized first."""
    return lake.get(require(lake, source, dataset, day, filename, reader, producer))


def require(lake: Lake, source: str, dataset: str, day: str, filename: str, reader: str, producer: str) -> str:
    """The lake key of a partition's file, or a failure naming the asset that must be materialized first."""
    key = partition_key(source, dataset, day, filename)
    if not lake.exists(key):
        raise dg.Failure(
            description=f"{reader}: partition {day}: {lake.uri(key)} is not in the lake; "
                        f"materialize {producer} for {day} first."
        )
    return key


def fetchable(day: str, sample: bool, days_back: int) -> bool:
    """Whether a present-only API can still serve `day` (the sample serves any day)."""
    return sample or date.fromisoformat(day) >= datetime.now(UTC).date() - timedelta(days=days_back)


def kept(context: dg.AssetExecutionContext, lake: Lake, source: str, dataset: str, day: str, filename: str,
         why: str) -> bool:
    """True when an unfetchable day is already in the lake (kept as is); otherwise fail saying why."""
    if lake.exists(partition_key(source, dataset, day, filename)):
        context.log.info(f"{source} {dataset} {day}: kept from the lake ({why})")
        return True
    raise dg.Failure(description=f"{source} {dataset}, partition {day}: {why}, and the lake has no copy of it",
                     metadata={"partition": day})
