"""The film sources as Dagster resources: Kaggle's API (optional) and FRED."""

import base64
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg

from tv_assets.sample_api.server import sample_base_url
from tv_assets.sources.fred import API_URL, GRAPH_URL, FredClient
from tv_assets.sources.http import USER_AGENT, HttpSource, RateLimiter, RetryPolicy

KAGGLE_URL = "https://www.kaggle.com"


class KaggleResource(dg.ConfigurableResource):
    """Kaggle's dataset download API, used only when `KAGGLE_USERNAME` and `KAGGLE_KEY` are set;
    otherwise archives arrive by hand in the landing area."""

    use_sample: bool = False
    username: str | None = None
    key: str | None = None
    timeout_s: float = 120.0

    @property
    def configured(self) -> bool:
        return bool(self.username and self.key)

    def download(self, slug: str, consume: Callable[[Iterator[bytes]], Path]) -> Path:
        """Stream the dataset's zip into `consume` (which writes it somewhere and returns where)."""
        token = base64.b64encode(f"{self.username}:{self.key}".encode()).decode()
        base = f"{sample_base_url()}/kaggle" if self.use_sample else KAGGLE_URL
        http = HttpSource("kaggle", base, user_agent=USER_AGENT, rate_limiter=RateLimiter(1, 1.0),
                          retry=RetryPolicy(max_attempts=4), timeout=self.timeout_s,
                          headers={"Authorization": f"Basic {token}"})
        return http.download(f"/api/v1/datasets/download/{slug}", consume, partition="latest")


class FredResource(dg.ConfigurableResource):
    """FRED: the API with `FRED_API_KEY` (masked in every message), else the keyless fredgraph.csv."""

    use_sample: bool = False
    api_key: str | None = None
    calls_per_s: int = 2  # FRED allows 120 API calls a minute per key
    max_attempts: int = 5
    timeout_s: float = 30.0

    def client(self) -> FredClient:
        graph, api = (f"{sample_base_url()}/fred", f"{sample_base_url()}/fred-api") if self.use_sample else (GRAPH_URL, API_URL)
        return FredClient(graph, api, self.api_key, RetryPolicy(max_attempts=self.max_attempts), self.timeout_s,
                          self.calls_per_s)
