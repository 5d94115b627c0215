"""`python -m tv_assets.deploy`: write `$DAGSTER_HOME/dagster.yaml` for this environment.

Postgres-backed storage when `DAGSTER_PG_HOST`, `DAGSTER_PG_USERNAME`, `DAGSTER_PG_PASSWORD` and
`DAGSTER_PG_DB` are set (`DAGSTER_PG_PORT` optional, default 5432); SQLite under `$DAGSTER_HOME`
otherwise. The file only references the variables, so no credential is written to disk.
"""

import os
from pathlib import Path

from tv_assets.platform.settings import PROJECT_ROOT, dagster_home, newest_complete_day, record_start

PG_VARIABLES = ("DAGSTER_PG_HOST", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB")


def instance_yaml(environ: dict[str, str] | os._Environ = os.environ) -> str:
    if all(environ.get(name) for name in PG_VARIABLES):
        port = environ.get("DAGSTER_PG_PORT", "5432")
        if not port.isdigit():
            raise ValueError(f"DAGSTER_PG_PORT must be a number, got {port!r}")
        return (PROJECT_ROOT / "deploy" / "dagster.postgres.yaml").read_text().replace("__PORT__", port)
    return (PROJECT_ROOT / "deploy" / "dagster.sqlite.yaml").read_text()


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
