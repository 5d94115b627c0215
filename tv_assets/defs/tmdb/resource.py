"""TMDB as a Dagster resource: credentials as `dg.EnvVar`, and how politely to call."""

from __future__ import annotations

import dagster as dg

from tv_assets.defs.tmdb.client import BASE_URL, PAGE_CAP, TMDBClient
from tv_assets.platform.http import RetryPolicy
from tv_assets.platform.settings import Settings, secret

SAMPLE_PAGES = 5  # of each list per day from the sample API: enough to rank, small enough for a quick demo


class TMDBResource(dg.ConfigurableResource):
    """TMDB v3: `access_token` (preferred, a header) or `api_key`; about 40 calls/s allowed. TMDB serves
    only the present: `replay` asks `base_url/<day>` for each partition's own day, which only the sample API
    serves; a day with more than `max_failed_share` of its tracked shows failing is not stored."""

    base_url: str = BASE_URL
    access_token: str | None = None
    api_key: str | None = None
    replay: bool = False
    max_failed_share: float = 0.1
    calls_per_s: float = 40
    workers: int = 8
    max_pages: int = PAGE_CAP  # of /tv/popular and /trending/tv/day per day; 500 is TMDB's hard cap
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    timeout_s: float = 30.0

    def client(self, day: str) -> TMDBClient:
        base = f"{self.base_url}/{day}" if self.replay else self.base_url
        return TMDBClient.create(
            base,
            access_token=self.access_token,
            api_key=self.api_key,
            calls_per_s=self.calls_per_s,
            workers=self.workers,
            timeout=self.timeout_s,
            retry=RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s),
        )


def tmdb_resource(settings: Settings) -> TMDBResource:
    token, key = secret("TMDB_ACCESS_TOKEN"), secret("TMDB_API_KEY")
    if settings.sample_url:  # the sample API wants a credential, any will do, and serves any past day
        return TMDBResource(
            base_url=f"{settings.sample_url}/tmdb/3",
            replay=True,
            access_token=token or "sample-token",
            calls_per_s=5000,
            max_pages=SAMPLE_PAGES,
        )
    return TMDBResource(access_token=token, api_key=key)
