"""TVMaze: fetch schedules and shows into the lake, then load them into the warehouse's raw schema.

Fetch and load are separate assets so any partition already in the lake can be reloaded and
re-transformed without calling TVMaze again.
"""

import time

import dagster as dg

from tv_assets.defs.tvmaze.client import (
    REQUIRED_FIELDS,
    PayloadError,
    ScheduleKind,
    parse_schedule,
    parse_shows_lines,
    show_ids,
)
from tv_assets.defs.tvmaze.resource import TVMazeResource
from tv_assets.platform.assets import lake_asset
from tv_assets.platform.http import SourceError, as_line
from tv_assets.platform.lake import Lake, partition_key
from tv_assets.platform.loads import build_raw_load
from tv_assets.platform.metadata import window_metadata
from tv_assets.platform.partitions import days_in_window
from tv_assets.platform.payloads import read, reject, store
from tv_assets.platform.warehouse import JsonLayout

SOURCE = "tvmaze"
FILES = {"schedule": "schedule.json", "web_schedule": "schedule_web.json", "shows": "shows.jsonl"}


def lake_key(dataset: str, day: str, filename: str | None = None, area: str = "raw") -> str:
    return partition_key(SOURCE, dataset, day, filename or FILES[dataset], area)


def _store(context: dg.AssetExecutionContext, lake: Lake, dataset: str, day: str, body: bytes, request: dict) -> str:
    return store(context, lake, SOURCE, dataset, day, FILES[dataset], body, request)


def _reject(lake: Lake, dataset: str, day: str, body: bytes, error: PayloadError) -> dg.Failure:
    return reject(lake, SOURCE, dataset, day, body, error)


def build_schedule_fetch(kind: ScheduleKind, description: str) -> dg.AssetsDefinition:
    @lake_asset(SOURCE, f"{kind}_payload", "json", "any_day", description=description)
    def fetch(context: dg.AssetExecutionContext, tvmaze: TVMazeResource, lake: Lake) -> dg.MaterializeResult:
        client, started = tvmaze.client(), time.perf_counter()
        counts, total_bytes = {}, 0
        for day in days_in_window(*context.partition_time_window):
            try:
                fetched = client.schedule(day, kind, tvmaze.country)
                episodes = parse_schedule(fetched.body, kind, what=f"tvmaze {kind}, partition {day}")
            except PayloadError as error:
                raise _reject(lake, kind, day, fetched.body, error) from error
            except SourceError as error:
                raise dg.Failure(description=str(error), metadata={"partition": day}) from error
            uri = _store(context, lake, kind, day, fetched.body, {"request": fetched.request, "status": fetched.status})
            counts[day], total_bytes = len(episodes), total_bytes + len(fetched.body)
            context.log.info(f"tvmaze {kind} {day}: {len(episodes)} episodes, {len(fetched.body)} bytes -> {uri}")
        return dg.MaterializeResult(metadata=window_metadata(context, counts, "episodes", started, bytes=total_bytes))

    return fetch


tvmaze_schedule_payload = build_schedule_fetch(
    "schedule",
    "TVMaze `/schedule` for the configured country (default US): every episode airing that day on its "
    "networks and local web channels, each with its show. Stored in the lake exactly as received.",
)
tvmaze_web_schedule_payload = build_schedule_fetch(
    "web_schedule",
    "TVMaze `/schedule/web` with no country: episodes released that day on web channels, local and "
    "global (Netflix, Prime Video, ...), the show nested at `_embedded.show`. Stored exactly as received.",
)


@lake_asset(
    "tvmaze",
    "shows_payload",
    "json",
    "any_day",
    deps=[tvmaze_schedule_payload, tvmaze_web_schedule_payload],
)
def tvmaze_shows_payload(context: dg.AssetExecutionContext, tvmaze: TVMazeResource, lake: Lake) -> dg.MaterializeResult:
    """TVMaze `/shows/:id` for every show in that day's schedules: the show as TVMaze describes it
    when fetched (rating, genres, network or web channel). One response body per line, as received.
    A show that answers 404 (or `null`) is counted in `shows_from_schedule`: staging takes its copy
    from the day's schedule instead.

    TVMaze serves only the current show, so a run over several days fetches each show once and files
    that body under every day it aired: a 30-day backfill costs one call per show, not per show-day.
    """
    client, started = tvmaze.client(), time.perf_counter()
    counts, missing_all = {}, {}
    fetched: dict[int, bytes] = {}
    not_found: set[int] = set()
    for day in days_in_window(*context.partition_time_window):
        ids: set[int] = set()
        for kind in ("schedule", "web_schedule"):
            body = _read(lake, kind, day, "lake/tvmaze_shows_payload")
            ids |= show_ids(parse_schedule(body, kind, what=f"tvmaze {kind}, partition {day}"), kind)
        try:
            new_bodies, new_missing = client.shows(ids - fetched.keys() - not_found, partition=day)
        except SourceError as error:
            raise dg.Failure(description=str(error), metadata={"partition": day}) from error
        fetched.update(new_bodies)
        not_found.update(new_missing)
        present = sorted(ids & fetched.keys())
        payload = b"".join(as_line(fetched[i]) + b"\n" for i in present)
        try:
            parse_shows_lines(payload, what=f"tvmaze shows, partition {day}")
        except PayloadError as error:
            raise _reject(lake, "shows", day, payload, error) from error
        missing = sorted(ids & not_found)
        request = {"request": f"GET /shows/:id for {len(ids)} ids", "status": 200, "not_found": missing}
        _store(context, lake, "shows", day, payload, request)
        counts[day] = len(present)
        context.add_asset_metadata({"shows_from_schedule": len(missing)}, partition_key=day)
        if missing:
            missing_all[day] = missing
            context.log.warning(
                f"tvmaze shows {day}: {len(missing)} ids had no /shows/:id (404 or null); "
                f"staging uses the schedule's copy of them: {missing[:20]}"
            )
    return dg.MaterializeResult(
        metadata=window_metadata(
            context,
            counts,
            "shows",
            started,
            calls=len(fetched) + len(not_found),
            shows_from_schedule=sum(len(m) for m in missing_all.values()),
        )
    )


def _read(lake: Lake, dataset: str, day: str, reader: str) -> bytes:
    return read(lake, SOURCE, dataset, day, FILES[dataset], reader, f"lake/tvmaze_{dataset}_payload")


def build_load(dataset: str, upstream: dg.AssetsDefinition) -> dg.AssetsDefinition:
    def parse(body: bytes, what: str) -> list:
        if dataset == "shows":
            return parse_shows_lines(body, what=what)
        return parse_schedule(body, "schedule" if dataset == "schedule" else "web_schedule", what=what)

    layout: JsonLayout = "lines" if dataset == "shows" else "array"
    return build_raw_load(SOURCE, dataset, FILES[dataset], upstream, layout, parse, REQUIRED_FIELDS[dataset])


raw_tvmaze_schedule = build_load("schedule", tvmaze_schedule_payload)
raw_tvmaze_web_schedule = build_load("web_schedule", tvmaze_web_schedule_payload)
raw_tvmaze_shows = build_load("shows", tvmaze_shows_payload)

tvmaze_assets = [
    tvmaze_schedule_payload,
    tvmaze_web_schedule_payload,
    tvmaze_shows_payload,
    raw_tvmaze_schedule,
    raw_tvmaze_web_schedule,
    raw_tvmaze_shows,
]
