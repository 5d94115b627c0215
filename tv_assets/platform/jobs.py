"""How a source's runs are started: a daily job on a schedule, or a drop job from a landing sensor.

| what                                          | when                            | how                           |
| fetch + load a daily source (`<source>_daily`) | daily from 06:00 UTC, yesterday | schedule on a partitioned job |
| FRED CPI (`fred_monthly`)                     | the 20th, 07:00 UTC, last month | schedule on a monthly job     |
| a Kaggle drop (`<source>_drop`)               | when a file lands               | landing sensor, arrival day   |
| dbt staging and marts                         | as soon as their inputs land    | eager automation, newest day  |
| history (any range)                           | on demand                       | backfill: one run per range   |
"""

from typing import Any

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition
from dagster._core.storage.tags import MAX_RUNTIME_SECONDS_TAG

from tv_assets.platform.landing import landing_sensor

NOTHING = dg.AssetSelection.assets()
# Every run of a source's job names the source: the deployment's run queue admits one run per source at a
# time (deploy/dagster.postgres.yaml), so a backfill and a schedule never double the rate on one API.
SOURCE_TAG = "tv_assets/source"
# A scheduled day that has not finished within the hour has died or hung: run monitoring fails it, so it
# cannot hold the queue (the default launcher cannot see a dead run process). Backfills are not capped.
SCHEDULED_MAX_RUNTIME_S = 3600


def daily_job(
    source: str, minute: int, description: str, on_by_default: str, seeds: dg.AssetSelection = NOTHING
) -> tuple[UnresolvedAssetJobDefinition, Any]:  # an unresolved schedule: the job is resolved with the definitions
    """`<source>_daily`: fetch and load the source's group (lake and raw only: the dbt models downstream
    follow by declarative automation), scheduled daily at 06:`minute` UTC for the newest complete
    partition. `seeds` are the reference tables the day's models read, recorded as of that day. The job
    takes its partitions from the assets it selects. `on_by_default` says why the schedule starts on
    (shown with it in the UI, beside what the source costs)."""
    job = dg.define_asset_job(
        f"{source}_daily",
        selection=(dg.AssetSelection.groups(source) & dg.AssetSelection.key_prefixes(["lake"], ["raw"])) | seeds,
        description=description,
        tags={SOURCE_TAG: source},
    )
    schedule = dg.build_schedule_from_partitioned_job(
        job,
        hour_of_day=6,
        minute_of_hour=minute,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        tags={MAX_RUNTIME_SECONDS_TAG: str(SCHEDULED_MAX_RUNTIME_S)},
        description=f"Daily at 06:{minute:02d} UTC: `{source}_daily` for yesterday, the newest complete day. "
        f"On by default: {on_by_default}",
    )
    return job, schedule


def drop_job(
    source: str, seeds: dg.AssetSelection = NOTHING
) -> tuple[UnresolvedAssetJobDefinition, dg.SensorDefinition]:
    """`<source>_drop` and its landing sensor: everything a Kaggle drop refreshes (the archive, its raw
    tables and every model of the arrival partitioning downstream, plus the reference `seeds` those
    models read) for the arrival day: the job takes the arrival partitions its assets share. Daily models
    that read the newest drop (the title graph) follow by automation for the newest day."""
    archive = dg.AssetSelection.assets(["lake", f"{source}_archive"])
    arrival = dg.AssetSelection.key_prefixes(["lake"], ["raw"]) | dg.AssetSelection.tag("arrival", "")
    job = dg.define_asset_job(
        f"{source}_drop",
        selection=(archive.downstream() & arrival) | seeds,
        description=f"Load a {source} archive dropped in landing/{source}/ and rebuild the marts it feeds.",
        tags={SOURCE_TAG: source},
    )
    return job, landing_sensor(source, job)
