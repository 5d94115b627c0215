"""Landing areas: files dropped by hand or by a vendor into `landing/<source>/`, on either lake.

A sensor lists the prefix and starts one run per new file for the arrival date's partition. Its
cursor is the newest last-modified time seen plus the keys at exactly that time, never a key order:
drops arrive with any names, and a re-dropped file (same key, newer time) is a new arrival.
"""

import json
from collections.abc import Sequence

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from tv_assets.platform.lake import Lake, LakeObject

LANDING_KEY_TAG = "tv_assets/landing_key"


def new_arrivals(objects: Sequence[LakeObject], cursor: str | None) -> tuple[list[LakeObject], str | None]:
    """The objects not seen under `cursor`, oldest first, and the cursor that marks them seen."""
    state = json.loads(cursor) if cursor else {"last_modified": "", "keys": []}
    seen_time, seen_keys = state["last_modified"], set(state["keys"])
    fresh = sorted(
        (
            o
            for o in objects
            if o.last_modified.isoformat() > seen_time
            or (o.last_modified.isoformat() == seen_time and o.key not in seen_keys)
        ),
        key=lambda o: (o.last_modified, o.key),
    )
    if not fresh:
        return [], cursor
    newest = fresh[-1].last_modified.isoformat()
    keys = {o.key for o in objects if o.last_modified.isoformat() == newest}
    return fresh, json.dumps({"last_modified": newest, "keys": sorted(keys)})


def landing_sensor(
    source: str,
    target: dg.AssetSelection | dg.JobDefinition | UnresolvedAssetJobDefinition,
    minimum_interval_seconds: int = 60,
) -> dg.SensorDefinition:
    """A sensor on `landing/<source>/` that requests a run of `target` per arrival, for its UTC date
    (`target` is partitioned by `tv_assets.platform.partitions.arrival_partitions`, which include today)."""

    @dg.sensor(
        name=f"{source}_landing_sensor",
        target=target,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Starts a run for each file dropped into the lake's landing/{source}/ prefix, once per file "
        "(its key and time are the run key). On by default: it only lists the lake, and its runs read what was "
        "dropped, never a paid or rate-limited API.",
    )
    def sensor(context: dg.SensorEvaluationContext, lake: Lake) -> dg.SensorResult | dg.SkipReason:
        arrivals, cursor = new_arrivals(lake.list(f"landing/{source}/"), context.cursor)
        if not arrivals:
            return dg.SkipReason(f"nothing new under {lake.uri(f'landing/{source}')}/")
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    run_key=f"{o.key}@{o.last_modified.isoformat()}",
                    partition_key=o.last_modified.date().isoformat(),
                    tags={LANDING_KEY_TAG: o.key},
                )
                for o in arrivals
            ],
            cursor=cursor,
        )

    return sensor
