"""Jobs, schedules and automation: sources on their cadence, everything downstream follows.

| what                                  | when                         | how                                  |
| fetch + load TVMaze (`tvmaze_daily`)  | daily 06:00 UTC, yesterday   | schedule on a partitioned job        |
| fetch + load TMDB, X (`trending_daily`)| daily 06:10 UTC, yesterday  | schedule on a partitioned job        |
| dbt staging and marts                 | as soon as their inputs land | eager automation, newest partition   |
| history (any range)                   | on demand                    | backfill: one run per range          |
"""

import dagster as dg

from tv_assets.partitions import daily_partitions

# Fetch and load only: the dbt models downstream follow through declarative automation.
tvmaze_daily_job = dg.define_asset_job(
    "tvmaze_daily",
    selection=dg.AssetSelection.groups("tvmaze") & dg.AssetSelection.key_prefixes(["lake"], ["raw"]),
    partitions_def=daily_partitions,
    description="Fetch one day of TVMaze schedules and shows into the lake and load them into raw.",
)

# 06:00 UTC: runs the newest complete partition (yesterday, UTC).
tvmaze_daily_schedule = dg.build_schedule_from_partitioned_job(
    tvmaze_daily_job,
    hour_of_day=6,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# TMDB and X serve only the present (X: seven days), so a missed day is lost: this runs every day.
trending_daily_job = dg.define_asset_job(
    "trending_daily",
    selection=dg.AssetSelection.groups("tmdb", "x") & dg.AssetSelection.key_prefixes(["lake"], ["raw"]),
    partitions_def=daily_partitions,
    description="Record one day of TMDB numbers and X mentions for the tracked shows, into the lake and raw.",
)

trending_daily_schedule = dg.build_schedule_from_partitioned_job(
    trending_daily_job,
    hour_of_day=6,
    minute_of_hour=10,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# Evaluates every asset's automation condition (the dbt models' `eager`) each 30 s while the daemon runs.
automation_sensor = dg.AutomationConditionSensorDefinition(
    "tv_assets_automation",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
