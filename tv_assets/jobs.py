"""Jobs and schedules: one partitioned job per source cadence."""

from __future__ import annotations

import dagster as dg

from tv_assets.partitions import daily_partitions

# Everything TVMaze feeds: fetch, load, staging and marts, as one partitioned job.
tvmaze_daily_job = dg.define_asset_job(
    "tvmaze_daily",
    selection=dg.AssetSelection.groups("tvmaze"),
    partitions_def=daily_partitions,
    description="Fetch, load and transform one day of TVMaze schedules.",
)

# 06:00 UTC: runs the newest complete partition (yesterday).
tvmaze_daily_schedule = dg.build_schedule_from_partitioned_job(
    tvmaze_daily_job,
    hour_of_day=6,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
