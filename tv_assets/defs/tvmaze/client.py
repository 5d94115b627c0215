"""TVMaze: the HTTP client and the pure checks on what it returns.

Facts this code relies on (TVMaze's API documentation and its real answers):
- `/schedule?country=CC&date=D` lists episodes with the show at top-level `show`;
  `/schedule/web?date=D` nests it at `_embedded.show` instead. Exactly one of the two is present.
- The public API allows about 20 calls per 10 s per IP; a 429 means back off and retry.
- `/shows/:id` answers 404 for a show that no longer exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from tv_assets.platform.http import (
    USER_AGENT,
    Fetched,
    HttpSource,
    PayloadError,
    RateLimiter,
    RetryPolicy,
    describe,
    parse_json,
)

BASE_URL = "https://api.tvmaze.com"

ScheduleKind = Literal["schedule", "web_schedule"]


def show_of(episode: dict[str, Any], kind: ScheduleKind) -> dict[str, Any] | None:
    """The show an episode belongs to: top-level for /schedule, `_embedded.show` for /schedule/web."""
    if kind == "schedule":
        return episode.get("show")
    return (episode.get("_embedded") or {}).get("show")


# Keys every item must carry (the value may be null). A missing one means TVMaze changed its format.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "schedule": ("id", "airdate", "airtime", "airstamp", "show.id", "show.name", "show.type"),
    "web_schedule": ("id", "airdate", "airtime", "airstamp", "_embedded.show.id", "_embedded.show.name"),
    "shows": ("id", "name", "type", "genres", "rating", "network", "webChannel"),
}


def missing_fields(items: list[dict[str, Any]], dataset: str) -> dict[str, int]:
    """How many items lack each required key (dotted paths), for the keys that are missing anywhere."""
    missing: dict[str, int] = {}
    for item in items:
        for path in REQUIRED_FIELDS[dataset]:
            node: Any = item
            for part in path.split("."):
                if not isinstance(node, dict) or part not in node:
                    missing[path] = missing.get(path, 0) + 1
                    break
                node = node[part]
    return missing


def require_fields(items: list[dict[str, Any]], dataset: str, *, what: str) -> None:
    """Refuse a payload whose items lack a key staging reads: the source changed its format.

    Extra keys are fine: the raw payload keeps them and staging ignores what it does not read.
    """
    if missing := missing_fields(items, dataset):
        detail = ", ".join(f"{path} (absent in {n} of {len(items)} items)" for path, n in sorted(missing.items()))
        raise PayloadError(f"{what}: required fields missing: {detail}; the source format may have changed")


def parse_schedule(body: bytes, kind: ScheduleKind, *, what: str) -> list[dict[str, Any]]:
    """Validate a schedule payload and return its episodes; raise `PayloadError` saying what is wrong.

    An empty day is refused: every real day has episodes, so `[]` means the source misbehaved and
    must not replace a good partition.
    """
    episodes = parse_json(body, what=what)
    if not isinstance(episodes, list):
        raise PayloadError(f"{what}: expected a JSON array of episodes, got {type(episodes).__name__}")
    if not episodes:
        raise PayloadError(f"{what}: empty day (0 episodes); refusing to replace the partition with nothing")
    for position, episode in enumerate(episodes):
        show = show_of(episode, kind) if isinstance(episode, dict) else None
        if not isinstance(episode, dict) or not isinstance(episode.get("id"), int):
            raise PayloadError(f"{what}: item {position} is not an episode object with an integer id")
        if not isinstance(show, dict) or not isinstance(show.get("id"), int):
            where = "show" if kind == "schedule" else "_embedded.show"
            raise PayloadError(f"{what}: episode {episode['id']} has no `{where}` object with an integer id")
    require_fields(episodes, kind, what=what)
    return episodes


def show_ids(episodes: Iterable[dict[str, Any]], kind: ScheduleKind) -> set[int]:
    return {show["id"] for episode in episodes if (show := show_of(episode, kind))}


def parse_shows_lines(body: bytes, *, what: str) -> list[dict[str, Any]]:
    """The lake's shows file holds one `/shows/:id` body per line."""
    shows = [parse_json(line, what=f"{what} line {n}") for n, line in enumerate(body.splitlines(), 1) if line.strip()]
    for n, show in enumerate(shows, 1):
        if not isinstance(show, dict) or not isinstance(show.get("id"), int):
            raise PayloadError(f"{what} line {n}: not a show object with an integer id")
    require_fields(shows, "shows", what=what)
    return shows


class TVMazeClient:
    def __init__(self, http: HttpSource, *, workers: int = 2) -> None:
        self.http, self.workers = http, workers

    @classmethod
    def create(
        cls,
        base_url: str = BASE_URL,
        *,
        calls_per_10s: int = 20,
        retry: RetryPolicy = RetryPolicy(),
        timeout: float = 30.0,
        workers: int = 2,
    ) -> TVMazeClient:
        http = HttpSource(
            "tvmaze",
            base_url,
            user_agent=USER_AGENT,
            rate_limiter=RateLimiter(calls_per_10s, 10.0),
            retry=retry,
            timeout=timeout,
        )
        return cls(http, workers=workers)

    def schedule(self, day: str, kind: ScheduleKind, country: str) -> Fetched:
        path, params = (
            ("/schedule", {"country": country, "date": day})
            if kind == "schedule"
            else (
                "/schedule/web",
                {"date": day},  # no country: local and global web channels alike
            )
        )
        response = self.http.get(path, params, partition=day)
        return Fetched(f"GET {describe(path, params, self.http.secret_params)}", response.status_code, response.content)

    def shows(self, ids: Iterable[int], *, partition: str) -> tuple[dict[int, bytes], list[int]]:
        """Bodies of `/shows/:id` by id, and the ids TVMaze has no show for (sorted): those that answered
        404, or the literal body `null` that its lookups give for a miss."""
        ordered = sorted(ids)

        def one(show_id: int) -> bytes | None:
            response = self.http.get(f"/shows/{show_id}", partition=partition, ok_statuses=(404,))
            return None if response.status_code == 404 or response.content.strip() == b"null" else response.content

        # The rate limiter is shared, so a few workers only hide latency; they never exceed the limit.
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            bodies = dict(zip(ordered, pool.map(one, ordered), strict=True))
        return {i: b for i, b in bodies.items() if b is not None}, [i for i, b in bodies.items() if b is None]
