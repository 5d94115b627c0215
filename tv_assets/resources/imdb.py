"""IMDB's dumps as a Dagster resource: where to download them, and how patiently."""

import dagster as dg

from tv_assets.sample_api.server import sample_base_url
from tv_assets.sources.http import HttpSource, RetryPolicy
from tv_assets.sources.imdb import BASE_URL, client


class ImdbResource(dg.ConfigurableResource):
    """`datasets.imdbws.com` (no credentials; personal and non-commercial use only)."""

    use_sample: bool = False
    replay: bool = False  # fetch each partition as on its own day: only the sample API serves a past dump
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    timeout_s: float = 120.0  # between bytes, not for the whole file

    def client(self, day: str) -> HttpSource:
        # IMDB serves only today's files; the sample serves any day's under /imdb/<day>.
        base = f"{sample_base_url()}/imdb{f'/{day}' if self.replay else ''}" if self.use_sample else BASE_URL
        return client(base, RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base_s),
                      self.timeout_s)
