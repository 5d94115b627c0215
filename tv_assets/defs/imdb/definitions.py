"""IMDB: the day's dumps (title.basics, title.ratings, title.crew, name.basics), daily at 06:20 UTC.

IMDB keeps only today's dump, so each day's snapshot exists only if this ran that day.
"""

import dagster as dg

from tv_assets.defs.imdb.assets import imdb_assets
from tv_assets.defs.imdb.resource import imdb_resource
from tv_assets.platform.jobs import daily_job
from tv_assets.platform.settings import Settings

job, schedule = daily_job(
    "imdb",
    20,
    "Download the day's IMDB dumps (title.basics, title.ratings, title.crew, "
    "name.basics) into the lake and load them into raw.",
    "IMDB publishes only today's files, so a day not downloaded is lost. The files are free, about 1 GB a day.",
)


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=imdb_assets, jobs=[job], schedules=[schedule], resources={"imdb": imdb_resource(settings)}
    )
