"""Trending TV: TMDB daily snapshots and X mention counts for the tracked shows, into the lake and raw.

TMDB and X serve only the present (X: the last seven days), so their history exists only because
these assets record it each day. A partition that can no longer be fetched keeps what the lake
already holds, or fails saying so.
"""

import json
import time
from collections.abc import Callable
from typing import Any

import dagster as dg

from tv_assets.assets.loads import SKIPPED, Parse, build_raw_load
from tv_assets.assets.metadata import window_metadata
from tv_assets.assets.payloads import fetchable, kept, reject, require_usable, store
from tv_assets.partitions import daily_partitions, days_in_window, single_run
from tv_assets.resources import Lake
from tv_assets.resources.lake import partition_key
from tv_assets.resources.trending import TMDBResource, XResource
from tv_assets.sources.http import PayloadError, SourceError, parse_json
from tv_assets.sources.tmdb import parse_details, parse_page
from tv_assets.sources.tvmaze import as_line
from tv_assets.sources.x import parse_counts
from tv_assets.tracked import tracked_shows

TMDB_GROUP, X_GROUP = "tmdb", "x"
LISTS = {"popular": "/tv/popular", "trending": "/trending/tv/day"}
FILE = "data.jsonl"  # one JSON body per line, each exactly as received (line breaks removed)


def _lines(bodies: list[bytes]) -> bytes:
    return b"".join(as_line(body) + b"\n" for body in bodies)


def build_list_fetch(kind: str) -> dg.AssetsDefinition:
    @dg.asset(key=["lake", f"tmdb_{kind}_payload"], group_name=TMDB_GROUP, partitions_def=daily_partitions,
              backfill_policy=single_run, kinds={"python", "json"},
              description=f"TMDB `{LISTS[kind]}`, every page up to the configured maximum (500 at most, TMDB's "
                          "cap): the day's ranking of TV shows. One page body per line, as received.")
    def fetch(context: dg.AssetExecutionContext, tmdb: TMDBResource, lake: Lake) -> dg.MaterializeResult:
        started, counts = time.perf_counter(), {}
        for day in days_in_window(*context.partition_time_window):
            if not fetchable(day, tmdb.replay, 1) and kept(context, lake, "tmdb", kind, day, FILE, "TMDB serves only today's lists"):
                continue
            try:  # a malformed page 1 (PayloadError, a SourceError) fails here: the page count is unknown
                pages = tmdb.client(day).pages(LISTS[kind], partition=day, max_pages=tmdb.max_pages)
            except SourceError as error:
                raise dg.Failure(description=str(error), metadata={"partition": day}) from error
            try:
                results = sum(len(parse_page(p.body, what=f"tmdb {kind}, partition {day}, page {n}")["results"])
                              for n, p in enumerate(pages, 1))
            except PayloadError as error:
                raise reject(lake, "tmdb", kind, day, _lines([p.body for p in pages]), error) from error
            require_usable(f"tmdb {kind}", day, len(pages), {}, results, tmdb.max_failed_share)
            store(context, lake, "tmdb", kind, day, FILE, _lines([p.body for p in pages]),
                  {"request": f"GET {LISTS[kind]} pages 1..{len(pages)}", "status": 200})
            counts[day] = results
        return dg.MaterializeResult(metadata=window_metadata(counts, "shows", started))

    return fetch


tmdb_popular_payload = build_list_fetch("popular")
tmdb_trending_payload = build_list_fetch("trending")


@dg.asset(key=["lake", "tmdb_tv_details_payload"], group_name=TMDB_GROUP, partitions_def=daily_partitions,
          backfill_policy=single_run, kinds={"python", "json"})
def tmdb_tv_details_payload(context: dg.AssetExecutionContext, tmdb: TMDBResource, lake: Lake) -> dg.MaterializeResult:
    """TMDB `/tv/{id}` with `external_ids` for every show of the `tracked_shows` seed: seasons, episodes,
    votes, popularity, genres and networks as of that day. One response body per line, as received."""
    started, counts, failed = time.perf_counter(), {}, {}
    ids = [show.tmdb_id for show in tracked_shows()]
    for day in days_in_window(*context.partition_time_window):
        if not fetchable(day, tmdb.replay, 1) and kept(context, lake, "tmdb", "tv_details", day, FILE, "TMDB serves only today's values"):
            continue
        try:
            bodies, failures = tmdb.client(day).details(ids, partition=day)
        except SourceError as error:
            raise dg.Failure(description=str(error), metadata={"partition": day}) from error
        require_usable("tmdb tv_details of the tracked shows", day, len(ids), failures, len(bodies), tmdb.max_failed_share)
        missing = sorted(failures)
        payload = _lines([bodies[i] for i in sorted(bodies)])
        try:
            for n, body in enumerate(payload.splitlines(), 1):
                parse_details(body, what=f"tmdb tv_details, partition {day}, line {n}")
        except PayloadError as error:
            raise reject(lake, "tmdb", "tv_details", day, payload, error) from error
        store(context, lake, "tmdb", "tv_details", day, FILE, payload,
              {"request": f"GET /tv/:id?append_to_response=external_ids for {len(ids)} tracked ids", "status": 200,
               "failed": {str(i): failures[i] for i in missing}})
        counts[day] = len(bodies)
        if missing:
            failed[day] = missing
            context.log.warning(f"tmdb tv_details {day}: {len(missing)} tracked ids failed (within the "
                                f"{tmdb.max_failed_share:.0%} allowed): {missing[:20]}")
    return dg.MaterializeResult(metadata=window_metadata(counts, "shows", started, tracked=len(ids),
                                                   failed_ids=dg.MetadataValue.json(failed)))


