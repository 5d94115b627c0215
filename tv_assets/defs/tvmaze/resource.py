"""TVMaze as a Dagster resource: where to call and how politely."""

from __future__ import annotations

import dagster as dg

from tv_assets.defs.tvmaze.client import BASE_URL, TVMazeClient
from tv_assets.platform.http import RetryPolicy
from tv_assets.platform.settings import Settings


class TVMazeResource(dg.ConfigurableResource):
    """The public TVMaze API (no key). `base_url` points the same client at another server (the sample API)."""

    base_url: str = BASE_URL
    country: str = "US"
    calls_per_10s: int = 20  # TVMaze's documented floor: at least 20 calls every 10 s per IP
    workers: int = 2
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    timeout_s: float = 30.0

    def client(self) -> TVMazeClient:
        retry = RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s)
        return TVMazeClient.create(
            self.base_url, calls_per_10s=self.calls_per_10s, retry=retry, timeout=self.timeout_s, workers=self.workers
        )


def tvmaze_resource(settings: Settings) -> TVMazeResource:
    if settings.sample_url:  # our own loopback server, not held to TVMaze's public rate limit
        return TVMazeResource(base_url=f"{settings.sample_url}/tvmaze", calls_per_10s=5000)
    return TVMazeResource()
