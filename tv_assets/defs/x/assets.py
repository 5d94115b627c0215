"""X mention counts of the tracked shows, into the lake and raw.

X counts only the last seven days, so its history exists only because these assets record it each day. A
partition that can no longer be fetched keeps what the lake already holds, or fails saying so.
"""

import json
import time

import dagster as dg

from tv_assets.defs.x.client import parse_counts
from tv_assets.defs.x.resource import XResource
from tv_assets.platform.assets import lake_asset
from tv_assets.platform.http import PayloadError, as_line, parse_json
from tv_assets.platform.lake import Lake, partition_key
from tv_assets.platform.loads import SKIPPED, build_raw_load, jsonl
from tv_assets.platform.metadata import window_metadata
from tv_assets.platform.partitions import days_in_window
from tv_assets.platform.payloads import fetchable, kept, reject, require_usable, store
from tv_assets.platform.tracked import tracked_shows

GROUP = "x"
FILE = "data.jsonl"  # one line per query: the show, the query and X's answer as received


@lake_asset(
    "x",
    "tweet_counts_payload",
    "json",
    "last_7_days",
)
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
        if not fetchable(day, x.replay, 6) and kept(
            context, lake, "x", "tweet_counts", day, FILE, "X counts only the last 7 days"
        ):
            continue
        queries = list(dict.fromkeys(q for s in shows for q in (s.hashtag_query, s.text_query)))
        answers, failures = x.client(day).many(queries, day)
        require_usable(
            "x tweet_counts of the tracked shows' queries",
            day,
            len(queries),
            failures,
            len(answers),
            x.max_failed_share,
        )
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
        store(
            context,
            lake,
            "x",
            "tweet_counts",
            day,
            FILE,
            b"".join(line + b"\n" for line in lines),
            {"request": f"GET /2/tweets/counts/recent for {len(queries)} queries", "status": 200, "failed": failures},
        )
        counts[day] = len(lines)
    return dg.MaterializeResult(
        metadata=window_metadata(context, counts, "queries", started, skipped_partitions=", ".join(skipped) or "none")
    )


def _x_line(line: bytes, what: str) -> dict:
    item = parse_json(line, what=what)
    if not isinstance(item, dict) or not isinstance(item.get("tmdb_id"), int):
        raise PayloadError(f"{what}: not an X counts line with an integer `tmdb_id`")
    return item


raw_x_tweet_counts = build_raw_load(
    "x",
    "tweet_counts",
    FILE,
    x_tweet_counts_payload,
    "lines",
    jsonl(_x_line),
    ("tmdb_id", "query_kind", "response.data"),
)

x_assets = [x_tweet_counts_payload, raw_x_tweet_counts]
