"""TMDB daily snapshots of the tracked shows and TV lists, into the lake and raw.

TMDB serves only the present, so its history exists only because these assets record it each day. A
partition that can no longer be fetched keeps what the lake already holds, or fails saying so.
"""

import time

import dagster as dg

from tv_assets.defs.tmdb.client import parse_details, parse_page
from tv_assets.defs.tmdb.resource import TMDBResource
from tv_assets.platform.assets import lake_asset
from tv_assets.platform.http import PayloadError, SourceError, as_line
from tv_assets.platform.lake import Lake
from tv_assets.platform.loads import build_raw_load, jsonl
from tv_assets.platform.metadata import window_metadata
from tv_assets.platform.partitions import days_in_window
from tv_assets.platform.payloads import fetchable, kept, reject, require_usable, store
from tv_assets.platform.tracked import tracked_shows

GROUP = "tmdb"
LISTS = {"popular": "/tv/popular", "trending": "/trending/tv/day"}
FILE = "data.jsonl"  # one JSON body per line, each exactly as received (line breaks removed)


def _lines(bodies: list[bytes]) -> bytes:
    return b"".join(as_line(body) + b"\n" for body in bodies)


def build_list_fetch(kind: str) -> dg.AssetsDefinition:
    @lake_asset(
        "tmdb",
        f"{kind}_payload",
        "json",
        "present_only",
        description=f"TMDB `{LISTS[kind]}`, every page up to the configured maximum (500 at most, TMDB's "
        "cap): the day's ranking of TV shows. One page body per line, as received.",
    )
    def fetch(context: dg.AssetExecutionContext, tmdb: TMDBResource, lake: Lake) -> dg.MaterializeResult:
        started, counts = time.perf_counter(), {}
        for day in days_in_window(*context.partition_time_window):
            if not fetchable(day, tmdb.replay, 1) and kept(
                context, lake, "tmdb", kind, day, FILE, "TMDB serves only today's lists"
            ):
                continue
            try:  # a malformed page 1 (PayloadError, a SourceError) fails here: the page count is unknown
                pages = tmdb.client(day).pages(LISTS[kind], partition=day, max_pages=tmdb.max_pages)
            except SourceError as error:
                raise dg.Failure(description=str(error), metadata={"partition": day}) from error
            try:
                results = sum(
                    len(parse_page(p.body, what=f"tmdb {kind}, partition {day}, page {n}")["results"])
                    for n, p in enumerate(pages, 1)
                )
            except PayloadError as error:
                raise reject(lake, "tmdb", kind, day, _lines([p.body for p in pages]), error) from error
            require_usable(f"tmdb {kind}", day, len(pages), {}, results, tmdb.max_failed_share)
            store(
                context,
                lake,
                "tmdb",
                kind,
                day,
                FILE,
                _lines([p.body for p in pages]),
                {"request": f"GET {LISTS[kind]} pages 1..{len(pages)}", "status": 200},
            )
            counts[day] = results
        return dg.MaterializeResult(metadata=window_metadata(context, counts, "shows", started))

    return fetch


tmdb_popular_payload = build_list_fetch("popular")
tmdb_trending_payload = build_list_fetch("trending")


@lake_asset(
    "tmdb",
    "tv_details_payload",
    "json",
    "present_only",
)
def tmdb_tv_details_payload(context: dg.AssetExecutionContext, tmdb: TMDBResource, lake: Lake) -> dg.MaterializeResult:
    """TMDB `/tv/{id}` with `external_ids` for every show of the `tracked_shows` seed: seasons, episodes,
    votes, popularity, genres and networks as of that day. One response body per line, as received."""
    started, counts, failed = time.perf_counter(), {}, {}
    ids = [show.tmdb_id for show in tracked_shows()]
    for day in days_in_window(*context.partition_time_window):
        if not fetchable(day, tmdb.replay, 1) and kept(
            context, lake, "tmdb", "tv_details", day, FILE, "TMDB serves only today's values"
        ):
            continue
        try:
            bodies, failures = tmdb.client(day).details(ids, partition=day)
        except SourceError as error:
            raise dg.Failure(description=str(error), metadata={"partition": day}) from error
        require_usable(
            "tmdb tv_details of the tracked shows", day, len(ids), failures, len(bodies), tmdb.max_failed_share
        )
        missing = sorted(failures)
        payload = _lines([bodies[i] for i in sorted(bodies)])
        try:
            for n, body in enumerate(payload.splitlines(), 1):
                parse_details(body, what=f"tmdb tv_details, partition {day}, line {n}")
        except PayloadError as error:
            raise reject(lake, "tmdb", "tv_details", day, payload, error) from error
        store(
            context,
            lake,
            "tmdb",
            "tv_details",
            day,
            FILE,
            payload,
            {
                "request": f"GET /tv/:id?append_to_response=external_ids for {len(ids)} tracked ids",
                "status": 200,
                "failed": {str(i): failures[i] for i in missing},
            },
        )
        counts[day] = len(bodies)
        if missing:
            failed[day] = missing
            context.log.warning(
                f"tmdb tv_details {day}: {len(missing)} tracked ids failed (within the "
                f"{tmdb.max_failed_share:.0%} allowed): {missing[:20]}"
            )
    return dg.MaterializeResult(
        metadata=window_metadata(
            context, counts, "shows", started, tracked=len(ids), failed_ids=dg.MetadataValue.json(failed)
        )
    )


parse_pages = jsonl(lambda line, where: parse_page(line, what=where))

# One load per list, and one for the details: each line of the lake file one TMDB answer, kept whole.
list_loads = [
    build_raw_load("tmdb", kind, FILE, fetch, "lines", parse_pages, ("page", "results"))
    for kind, fetch in (("popular", tmdb_popular_payload), ("trending", tmdb_trending_payload))
]
raw_tmdb_tv_details = build_raw_load(
    "tmdb",
    "tv_details",
    FILE,
    tmdb_tv_details_payload,
    "lines",
    jsonl(lambda b, w: parse_details(b, what=w)),
    ("id", "name", "popularity", "vote_count", "vote_average"),
)

tmdb_assets = [tmdb_popular_payload, tmdb_trending_payload, tmdb_tv_details_payload, *list_loads, raw_tmdb_tv_details]
