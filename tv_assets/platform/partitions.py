"""Partitions shared by every daily asset, and the pure helpers that turn a window into days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import dagster as dg

from tv_assets.platform.settings import daily_start

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
