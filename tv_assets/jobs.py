"""Jobs, schedules and automation: sources on their cadence, everything downstream follows.

| what                                  | when                         | how                                  |
| fetch + load TVMaze (`tvmaze_daily`)  | daily 06:00 UTC, yesterday   | schedule on a partitioned job        |
| fetch + load TMDB, X (`trending_daily`)| daily 06:10 UTC, yesterday  | schedule on a partitioned job        |
| fetch + load IMDB dumps (`imdb_daily`)| daily 06:20 UTC, yesterday   | schedule on a partitioned job        |
| FRED CPI (`fred_monthly`)             | the 20th, 07:00 UTC, last month | schedule on a monthly job         |
| a Kaggle drop (`<source>_drop`)       | when a file lands            | landing sensor, arrival day          |
| dbt staging and marts                 | as soon as their inputs land | eager automation, newest partition   |
| history (any range)                   | on demand                    | backfill: one run per range          |
"""

import dagster as dg

from tv_assets.assets.dbt import tv_assets_dbt_models
from tv_assets.landing import landing_sensor
from tv_assets.partitions import arrival_partitions, daily_partitions, monthly_partitions

def daily_sources(name: str, groups: tuple[str, ...], minute: int, description: str,
                  seeds: dg.AssetSelection = dg.AssetSelection.keys()) -> tuple:
    """A job that fetches and loads `groups` (lake and raw only: the dbt models downstream follow by
    declarative automation), scheduled daily at 06:`minute` UTC for the newest complete partition.
    `seeds` are the reference tables the day's models read, recorded as of that day."""
    job = dg.define_asset_job(
        name,
        selection=(dg.AssetSelection.groups(*groups) & dg.AssetSelection.key_prefixes(["lake"], ["raw"])) | seeds,
        partitions_def=daily_partitions,
        description=description,
    )
    schedule = dg.build_schedule_from_partitioned_job(
        job, hour_of_day=6, minute_of_hour=minute, default_status=dg.DefaultScheduleStatus.RUNNING
    )
    return job, schedule


tvmaze_daily_job, tvmaze_daily_schedule = daily_sources(
    "tvmaze_daily", ("tvmaze",), 0,
    "Fetch one day of TVMaze schedules and shows into the lake and load them into raw.",
)

# TMDB and X serve only the present (X: seven days), so a missed day is lost: this runs every day.
trending_daily_job, trending_daily_schedule = daily_sources(
    "trending_daily", ("tmdb", "x"), 10,
    "Record one day of TMDB numbers and X mentions for the tracked shows, into the lake and raw.",
    seeds=dg.AssetSelection.keys("staging/tracked_shows"),
)

# IMDB keeps only today's dump, so each day's snapshot exists only if this ran that day.
imdb_daily_job, imdb_daily_schedule = daily_sources(
    "imdb_daily", ("imdb",), 20,
    "Download the day's IMDB dumps (title.basics, title.ratings, title.crew, name.basics) into the lake and "
    "load them into raw.",
)

# BLS publishes a month's CPI around the middle of the next month; the 20th leaves room for delays.
fred_monthly_job = dg.define_asset_job(
    "fred_monthly", selection=dg.AssetSelection.groups("fred"), partitions_def=monthly_partitions,
    description="Fetch last month's cinema admissions CPI from FRED, load it and rebuild stg_fred__cpi.",
)
fred_monthly_schedule = dg.build_schedule_from_partitioned_job(
    fred_monthly_job, day_of_month=20, hour_of_day=7, default_status=dg.DefaultScheduleStatus.RUNNING
)


def drop_job(source: str, seeds: dg.AssetSelection = dg.AssetSelection.keys()):
    """Everything a Kaggle drop refreshes: the archive, its raw tables and every model downstream of the
    arrival partitioning, for the arrival day (plus the reference `seeds` those models read). Daily models
    that read the newest drop (the title graph) follow by automation for the newest day."""
    downstream = dg.AssetSelection.keys(dg.AssetKey(["lake", f"{source}_archive"])).downstream()
    return dg.define_asset_job(
        f"{source}_drop",
        selection=downstream - dg.AssetSelection.assets(tv_assets_dbt_models) | seeds,
        partitions_def=arrival_partitions,
        description=f"Load a {source} archive dropped in landing/{source}/ and rebuild the marts it feeds.",
    )


letterboxd_drop_job = drop_job("letterboxd", dg.AssetSelection.keys("staging/letterboxd_theme_groups"))
movies_dataset_drop_job = drop_job("movies_dataset")
landing_sensors = [landing_sensor("letterboxd", letterboxd_drop_job), landing_sensor("movies_dataset", movies_dataset_drop_job)]

# Evaluates every asset's automation condition (the dbt models' `eager`) each 30 s while the daemon runs.
automation_sensor = dg.AutomationConditionSensorDefinition(
    "tv_assets_automation",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
