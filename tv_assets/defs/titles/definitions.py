"""The cross-source title graph is dbt models only (`dbt/models/*/titles/`); this folder holds what its
materializations report (`metadata.py`) and its sample catalog (`sample.py`, shared by every source's sample)."""

import dagster as dg

from tv_assets.platform.settings import Settings


def definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions()
