"""`python -m tv_assets.deploy`: write `$DAGSTER_HOME/dagster.yaml` for this environment.

Postgres-backed storage when `DAGSTER_PG_HOST`, `DAGSTER_PG_USERNAME`, `DAGSTER_PG_PASSWORD` and
`DAGSTER_PG_DB` are set (`DAGSTER_PG_PORT` optional, default 5432); SQLite under `$DAGSTER_HOME`
otherwise. The file only references the variables, so no credential is written to disk. With Postgres,
the run queue admits `TV_ASSETS_MAX_CONCURRENT_RUNS` runs at once: by default one on a DuckDB warehouse
(one writing process per file), eight on Snowflake.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from tv_assets.platform.settings import PROJECT_ROOT, choice, dagster_home, newest_complete_day, record_start

PG_VARIABLES = ("DAGSTER_PG_HOST", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB")


def instance_yaml(environ: Mapping[str, str] = os.environ) -> str:
    if all(environ.get(name) for name in PG_VARIABLES):
        port = environ.get("DAGSTER_PG_PORT", "5432")
        if not port.isdigit():
            raise ValueError(f"DAGSTER_PG_PORT must be a number, got {port!r}")
        runs = environ.get("TV_ASSETS_MAX_CONCURRENT_RUNS") or str(max_concurrent_runs(environ))
        if not runs.isdigit() or int(runs) < 1:
            raise ValueError(f"TV_ASSETS_MAX_CONCURRENT_RUNS must be a positive number, got {runs!r}")
        template = (PROJECT_ROOT / "deploy" / "dagster.postgres.yaml").read_text()
        return template.replace("__PORT__", port).replace("__MAX_RUNS__", runs)
    return (PROJECT_ROOT / "deploy" / "dagster.sqlite.yaml").read_text()


def max_concurrent_runs(environ: Mapping[str, str]) -> int:
    """DuckDB admits one writing process per file, so one run at a time; Snowflake takes many."""
    return 8 if choice("TV_ASSETS_WAREHOUSE", environ) == "snowflake" else 1


def write_instance_yaml() -> Path:
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    target.write_text(instance_yaml())
    return target


def record_deployment_start() -> str:
    """The first daily partition of this deployment: the newest complete day when it was first set up,
    kept in `$DAGSTER_HOME` (see `tv_assets.platform.partitions.daily_start`)."""
    return record_start(dagster_home(), newest_complete_day())


if __name__ == "__main__":
    print(f"wrote {write_instance_yaml()}")
    if not os.environ.get("TV_ASSETS_START_DATE"):
        print(f"daily partitions start on {record_deployment_start()} (TV_ASSETS_START_DATE sets another)")
