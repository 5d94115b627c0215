"""TMDB: the tracked shows' daily numbers and the day's popular and trending TV lists, at 06:10 UTC.

TMDB serves only the present, so a missed day is lost: the schedule runs every day.
"""

import dagster as dg

from tv_assets.defs.tmdb.assets import tmdb_assets
from tv_assets.defs.tmdb.resource import tmdb_resource
from tv_assets.platform.jobs import daily_job
from tv_assets.platform.settings import Settings

job, schedule = daily_job(
    "tmdb",
    10,
    "Record one day of TMDB numbers for the tracked shows and its TV lists, into the lake and raw.",
    "TMDB serves only the present, so a missed day is lost. Free with an API key, rate-limited (40 calls/s): "
    "about 200 calls a day.",
    seeds=dg.AssetSelection.assets(["staging", "tracked_shows"]),
)


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=tmdb_assets, jobs=[job], schedules=[schedule], resources={"tmdb": tmdb_resource(settings)}
    )
