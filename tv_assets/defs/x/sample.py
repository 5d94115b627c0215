"""Seeded generator of X `/2/tweets/counts/recent` answers, as X documents them.

Counts per query and UTC day: a per-query level (names are said more often than hashtags are
typed), a slow cycle, and occasional spikes (an episode airs, a trailer drops). Only the last seven
days before the sample's "now" are served; older start times answer 400 invalid-request, as X does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tv_assets.sample_api.common import as_of, dump

WINDOW = timedelta(days=7)


def _rng(*parts: object) -> random.Random:
    return random.Random("/".join(map(str, parts)))


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # X writes milliseconds


class XSample:
    def __init__(self, seed: int = 42) -> None:
        self.seed = seed

    def daily_count(self, query: str, day: date) -> int:
        r = _rng(self.seed, "q", query)
        level = r.lognormvariate(6.0 if query.startswith('"') else 4.5, 1.2)
        period, phase, spike_every = r.uniform(10, 60), r.uniform(0, 2 * math.pi), r.randrange(20, 80)
        n = (day - date(2020, 1, 1)).days
        since = n % spike_every
        spike = 1 + 6 * math.exp(-since / 1.5) if since < 5 else 1.0
        noise = _rng(self.seed, "n", query, day).gauss(1.0, 0.1)
        return max(0, int(level * (1 + 0.4 * math.sin(2 * math.pi * n / period + phase)) * spike * max(noise, 0.3)))

    def counts(self, query: str, start: datetime, end: datetime, now: datetime) -> tuple[int, dict[str, Any]]:
        if start < now - WINDOW:
            return 400, {
                "errors": [
                    {
                        "parameters": {"start_time": [stamp(start)]},
                        "message": f"Invalid 'start_time':'{stamp(start)}'. 'start_time' must be on or after "
                        f"{stamp(now - WINDOW)}",
                    }
                ],
                "title": "Invalid Request Parameters",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            }
        buckets, moment = [], start
        while moment < end:
            following = min(datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), UTC), end)
            share = (following - moment) / timedelta(days=1)  # partial first and last buckets
            buckets.append(
                {
                    "end": stamp(following),
                    "start": stamp(moment),
                    "tweet_count": round(self.daily_count(query, moment.date()) * share),
                }
            )
            moment = following
        return 200, {"data": buckets, "meta": {"total_tweet_count": sum(b["tweet_count"] for b in buckets)}}


PREFIXES = ("x",)


class XRoutes(XSample):
    def serve(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        # X counts only the last seven days before now; /x/<day>/2/... serves as if now were that day's
        # first minutes, which is when the daily schedule fetches the day before.
        day, path = as_of(path.removeprefix("/x"))
        now = datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=5) if day else datetime.now(UTC)
        if not headers.get("Authorization", "").startswith("Bearer ") or len(headers["Authorization"]) <= 7:
            return 401, dump({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
        if path != "/2/tweets/counts/recent":
            return 404, dump(
                {"title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found"}
            )
        if not query.get("query") or query.get("granularity", "hour") != "day":
            return 400, dump({"title": "Invalid Request", "detail": "the sample serves granularity=day with a query"})
        try:
            start, end = parse_time(query["start_time"]), parse_time(query.get("end_time") or "")
        except (KeyError, ValueError):
            return 400, dump({"title": "Invalid Request", "detail": "start_time and end_time: YYYY-MM-DDTHH:mm:ssZ"})
        status, payload = self.counts(query["query"], start, min(end, now), now)
        return status, dump(payload)


def mount(seed: int) -> XRoutes:
    return XRoutes(seed)
