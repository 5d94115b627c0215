"""TMDB v3 TV endpoints: list pages and show details, fetched concurrently under one rate limit.

TMDB allows "somewhere in the 40 requests per second range" and answers 429 beyond it; the shared
sliding-window limiter keeps every worker under the configured rate, and 429/5xx are retried with
backoff by the HTTP layer. Auth prefers the bearer token (a header, so it never appears in a URL);
the v3 key goes as `api_key` and is masked in every message and record.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
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

BASE_URL = "https://api.themoviedb.org/3"
PAGE_CAP = 500  # TMDB refuses page 501 (error 22) whatever `total_pages` claims


def parse_page(body: bytes, *, what: str) -> dict[str, Any]:
    page = parse_json(body, what=what)
    if (
        not isinstance(page, dict)
        or not isinstance(page.get("results"), list)
        or not isinstance(page.get("total_pages"), int)
    ):
        raise PayloadError(f"{what}: not a TMDB list page (`results` list and integer `total_pages` expected)")
    for item in page["results"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            raise PayloadError(f"{what}: a result has no integer `id`")
    return page


def parse_details(body: bytes, *, what: str) -> dict[str, Any]:
    details = parse_json(body, what=what)
    if not isinstance(details, dict) or not isinstance(details.get("id"), int):
        raise PayloadError(f"{what}: not a TMDB TV details object with an integer `id`")
    return details


def page_numbers(total_pages: int, max_pages: int = PAGE_CAP) -> list[int]:
    """Pages to request: 1..min(total_pages, max_pages, 500); page 1 even when the list is empty."""
    return list(range(1, max(1, min(total_pages, max_pages, PAGE_CAP)) + 1))


class TMDBClient:
    def __init__(self, http: HttpSource, *, api_key: str | None = None, workers: int = 8) -> None:
        self.http, self.workers = http, workers
        self._auth = {"api_key": api_key} if api_key else {}

    @classmethod
    def create(
        cls,
        base_url: str = BASE_URL,
        *,
        access_token: str | None = None,
        api_key: str | None = None,
        calls_per_s: float = 40,
        retry: RetryPolicy = RetryPolicy(),
        timeout: float = 30.0,
        workers: int = 8,
    ) -> TMDBClient:
        if not (access_token or api_key):
            raise SourceError("tmdb: no credentials: set TMDB_ACCESS_TOKEN (preferred) or TMDB_API_KEY")
        headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
        # The API counts arrivals, and network delay differs between requests: a window 10% wider than
        # the limit's second keeps arrivals within the limit while delays vary by less than 100 ms.
        limiter = RateLimiter(max(1, int(calls_per_s)), 1.1)
        http = HttpSource(
            "tmdb",
            base_url,
            user_agent=USER_AGENT,
            rate_limiter=limiter,
            retry=retry,
            timeout=timeout,
            headers=headers,
            secret_params=("api_key",),
        )
        return cls(http, api_key=None if access_token else api_key, workers=workers)

    def _get(self, path: str, params: dict[str, object], partition: str, ok: Iterable[int] = ()) -> Fetched:
        response = self.http.get(path, {**params, **self._auth}, partition=partition, ok_statuses=ok)
        return Fetched(f"GET {describe(path, params)}", response.status_code, response.content)

    def pages(self, path: str, *, partition: str, max_pages: int = PAGE_CAP) -> list[Fetched]:
        """Every page of a list endpoint: 1..min(total_pages, max_pages, 500), pages 2.. concurrently."""
        first = self._get(path, {"page": 1}, partition)
        total = parse_page(first.body, what=f"tmdb {path}, partition {partition}, page 1")["total_pages"]
        rest = page_numbers(total, max_pages)[1:]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return [first, *pool.map(lambda page: self._get(path, {"page": page}, partition), rest)]

    def details(self, ids: Iterable[int], *, partition: str) -> tuple[dict[int, bytes], dict[int, str]]:
        """`/tv/{id}` with external ids appended, by id, and why each other id has none: TMDB does not
        know it (404), or its request failed after the retries. The caller decides what a day can miss."""
        ordered = sorted(set(ids))

        def one(tmdb_id: int) -> bytes | str:
            try:
                fetched = self._get(f"/tv/{tmdb_id}", {"append_to_response": "external_ids"}, partition, ok=(404,))
            except SourceError as error:
                return str(error)
            return (
                f"HTTP 404 {fetched.body[:120].decode('utf-8', 'replace')}" if fetched.status == 404 else fetched.body
            )

        # The rate limiter is shared by the workers: concurrency hides latency, never exceeds the limit.
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            results = dict(zip(ordered, pool.map(one, ordered), strict=True))
        return (
            {i: r for i, r in results.items() if isinstance(r, bytes)},
            {i: r for i, r in results.items() if isinstance(r, str)},
        )
