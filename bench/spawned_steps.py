"""The baseline of `bench_step_processes.py`: this project's definitions with the multiprocess executor's
default start method (spawn), so each step process imports Dagster, dbt and the definitions itself."""

import dagster as dg

from tv_assets.definitions import executor_config, folder_definitions
from tv_assets.platform.resources import storage_resources
from tv_assets.platform.settings import load_settings

settings = load_settings()
spawn = {**executor_config(settings.warehouse), "start_method": {"spawn": {}}}
defs = dg.Definitions.merge(
    *folder_definitions(settings),
    dg.Definitions(resources=storage_resources(settings), executor=dg.multiprocess_executor.configured(spawn)),
)
