"""TVMaze: the day's broadcast and web schedules and the shows they air, fetched daily at 06:00 UTC."""

import dagster as dg

from tv_assets.defs.tvmaze.assets import tvmaze_assets
from tv_assets.defs.tvmaze.resource import tvmaze_resource
from tv_assets.platform.jobs import daily_job
from tv_assets.platform.settings import Settings

job, schedule = daily_job(
    "tvmaze",
    0,
    "Fetch one day of TVMaze schedules and shows into the lake and load them into raw.",
    "TVMaze is free and keeps history, but rate-limited (20 calls per 10 s): one schedule day and the day's "
    "new shows a day stay far under it.",
)


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=tvmaze_assets, jobs=[job], schedules=[schedule], resources={"tvmaze": tvmaze_resource(settings)}
    )
