"""The tv_assets code location: every folder of `tv_assets/defs/`, plus the lake, the warehouse and the
executor, for the environment's settings (`tv_assets.platform.settings`).

Nothing is listed by hand: a new folder with a `definitions.py` is found and merged.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import dagster as dg

from tv_assets import defs as defs_package
from tv_assets.platform.resources import storage_resources
from tv_assets.platform.settings import Settings, load_settings


def executor_config(warehouse: str) -> dict:
    """DuckDB admits one writing process per file: steps that write the warehouse run one at a time,
    while fetches (network-bound) still run beside them. Snowflake takes concurrent writers.

    Each step runs in its own process, forked from a server process that imported this module once per
    run: a spawned step process would import Dagster, dbt and these definitions again, about 5 s a step
    on 2 cores (bench/README.md, *Step processes*). Importing this module opens no connection and starts
    no thread, so forking after it is safe."""
    writers = [{"key": "tv_assets/warehouse_writer", "value": "true", "limit": 1}] if warehouse == "duckdb" else []
    return {
        "max_concurrent": 4,
        "tag_concurrency_limits": writers,
        "start_method": {"forkserver": {"preload_modules": [__name__]}},
    }


def folders() -> list[str]:
    """The folders of `tv_assets/defs/`, each one source or area."""
    return sorted(info.name for info in pkgutil.iter_modules(defs_package.__path__) if info.ispkg)


def folder_definitions(settings: Settings) -> Iterator[dg.Definitions]:
    for name in folders():
        module = importlib.import_module(f"{defs_package.__name__}.{name}.definitions")
        yield module.definitions(settings)


def build_definitions(settings: Settings) -> dg.Definitions:
    # Storage first: a lake or warehouse misconfigured is the first thing to say.
    storage = dg.Definitions(
        resources=storage_resources(settings),
        executor=dg.multiprocess_executor.configured(executor_config(settings.warehouse)),
    )
    return dg.Definitions.merge(*folder_definitions(settings), storage)


def build_resources(settings: Settings) -> dict[str, Any]:
    """Every resource of the code location for `settings` (in-process runs pass them on)."""
    return dict(build_definitions(settings).resources or {})


defs = build_definitions(load_settings())
