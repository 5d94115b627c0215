"""What keeps the graph running and people informed: declarative automation, and failures to Slack."""

import dagster as dg

from tv_assets.defs.operations.alerts import slack_from_env, slack_on_run_failure
from tv_assets.platform.settings import Settings

# Evaluates every asset's automation condition (the dbt models' `eager`) each 30 s while the daemon runs.
automation_sensor = dg.AutomationConditionSensorDefinition(
    "tv_assets_automation",
    target=dg.AssetSelection.all(),
    description="Declarative automation: builds the dbt staging and marts of the newest partition as soon as "
    "their inputs land (eager), every 30 s. On by default: it only starts dbt on the warehouse, never a fetch.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(sensors=[automation_sensor, slack_on_run_failure], resources={"slack": slack_from_env()})
