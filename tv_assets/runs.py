"""Running a range of daily partitions as one run, in-process: shared by the demo, tests and benchmarks."""

from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.storage.tags import RUN_KEY_TAG, SENSOR_NAME_TAG

from tv_assets.definitions import defs
from tv_assets.platform.lake import Lake
from tv_assets.platform.landing import new_arrivals
from tv_assets.platform.partitions import daily_partitions, range_tags

ALL_ASSETS = [a for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition)]
DAILY_ASSETS = [a for a in ALL_ASSETS if a.partitions_def == daily_partitions]
# A run covers one partitioning: by default the daily assets, the bulk of the graph.
DAILY = dg.AssetSelection.assets(*DAILY_ASSETS)


def materialize_range(
    resources: dict[str, Any],
    instance: dg.DagsterInstance,
    first: str,
    last: str | None = None,
    selection: str | list[str] | dg.AssetSelection | None = None,
    raise_on_error: bool = True,
    run_config: dict[str, Any] | None = None,
) -> dg.ExecuteInProcessResult:
    """Materialize the daily assets of `selection` (default: all of them) for first..last in one in-process
    run. A run covers one partitioning; the Kaggle drops and the CPI run through their own jobs."""
    return dg.materialize(
        ALL_ASSETS,
        selection=DAILY if selection is None else dg.AssetSelection.from_coercible(selection) & DAILY,
        resources=resources,
        instance=instance,
        tags=range_tags(first, last),
        raise_on_error=raise_on_error,
        run_config=run_config,
    )


def follow_drops(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    source: str,
    cursor: str | None = None,
    raise_on_error: bool = True,
) -> tuple[list[dg.ExecuteInProcessResult], str | None]:
    """One tick of `source`'s landing sensor, then each run it requests (its drop job for the arrival day,
    tagged with the dropped file), in-process: what the daemon does, for the demo and the tests."""
    sensor = defs.resolve_sensor_def(f"{source}_landing_sensor")
    job = defs.resolve_job_def(f"{source}_drop")
    with dg.build_sensor_context(
        cursor=cursor, instance=instance, definitions=defs, resources={"lake": lake_of(defs)}
    ) as context:
        tick = sensor.evaluate_tick(context)
    # Tagged as the daemon tags a sensor's runs: a daemon started on this instance later finds each run key
    # used and does not load the same drop again.
    results = [
        job.execute_in_process(
            partition_key=request.partition_key,
            tags={**request.tags, RUN_KEY_TAG: str(request.run_key), SENSOR_NAME_TAG: sensor.name},
            instance=instance,
            raise_on_error=raise_on_error,
        )
        for request in tick.run_requests or []
    ]
    return results, tick.cursor


def drop_archive(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    source: str,
    name: str,
    body: bytes | Path,
    lake: Lake | None = None,
    raise_on_error: bool = True,
) -> list[dg.ExecuteInProcessResult]:
    """Drop `body` (bytes, or a local file streamed at real volume) at `landing/<source>/<name>` of `lake`
    (default: the definitions' lake), then follow the landing sensor from the drops already there: the
    runs of this drop only."""
    lake = lake or lake_of(defs)
    _, seen = new_arrivals(lake.list(f"landing/{source}/"), None)
    if isinstance(body, Path):
        lake.put_file(f"landing/{source}/{name}", body)
    else:
        lake.put(f"landing/{source}/{name}", body)
    return follow_drops(defs, instance, source, seen, raise_on_error)[0]


def lake_of(defs: dg.Definitions) -> Lake:
    """The lake resource of `defs`."""
    return (defs.resources or {})["lake"]
