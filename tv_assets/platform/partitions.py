"""Partitions shared by every daily asset, and the pure helpers that turn a window into days."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg

START_FILE = "tv_assets_start_date"  # in $DAGSTER_HOME: the first day this deployment recorded
FALLBACK_START = "2020-01-01"


def daily_start(environ: Mapping[str, str] = os.environ) -> str:
    """The first daily (and arrival) partition: the day this deployment began recording. TMDB and IMDB
    publish only the present and X the last 7 days, so an earlier day could never be fetched, and
    offering it would show years of "missing" partitions nobody can fill. `TV_ASSETS_START_DATE` sets it
    (production sets it once, to the first scheduled day); otherwise the day kept in
    `$DAGSTER_HOME/tv_assets_start_date` by `python -m tv_assets.deploy` (`make home`) the first time it
    ran, or moved earlier by the demo, whose sample sources replay past days; otherwise 2020-01-01."""
    if value := environ.get("TV_ASSETS_START_DATE", "").strip():
        return _iso_day(value, "TV_ASSETS_START_DATE")
    recorded = Path(environ.get("DAGSTER_HOME") or "data/dagster_home") / START_FILE
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


DAILY_START = daily_start()

# The newest partition is yesterday (UTC): a day is complete before it is fetched.
daily_partitions = dg.DailyPartitionsDefinition(start_date=DAILY_START)

# Files dropped into a landing area belong to the day they arrived, today included, so these
# partitions run one day further than the fetched sources' (see tv_assets.platform.landing).
arrival_partitions = dg.DailyPartitionsDefinition(start_date=DAILY_START, end_offset=1)

# FRED's CPI is monthly: a partition is a month (its first day), complete once BLS publishes it in the
# next month. The history starts where the movie marts need it, at 1999 (the CPI runs back to 1978).
FRED_START = "1999-01-01"
monthly_partitions = dg.MonthlyPartitionsDefinition(start_date=FRED_START)

# A backfill of any range is one run: fetch and load loop over the days, dbt filters the window once.
single_run = dg.BackfillPolicy.single_run()


# The run tags that make one run cover a range of partitions (first..last, inclusive). Dagster keeps
# these names private, so they are spelled once here for everything that writes or reads them.
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def range_tags(first: str, last: str | None = None) -> dict[str, str]:
    return {RANGE_START: first, RANGE_END: last or first}


def days_in_window(start: datetime | date, end: datetime | date) -> list[str]:
    """ISO days in [start, end): Dagster's `TimeWindow.end` is exclusive."""
    first, stop = _as_date(start), _as_date(end)
    return [(first + timedelta(days=n)).isoformat() for n in range((stop - first).days)]


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def window_vars(start: datetime | date, end: datetime | date) -> dict[str, str]:
    """The dbt vars for a partition window (dbt filters `partition_date >= min_date and < max_date`)."""
    return {"min_date": _as_date(start).isoformat(), "max_date": _as_date(end).isoformat()}


def partition_windows(context: dg.AssetExecutionContext) -> dict[str, tuple[str, str]]:
    """Each partition of the run's range and its own dbt window: key -> (min_date, max_date)."""
    windows = {}
    for key in context.partition_keys:
        window = context.assets_def.partitions_def.time_window_for_partition_key(key)
        bounds = window_vars(window.start, window.end)
        windows[key] = (bounds["min_date"], bounds["max_date"])
    return windows
