"""X: mention counts of the tracked shows, daily at 06:15 UTC.

X counts only the last seven days, so a day missed for a week is lost: the schedule runs every day.
"""

import dagster as dg

from tv_assets.defs.x.assets import x_assets
from tv_assets.defs.x.resource import x_resource
from tv_assets.platform.jobs import daily_job
from tv_assets.platform.settings import Settings

job, schedule = daily_job(
    "x",
    15,
    "Record one day of X mentions of the tracked shows, into the lake and raw.",
    "X answers only the last 7 days, so a missed week is lost. X bills every call (two queries per tracked "
    "show a day, within 300 calls per 15 min); without X_BEARER_TOKEN the day is recorded as skipped and "
    "nothing is called.",
    seeds=dg.AssetSelection.assets(["staging", "tracked_shows"]),
)


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(assets=x_assets, jobs=[job], schedules=[schedule], resources={"x": x_resource(settings)})
