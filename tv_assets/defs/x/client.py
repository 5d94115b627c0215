"""X (Twitter) v2 recent post counts: one daily count per query, for the last seven days only.

The endpoint counts posts from the last seven days; an older partition cannot be fetched after the
fact, and the error says so. The bearer token travels in a header, never in a URL or a message.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from tv_assets.platform.http import (
    USER_AGENT,
    Fetched,
    HttpSource,
    PayloadError,
    RateLimiter,
    RetryPolicy,
    SourceError,
    describe,
    parse_json,
)

BASE_URL = "https://api.x.com"
COUNTS_PATH = "/2/tweets/counts/recent"


def parse_counts(body: bytes, *, what: str) -> int:
    """The total posts of a counts answer: the buckets' sum (bucket edges are not trusted)."""
    payload = parse_json(body, what=what)
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list) or not all(
        isinstance(b, dict) and isinstance(b.get("tweet_count"), int) for b in data
    ):
        raise PayloadError(f"{what}: not an X counts answer (`data` buckets with integer `tweet_count` expected)")
    return sum(b["tweet_count"] for b in data)


def day_window(day: str) -> dict[str, str]:
    """The UTC day `day` as X's start_time (inclusive) and end_time (exclusive)."""
    start = date.fromisoformat(day)
    return {"start_time": f"{start}T00:00:00Z", "end_time": f"{start + timedelta(days=1)}T00:00:00Z"}


class XClient:
    def __init__(self, http: HttpSource, *, workers: int = 2) -> None:
        self.http, self.workers = http, workers

    @classmethod
    def create(
        cls,
        base_url: str = BASE_URL,
        *,
        bearer_token: str,
        calls_per_15min: int = 300,
        retry: RetryPolicy = RetryPolicy(),
        timeout: float = 30.0,
        workers: int = 2,
    ) -> XClient:
        if not bearer_token:
            raise SourceError("x: no credentials: set X_BEARER_TOKEN")
        http = HttpSource(
            "x",
            base_url,
            user_agent=USER_AGENT,
            rate_limiter=RateLimiter(calls_per_15min, 900.0),
            retry=retry,
            timeout=timeout,
            headers={"Authorization": f"Bearer {bearer_token}"},
        )
        return cls(http, workers=workers)

    def counts(self, query: str, day: str) -> Fetched:
        params: dict[str, Any] = {"query": query, "granularity": "day", **day_window(day)}
        try:
            response = self.http.get(COUNTS_PATH, params, partition=day)
        except SourceError as error:
            if "HTTP 400" in str(error) and "start_time" in str(error):
                raise SourceError(
                    f"x: partition {day}: {COUNTS_PATH} counts only the last 7 days, so this partition can no "
                    f"longer be fetched; it exists only if an earlier run put it in the lake ({error})"
                ) from error
            raise
        return Fetched(f"GET {describe(COUNTS_PATH, params)}", response.status_code, response.content)

    def many(self, queries: Iterable[str], day: str) -> tuple[dict[str, Fetched], dict[str, str]]:
        """Counts for several queries of one day, by query (concurrent under the shared limiter), and the
        error of each query that failed after its retries: the caller decides what a day can miss."""
        ordered = list(dict.fromkeys(queries))

        def one(query: str) -> Fetched | str:
            try:
                return self.counts(query, day)
            except SourceError as error:
                return str(error)

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            results = dict(zip(ordered, pool.map(one, ordered), strict=True))
        return (
            {q: r for q, r in results.items() if isinstance(r, Fetched)},
            {q: r for q, r in results.items() if isinstance(r, str)},
        )
