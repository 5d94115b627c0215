"""TMDB and X as Dagster resources: credentials as `dg.EnvVar`, and how politely to call.

In sample mode both point at the bundled sample API with a placeholder credential. TMDB and X serve
only the present; replaying, the sample serves each partition's day as that day's run saw it.
"""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from tv_assets.sample_api.server import sample_base_url
from tv_assets.sources.http import RetryPolicy
from tv_assets.sources.tmdb import BASE_URL as TMDB_URL
from tv_assets.sources.tmdb import PAGE_CAP, TMDBClient
from tv_assets.sources.x import BASE_URL as X_URL
from tv_assets.sources.x import XClient


class TMDBResource(dg.ConfigurableResource):
    """TMDB v3: `access_token` (preferred, a header) or `api_key`; about 40 calls/s allowed. TMDB serves
    only the present: `replay` fetches each partition as on its own day, which only the sample API can
    serve; a day with more than `max_failed_share` of its tracked shows failing is not stored."""

    access_token: str | None = None
    api_key: str | None = None
    use_sample: bool = False
    replay: bool = False
    max_failed_share: float = 0.1
    calls_per_s: float = 40
    workers: int = 8
    max_pages: int = PAGE_CAP  # of /tv/popular and /trending/tv/day per day; 500 is TMDB's hard cap
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    timeout_s: float = 30.0

    def client(self, day: str) -> TMDBClient:
        # The sample answers as TMDB does (the present) unless asked as of a day under /tmdb/<day>.
        base = f"{sample_base_url()}/tmdb{f'/{day}' if self.replay else ''}/3" if self.use_sample else TMDB_URL
        return TMDBClient.create(base, access_token=self.access_token, api_key=self.api_key,
                                 calls_per_s=self.calls_per_s, workers=self.workers, timeout=self.timeout_s,
                                 retry=RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s))


class XResource(dg.ConfigurableResource):
    """X API v2 recent counts: `bearer_token` (app-only); 300 calls per 15 minutes. X counts only the last
    7 days: `replay` fetches each partition as on the day after it (sample API only); a day with more than
    `max_failed_share` of its queries failing is not stored."""

    bearer_token: str | None = None
    use_sample: bool = False
    replay: bool = False
    max_failed_share: float = 0.1
    calls_per_15min: int = 300
    workers: int = 2
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    timeout_s: float = 30.0

    def client(self, day: str) -> XClient:
        # Replayed, the sample's "now" is the next day's first minutes: when the daily schedule fetches `day`.
        now = f"/{date.fromisoformat(day) + timedelta(days=1)}" if self.replay else ""
        base = f"{sample_base_url()}/x{now}" if self.use_sample else X_URL
        return XClient.create(base, bearer_token=self.bearer_token or "", calls_per_15min=self.calls_per_15min,
                              workers=self.workers, timeout=self.timeout_s,
                              retry=RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s))
