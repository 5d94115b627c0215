"""Freshness of the marts: the newest partition must be materialized by 09:00 UTC.

The TVMaze schedule runs at 06:00 UTC and the marts follow by automation, so three hours is the
margin before analysts should hear about it.
"""

import warnings

import dagster as dg

from tv_assets.runs import DAILY_ASSETS

# `FreshnessPolicy` supersedes these builders but judges an asset as a whole: a backfill of an old
# partition would make a mart look fresh. The time-partition check asks for the newest partition,
# which is the contract here, so it stays until policies become partition-aware.
warnings.filterwarnings("ignore", category=dg.SupersessionWarning, message=".*freshness_checks.*")

# Daily marts only: the movie marts change when a Kaggle archive is dropped, whenever that is.
MART_KEYS = [key for assets_def in DAILY_ASSETS for key in assets_def.keys if key.path[0] == "marts"]

mart_freshness_checks = dg.build_time_partition_freshness_checks(
    assets=MART_KEYS, deadline_cron="0 9 * * *", timezone="UTC", severity=dg.AssetCheckSeverity.WARN
)

# Runs the freshness checks (they read the event log, no compute) so their status stays current.
mart_freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=mart_freshness_checks,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=600,
)
