"""The three switches (lake, warehouse, sources), read from the environment in one place.

| variable              | values             | default   |
| `TV_ASSETS_LAKE`      | local, s3          | local     |
| `TV_ASSETS_WAREHOUSE` | duckdb, snowflake  | duckdb    |
| `TV_ASSETS_SOURCES`   | live, sample       | live      |

With `TV_ASSETS_SOURCES=sample` every source client calls the sample API at `TV_ASSETS_SAMPLE_URL`
(default `http://127.0.0.1:8765`, where `python -m tv_assets.sample_api` serves) instead of the real
APIs: configuration only, the production code never imports the sample API.

Local paths default under `./data` of the working directory and are made absolute here, because
dbt runs from `dbt/` and must find the same DuckDB file. Reading settings changes nothing: the dbt
assets pass the path to dbt when they run it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"

CHOICES = {
    "TV_ASSETS_LAKE": ("local", "s3"),
    "TV_ASSETS_WAREHOUSE": ("duckdb", "snowflake"),
    "TV_ASSETS_SOURCES": ("live", "sample"),
}
SAMPLE_URL = "http://127.0.0.1:8765"


def choice(name: str, environ: Mapping[str, str] = os.environ) -> str:
    """One of the three switches, checked against its choices (the first is the default)."""
    value = environ.get(name, CHOICES[name][0]).strip().lower()
    if value not in CHOICES[name]:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(CHOICES[name])}")
    return value


@dataclass(frozen=True)
class Settings:
    lake: str
    warehouse: str
    sources: str
    lake_dir: Path
    duckdb_path: Path
    sample_url: str | None = None  # set only with TV_ASSETS_SOURCES=sample: where the sample API answers

    @property
    def dbt_target(self) -> str:
        return os.environ.get("TV_ASSETS_DBT_TARGET", self.warehouse)


def load_settings() -> Settings:
    sources = choice("TV_ASSETS_SOURCES")
    return Settings(
        lake=choice("TV_ASSETS_LAKE"),
        warehouse=choice("TV_ASSETS_WAREHOUSE"),
        sources=sources,
        lake_dir=Path(os.environ.get("TV_ASSETS_LAKE_DIR", "data/lake")).resolve(),
        duckdb_path=Path(os.environ.get("TV_ASSETS_DUCKDB_PATH", "data/warehouse.duckdb")).resolve(),
        sample_url=(os.environ.get("TV_ASSETS_SAMPLE_URL") or SAMPLE_URL).rstrip("/") if sources == "sample" else None,
    )


def secret(name: str) -> dg.EnvVar | None:
    """`dg.EnvVar(name)` when the variable is set (resolved in the run, never stored), else None."""
    return dg.EnvVar(name) if os.environ.get(name) else None


START_FILE = "tv_assets_start_date"  # in $DAGSTER_HOME: the first day this deployment recorded
FALLBACK_START = "2020-01-01"


def dagster_home(environ: Mapping[str, str] = os.environ) -> Path:
    """The deployment's `DAGSTER_HOME` (default `./data/dagster_home`), absolute."""
    return Path(environ.get("DAGSTER_HOME") or "data/dagster_home").resolve()


def daily_start(environ: Mapping[str, str] = os.environ) -> str:
    """The first daily (and arrival) partition: the day this deployment began recording. TMDB and IMDB
    publish only the present and X the last 7 days, so an earlier day could never be fetched, and
    offering it would show years of "missing" partitions nobody can fill. `TV_ASSETS_START_DATE` sets it
    (production sets it once, to the first scheduled day); otherwise the day kept in
    `$DAGSTER_HOME/tv_assets_start_date` by `python -m tv_assets.deploy` (`make home`) the first time it
    ran, or moved earlier by the demo, whose sample sources replay past days; otherwise 2020-01-01."""
    if value := environ.get("TV_ASSETS_START_DATE", "").strip():
        return _iso_day(value, "TV_ASSETS_START_DATE")
    recorded = dagster_home(environ) / START_FILE
    if recorded.exists():
        return _iso_day(recorded.read_text().strip(), str(recorded))
    return FALLBACK_START


def record_start(home: Path, day: str) -> str:
    """Keep `day` as the deployment's first partition unless an earlier one is kept; the start kept."""
    recorded = home / START_FILE
    kept = _iso_day(recorded.read_text().strip(), str(recorded)) if recorded.exists() else None
    if kept is None or day < kept:
        home.mkdir(parents=True, exist_ok=True)
        recorded.write_text(_iso_day(day, "start") + "\n")
        return day
    return kept


def newest_complete_day() -> str:
    """Yesterday (UTC): the newest daily partition."""
    return (datetime.now(UTC).date() - timedelta(days=1)).isoformat()


def _iso_day(value: str, where: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a day (YYYY-MM-DD)") from None
