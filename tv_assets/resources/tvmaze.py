"""TVMaze as a Dagster resource: where to call and how politely."""

from __future__ import annotations

import dagster as dg

from tv_assets.sample_api.server import sample_base_url
from tv_assets.sources.http import RetryPolicy
from tv_assets.sources.tvmaze import BASE_URL, TVMazeClient


class TVMazeResource(dg.ConfigurableResource):
    """The public TVMaze API (no key). `use_sample` points the same client at the bundled sample API."""

    base_url: str = BASE_URL
    use_sample: bool = False
    country: str = "US"
    calls_per_10s: int = 20  # TVMaze's documented floor: at least 20 calls every 10 s per IP
    workers: int = 2
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    timeout_s: float = 30.0

    def client(self) -> TVMazeClient:
        base = f"{sample_base_url()}/tvmaze" if self.use_sample else self.base_url
        retry = RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s)
        return TVMazeClient.create(
            base, calls_per_10s=self.calls_per_10s, retry=retry, timeout=self.timeout_s, workers=self.workers
        )
