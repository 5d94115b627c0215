"""Seeded generator of X `/2/tweets/counts/recent` answers (shared/source-formats.md section 7).

Counts per query and UTC day: a per-query level (names are said more often than hashtags are
typed), a slow cycle, and occasional spikes (an episode airs, a trailer drops). Only the last seven
days before the sample's "now" are served; older start times answer 400 invalid-request, as X does.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
                "errors": [{"parameters": {"start_time": [stamp(start)]},
                            "message": f"Invalid 'start_time':'{stamp(start)}'. 'start_time' must be on or after "
                                       f"{stamp(now - WINDOW)}"}],
                "title": "Invalid Request Parameters",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            }
        buckets, moment = [], start
        while moment < end:
            following = min(datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), UTC), end)
            share = (following - moment) / timedelta(days=1)  # partial first and last buckets
            buckets.append({"end": stamp(following), "start": stamp(moment),
                            "tweet_count": round(self.daily_count(query, moment.date()) * share)})
            moment = following
        return 200, {"data": buckets, "meta": {"total_tweet_count": sum(b["tweet_count"] for b in buckets)}}
