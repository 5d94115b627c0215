"""FRED: the monthly cinema admissions CPI (CUSR0000SS62031), on the 20th for the month before.

BLS publishes a month's CPI around the middle of the next month; the 20th leaves room for delays.
"""

import dagster as dg

from tv_assets.defs.fred.assets import fred_assets
from tv_assets.defs.fred.resource import fred_resource
from tv_assets.platform.jobs import MAX_RUNTIME_SECONDS_TAG, SCHEDULED_MAX_RUNTIME_S, SOURCE_TAG
from tv_assets.platform.settings import Settings

job = dg.define_asset_job(
    "fred_monthly",
    selection=dg.AssetSelection.groups("fred"),
    description="Fetch last month's cinema admissions CPI from FRED, load it and rebuild stg_fred__cpi.",
    tags={SOURCE_TAG: "fred"},
)
schedule = dg.build_schedule_from_partitioned_job(
    job,
    day_of_month=20,
    hour_of_day=7,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={MAX_RUNTIME_SECONDS_TAG: str(SCHEDULED_MAX_RUNTIME_S)},
    description="Monthly on the 20th at 07:00 UTC: `fred_monthly` for last month, once BLS has published it. "
    "On by default: one free FRED call a month.",
)


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=fred_assets, jobs=[job], schedules=[schedule], resources={"fred": fred_resource(settings)}
    )
