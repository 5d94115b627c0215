"""X as a Dagster resource: the bearer token as `dg.EnvVar`, and how politely to call."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from tv_assets.defs.x.client import BASE_URL, XClient
from tv_assets.platform.http import RetryPolicy
from tv_assets.platform.settings import Settings, secret


class XResource(dg.ConfigurableResource):
    """X API v2 recent counts: `bearer_token` (app-only); 300 calls per 15 minutes. X counts only the last
    7 days: `replay` asks `base_url/<next day>`, as on the day after each partition (the sample API
    only); a day with more than `max_failed_share` of its queries failing is not stored."""

    base_url: str = BASE_URL
    bearer_token: str | None = None
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
        return XClient.create(
            f"{self.base_url}{now}",
            bearer_token=self.bearer_token or "",
            calls_per_15min=self.calls_per_15min,
            workers=self.workers,
            timeout=self.timeout_s,
            retry=RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s),
        )


def x_resource(settings: Settings) -> XResource:
    token = secret("X_BEARER_TOKEN")
    if settings.sample_url:  # any credential will do; the loopback server is not rate limited
        return XResource(
            base_url=f"{settings.sample_url}/x",
            replay=True,
            bearer_token=token or "sample-token",
            calls_per_15min=500_000,
        )
    return XResource(bearer_token=token)
