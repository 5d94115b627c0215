"""The dbt project's staging and marts, and the freshness of the daily marts."""

import warnings

import dagster as dg

from tv_assets.defs.dbt.assets import PARTITIONINGS, Manifest, build_dbt_assets
from tv_assets.platform.dbt import dbt_project, dbt_resource
from tv_assets.platform.settings import Settings


def freshness_checks(daily_models: dg.AssetsDefinition) -> tuple[list[dg.AssetChecksDefinition], dg.SensorDefinition]:
    """The newest partition of each daily mart must be materialized by 09:00 UTC: the sources' schedules
    run from 06:00 UTC and the marts follow by automation, so three hours is the margin before analysts
    should hear about it. The movie marts change when a Kaggle archive is dropped, whenever that is."""
    marts = [key for key in daily_models.keys if key.path[0] == "marts"]
    # `FreshnessPolicy` supersedes these builders but judges an asset as a whole: a backfill of an old
    # partition would make a mart look fresh. The time-partition check asks for the newest partition,
    # which is the contract here, so it stays until policies become partition-aware.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=dg.SupersessionWarning, message=".*freshness_checks.*")
        checks = dg.build_time_partition_freshness_checks(
            assets=marts, deadline_cron="0 9 * * *", timezone="UTC", severity=dg.AssetCheckSeverity.WARN
        )
        # Runs the checks (they read the event log, no compute) so their status stays current.
        sensor = dg.build_sensor_for_freshness_checks(
            freshness_checks=checks, default_status=dg.DefaultSensorStatus.RUNNING, minimum_interval_seconds=600,
        )
    return list(checks), sensor


def definitions(settings: Settings) -> dg.Definitions:
    project = dbt_project(settings.dbt_target)  # checked once: the assets and the resource share it
    manifest = Manifest(project)
    models = {name: build_dbt_assets(name, manifest) for name in PARTITIONINGS}
    checks, sensor = freshness_checks(models["daily_dbt_models"])
    jobs = [
        dg.define_asset_job(
            "daily_models",
            selection=dg.AssetSelection.assets(models["daily_dbt_models"]),
            description="The daily dbt staging and marts, with their tests, for a range of days in one dbt build: "
            "what automation builds for the newest day, and a backfill of the models alone.",
        ),
        dg.define_asset_job(
            "freshness_checks",
            selection=dg.AssetSelection.checks(*checks),
            description="Judge the daily marts' freshness now (the freshness sensor does it every 10 minutes).",
        ),
    ]
    return dg.Definitions(
        assets=list(models.values()),
        asset_checks=checks,
        jobs=jobs,
        sensors=[sensor],
        resources={"dbt": dbt_resource(project)},
    )
