"""Lake bookkeeping shared by every source's fetch and load assets.

A partition's payload is stored as received, with a record of the request beside it; a bad payload
is kept under `rejected/` (never over good data); a load reads only what a fetch put in the lake.
"""

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg

from tv_assets.platform.http import PayloadError
from tv_assets.platform.lake import Lake, partition_key

REQUEST = "_request.json"  # beside each payload: how it was fetched, its size, and what was counted in it


def store(
    context: dg.AssetExecutionContext,
    lake: Lake,
    source: str,
    dataset: str,
    day: str,
    filename: str,
    body: bytes | Path,
    request: dict,
) -> str:
    """Write one partition's payload (bytes, or a local file streamed up) and a record of the request
    that produced it (no secrets in it)."""
    key = partition_key(source, dataset, day, filename)
    uri = lake.put_file(key, body) if isinstance(body, Path) else lake.put(key, body)
    size = body.stat().st_size if isinstance(body, Path) else len(body)
    record = {**request, "bytes": size, "fetched_at": datetime.now(UTC).isoformat(), "run_id": context.run.run_id}
    lake.put(partition_key(source, dataset, day, REQUEST), json.dumps(record, indent=2).encode())
    # On this partition's materialization only, not on the other days of a range run.
    context.add_asset_metadata({"lake_uri": dg.MetadataValue.path(uri), "lake_bytes": size}, partition_key=day)
    return uri


def reject(
    lake: Lake, source: str, dataset: str, day: str, body: bytes | Path, error: PayloadError, suffix: str = ".json"
) -> dg.Failure:
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


def fetch_date(day: str, replay: bool) -> date:
    """The date a present-only source sees the fetch of `day` on. Live, the real UTC date. When replaying
    (the sample API, which serves a past day as that day's run saw it), the partition's own day."""
    return date.fromisoformat(day) if replay else datetime.now(UTC).date()


def fetchable(day: str, replay: bool, days_back: int) -> bool:
    """Whether a present-only API, which serves the last `days_back` days before its present, can still
    serve `day`. The same rule in every mode: replaying only moves the present to the partition's day."""
    return date.fromisoformat(day) >= fetch_date(day, replay) - timedelta(days=days_back)


def require_usable(
    what: str, day: str, asked: int, failures: Mapping[Any, str], usable: int, max_failed_share: float
) -> None:
    """The rule for a present-only day (TMDB, X, IMDB serve it only while it lasts): store it only when it
    holds something usable and no more than `max_failed_share` of the `asked` items failed. Otherwise
    fail before anything is stored, naming how many failed and the first errors: a retry the same day
    can still fetch the day, where a stored empty or partial day would stand for it for good."""
    failed = len(failures)
    if usable and failed <= max_failed_share * asked:
        return
    first = "; ".join(f"{item}: {error}" for item, error in list(failures.items())[:3])
    why = "nothing usable" if not usable else f"more than {max_failed_share:.0%} failed"
    raise dg.Failure(
        description=f"{what}, partition {day}: {failed} of {asked} failed ({why}){': ' + first if first else ''}. "
        "Nothing was stored for the day; a retry while the source still serves it can succeed.",
        metadata={"partition": day, "asked": asked, "failed": failed, "usable": usable},
    )


def kept(
    context: dg.AssetExecutionContext, lake: Lake, source: str, dataset: str, day: str, filename: str, why: str
) -> bool:
    """True when an unfetchable day is already in the lake (kept as is); otherwise fail saying why."""
    if lake.exists(partition_key(source, dataset, day, filename)):
        context.log.info(f"{source} {dataset} {day}: kept from the lake ({why})")
        context.add_asset_metadata({"kept_from_lake": why}, partition_key=day)
        return True
    raise dg.Failure(
        description=f"{source} {dataset}, partition {day}: {why}, and the lake has no copy of it",
        metadata={"partition": day},
    )
