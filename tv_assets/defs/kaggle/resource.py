"""Kaggle's dataset download API as a Dagster resource (optional: archives may arrive by hand)."""

import base64
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg

from tv_assets.platform.http import USER_AGENT, HttpSource, RateLimiter, RetryPolicy
from tv_assets.platform.settings import Settings, secret

KAGGLE_URL = "https://www.kaggle.com"


class KaggleResource(dg.ConfigurableResource):
    """Kaggle's dataset download API, used only when `KAGGLE_USERNAME` and `KAGGLE_KEY` are set;
    otherwise archives arrive by hand in the landing area."""

    base_url: str = KAGGLE_URL
    username: str | None = None
    key: str | None = None
    timeout_s: float = 120.0

    @property
    def configured(self) -> bool:
        return bool(self.username and self.key)

    def download(self, slug: str, consume: Callable[[Iterator[bytes]], Path]) -> Path:
        """Stream the dataset's zip into `consume` (which writes it somewhere and returns where)."""
        token = base64.b64encode(f"{self.username}:{self.key}".encode()).decode()
        http = HttpSource(
            "kaggle",
            self.base_url,
            user_agent=USER_AGENT,
            rate_limiter=RateLimiter(1, 1.0),
            retry=RetryPolicy(max_attempts=4),
            timeout=self.timeout_s,
            headers={"Authorization": f"Basic {token}"},
        )
        return http.download(f"/api/v1/datasets/download/{slug}", consume, partition="latest")


def kaggle_resource(settings: Settings) -> KaggleResource:
    base = f"{settings.sample_url}/kaggle" if settings.sample_url else KAGGLE_URL
    return KaggleResource(base_url=base, username=secret("KAGGLE_USERNAME"), key=secret("KAGGLE_KEY"))