@dg.asset(key=["lake", "x_tweet_counts_payload"], group_name=X_GROUP, partitions_def=daily_partitions,
          backfill_policy=single_run, kinds={"python", "json"})
def x_tweet_counts_payload(context: dg.AssetExecutionContext, x: XResource, lake: Lake) -> dg.MaterializeResult:
    """X `/2/tweets/counts/recent` per tracked show and day: one query on its hashtags, one on its name.
    Each line holds the show, the query and X's answer as received. Without `X_BEARER_TOKEN` nothing is
    fetched: the partition is marked skipped and the rest of the graph runs without mentions."""
    started, counts, skipped = time.perf_counter(), {}, []
    shows = tracked_shows()
    for day in days_in_window(*context.partition_time_window):
        if not x.bearer_token:
            reason = "X_BEARER_TOKEN is not set, so X was not called"
            context.log.warning(f"x tweet_counts {day}: skipped: {reason}")
            lake.put(partition_key("x", "tweet_counts", day, SKIPPED), json.dumps({"reason": reason}).encode())
            skipped.append(day)
            continue
        if not fetchable(day, x.replay, 6) and kept(context, lake, "x", "tweet_counts", day, FILE,
                                                        "X counts only the last 7 days"):
            continue
        queries = list(dict.fromkeys(q for s in shows for q in (s.hashtag_query, s.text_query)))
        answers, failures = x.client(day).many(queries, day)
        require_usable("x tweet_counts of the tracked shows' queries", day, len(queries), failures, len(answers),
                       x.max_failed_share)
        lines = []
        for show in shows:
            for kind, query in (("hashtag", show.hashtag_query), ("text", show.text_query)):
                if query not in answers:
                    continue  # failed, within the share allowed: recorded in the request record
                body = answers[query].body
                try:
                    parse_counts(body, what=f"x {kind} query {query!r}, partition {day}")
                except PayloadError as error:
                    raise reject(lake, "x", "tweet_counts", day, body, error) from error
                # The answer's bytes go in unchanged, after the show and the query it answers.
                head = json.dumps({"tmdb_id": show.tmdb_id, "query_kind": kind, "query": query})[:-1]
                lines.append(head.encode() + b', "response": ' + as_line(body) + b"}")
        store(context, lake, "x", "tweet_counts", day, FILE, b"".join(line + b"\n" for line in lines),
              {"request": f"GET /2/tweets/counts/recent for {len(queries)} queries", "status": 200,
               "failed": failures})
        counts[day] = len(lines)
    return dg.MaterializeResult(metadata=window_metadata(counts, "queries", started, skipped_partitions=", ".join(skipped) or "none"))


def _jsonl(check: Callable[[bytes, str], Any]) -> Parse:
    """A parser of one JSON body per line, each checked by `check(line, what)`."""
    def parse(body: bytes, what: str) -> list:
        return [check(line, f"{what} line {n}") for n, line in enumerate(body.splitlines(), 1) if line.strip()]
    return parse


def _x_line(line: bytes, what: str) -> dict:
    item = parse_json(line, what=what)
    if not isinstance(item, dict) or not isinstance(item.get("tmdb_id"), int):
        raise PayloadError(f"{what}: not an X counts line with an integer `tmdb_id`")
    return item


raw_tmdb_popular = build_raw_load("tmdb", "popular", FILE, tmdb_popular_payload, "lines",
                                  _jsonl(lambda b, w: parse_page(b, what=w)), ("page", "results"), TMDB_GROUP)
raw_tmdb_trending = build_raw_load("tmdb", "trending", FILE, tmdb_trending_payload, "lines",
                                   _jsonl(lambda b, w: parse_page(b, what=w)), ("page", "results"), TMDB_GROUP)
raw_tmdb_tv_details = build_raw_load("tmdb", "tv_details", FILE, tmdb_tv_details_payload, "lines",
                                     _jsonl(lambda b, w: parse_details(b, what=w)),
                                     ("id", "name", "popularity", "vote_count", "vote_average"), TMDB_GROUP)
raw_x_tweet_counts = build_raw_load("x", "tweet_counts", FILE, x_tweet_counts_payload, "lines", _jsonl(_x_line),
                                    ("tmdb_id", "query_kind", "response.data"), X_GROUP)

trending_assets = [tmdb_popular_payload, tmdb_trending_payload, tmdb_tv_details_payload, x_tweet_counts_payload,
                   raw_tmdb_popular, raw_tmdb_trending, raw_tmdb_tv_details, raw_x_tweet_counts]
