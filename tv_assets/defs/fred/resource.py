"""FRED as a Dagster resource: the API key as `dg.EnvVar`, or the keyless CSV."""

import dagster as dg

from tv_assets.defs.fred.client import API_URL, GRAPH_URL, FredClient
from tv_assets.platform.http import RetryPolicy
from tv_assets.platform.settings import Settings, secret


class FredResource(dg.ConfigurableResource):
    """FRED: the API with `FRED_API_KEY` (masked in every message), else the keyless fredgraph.csv."""

    graph_url: str = GRAPH_URL
    api_url: str = API_URL
    api_key: str | None = None
    calls_per_s: int = 2  # FRED allows 120 API calls a minute per key
    max_attempts: int = 5
    timeout_s: float = 30.0

    def client(self) -> FredClient:
        return FredClient(
            self.graph_url,
            self.api_url,
            self.api_key,
            RetryPolicy(max_attempts=self.max_attempts),
            self.timeout_s,
            self.calls_per_s,
        )


def fred_resource(settings: Settings) -> FredResource:
    if settings.sample_url:  # fred.stlouisfed.org and api.stlouisfed.org, both on the loopback server
        return FredResource(
            graph_url=f"{settings.sample_url}/fred",
            api_url=f"{settings.sample_url}/fred-api",
            api_key=secret("FRED_API_KEY"),
            calls_per_s=5000,
        )
    return FredResource(api_key=secret("FRED_API_KEY"))
