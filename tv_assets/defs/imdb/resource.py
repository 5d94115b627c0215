"""IMDB's dumps as a Dagster resource: where to download them, and how patiently."""

import dagster as dg

from tv_assets.defs.imdb.client import BASE_URL, client
from tv_assets.platform.http import HttpSource, RetryPolicy
from tv_assets.platform.settings import Settings


class ImdbResource(dg.ConfigurableResource):
    """`datasets.imdbws.com` (no credentials; personal and non-commercial use only)."""

    base_url: str = BASE_URL
    replay: bool = False  # ask `base_url/<day>` for each partition's own day: only the sample API serves a past dump
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    timeout_s: float = 120.0  # between bytes, not for the whole file

    def client(self, day: str) -> HttpSource:
        base = f"{self.base_url}/{day}" if self.replay else self.base_url
        return client(
            base, RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s), self.timeout_s
        )


def imdb_resource(settings: Settings) -> ImdbResource:
    if settings.sample_url:
        return ImdbResource(base_url=f"{settings.sample_url}/imdb", replay=True)
    return ImdbResource()
