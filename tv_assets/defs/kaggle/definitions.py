"""The Kaggle archives (Letterboxd, The Movies Dataset): each drop into `landing/<source>/` starts its job."""

import dagster as dg

from tv_assets.defs.kaggle.assets import kaggle_assets
from tv_assets.defs.kaggle.client import ARCHIVES
from tv_assets.defs.kaggle.resource import kaggle_resource
from tv_assets.platform.jobs import drop_job
from tv_assets.platform.settings import Settings

# Letterboxd's theme models read the theme groups seed, recorded as of the arrival day.
SEEDS = {"letterboxd": dg.AssetSelection.assets(["staging", "letterboxd_theme_groups"])}
drops = {source: drop_job(source, SEEDS.get(source, dg.AssetSelection.assets())) for source in ARCHIVES}


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=kaggle_assets,
        jobs=[job for job, _ in drops.values()],
        sensors=[sensor for _, sensor in drops.values()],
        resources={"kaggle": kaggle_resource(settings)},
    )
