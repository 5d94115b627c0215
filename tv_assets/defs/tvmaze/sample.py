"""Seeded generator of TVMaze payloads for any date, true to the real API's shapes and traps.

The traps reproduced (from TVMaze's documentation and real answers): the web schedule nests the show under
`_embedded.show`; shows carry a network, a web channel or both; global web channels have
`country: null`, empty `airtime` and a 12:00 UTC `airstamp`; late-night episodes are labelled with
the previous programming day; daily shows use the year as the season; specials have `number: null`;
episode ratings are almost always null; summaries are HTML with entities, null or "".
The same seed and date always give the same bytes. Every seventh show is a series the other samples
list too (`titles.world`), with its name, year and external ids.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from tv_assets.defs.titles.sample import Listing, tvmaze_id, world
from tv_assets.defs.tvmaze import sample_data as ref
from tv_assets.sample_api.common import dump

API = "https://api.tvmaze.com"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EPOCH = date(2000, 1, 1)


def _channel(entry: tuple) -> dict[str, Any]:
    channel_id, name, country, site = entry
    return {"id": channel_id, "name": name, "country": dict(country) if country else None, "officialSite": site}


@dataclass(frozen=True)
class SampleShow:
    index: int
    payload: dict[str, Any]
    daily: bool
    drop_weekday: int  # web shows without a schedule release on this weekday (0 = Monday)

    @property
    def id(self) -> int:
        return self.payload["id"]


class TVMazeSample:
    def __init__(self, seed: int = 42, n_shows: int = 1500) -> None:
        self.seed, self.n_shows = seed, n_shows

    @cached_property
    def shows(self) -> list[SampleShow]:
        rng = random.Random(f"tvmaze-shows:{self.seed}")
        return [self._make_show(rng, index) for index in range(self.n_shows)]

    @cached_property
    def shows_by_id(self) -> dict[int, SampleShow]:
        return {show.id: show for show in self.shows}

    def _make_show(self, rng: random.Random, index: int) -> SampleShow:
        show_id = 1 + index * 41 + rng.randint(0, 40)
        kind, _, runtimes, daily = rng.choices(ref.SHOW_TYPES, weights=[t[1] for t in ref.SHOW_TYPES])[0]
        layout = rng.random()
        network = _channel(rng.choice(ref.NETWORKS)) if layout < 0.55 or layout >= 0.85 else None
        web = _channel(rng.choice(ref.WEB_CHANNELS)) if 0.55 <= layout < 0.92 else None
        global_web = network is None and web is not None and web["country"] is None
        if daily:
            days, hour = WEEKDAYS[:5], rng.choice(["23:35", "00:35", "07:00", "18:30", "17:00", "01:35"])
        elif global_web:
            days, hour = [], ""
        else:
            days = sorted(rng.sample(WEEKDAYS, rng.choice([1, 1, 1, 2])), key=WEEKDAYS.index)
            hour = rng.choice(["20:00", "21:00", "22:00", "20:30", "19:00", "03:00", "02:00", "13:00"])
        premiered = EPOCH + timedelta(days=rng.randint(-3650, 9400))
        status = rng.choice(ref.STATUSES)
        rated = rng.random() > 0.25
        runtime = rng.choice(runtimes)
        name = self._show_name(rng, kind)
        payload: dict[str, Any] = {
            "id": show_id,
            "url": f"https://www.tvmaze.com/shows/{show_id}/{name.lower().replace(' ', '-')}",
            "name": name,
            "type": kind,
            "language": "Korean" if any("\uac00" <= c <= "\ud7a3" for c in name) else rng.choice(ref.LANGUAGES),
            "genres": [] if rng.random() < 0.3 else rng.sample(ref.GENRES, rng.randint(1, 3)),
            "status": status,
            "runtime": None if (web and rng.random() < 0.6) else runtime,
            "averageRuntime": runtime,
            "premiered": premiered.isoformat(),
            "ended": None if status != "Ended" else (premiered + timedelta(days=rng.randint(100, 4000))).isoformat(),
            "officialSite": rng.choice([None, f"https://example.tv/{show_id}"]),
            "schedule": {"time": hour, "days": days},
            "rating": {"average": round(min(10.0, max(1.0, rng.gauss(7.0, 0.9))), 1) if rated else None},
            "weight": rng.randint(0, 100),
            "network": network,
            "webChannel": web,
            "dvdCountry": None,
            "externals": {
                "tvrage": rng.choice([None] * 9 + [rng.randint(1000, 50000)]),
                "thetvdb": rng.choice([None, rng.randint(70000, 450000)]),
                "imdb": rng.choice([None, f"tt{rng.randint(100000, 30000000):07d}"]),
            },
            "image": None if rng.random() < 0.1 else _image("show", show_id),
            "summary": self._summary(rng, name, null_share=0.15),
            "updated": 1_700_000_000 + rng.randint(0, 50_000_000),
            "_links": {"self": {"href": f"{API}/shows/{show_id}"}},
        }
        if rng.random() < 0.8:
            payload["_links"]["previousepisode"] = {"href": f"{API}/episodes/{show_id * 7}", "name": "Previously"}
        drop_weekday = rng.choice([4, 4, 4, 2, 3, 0])
        listing = self.catalog.get(tvmaze_id(index))
        if listing is not None:
            payload = self._as_catalog_show(payload, listing)
        return SampleShow(index, payload, daily and listing is None, drop_weekday=drop_weekday)

    @cached_property
    def catalog(self) -> dict[int, Listing]:
        """Shows that are also the other samples' series (`titles.world`), by the id their place in the list gives."""
        return {listing.source_id: listing for _, listing in world(self.seed).listed("tvmaze")}

    @staticmethod
    def _as_catalog_show(payload: dict[str, Any], listing: Listing) -> dict[str, Any]:
        # A shared series airs every evening on a US network, so every day's schedule brings it to /shows.
        show_id, name = int(listing.source_id), listing.name
        network = (
            payload["network"]
            if payload["network"] and payload["network"]["country"] == ref.US
            else _channel(ref.NETWORKS[0])
        )
        return payload | {
            "id": show_id,
            "name": name,
            "url": f"https://www.tvmaze.com/shows/{show_id}/{name.lower().replace(' ', '-')}",
            "type": "Scripted",
            "status": "Running",
            "premiered": f"{listing.year}-09-15",
            "ended": None,
            "schedule": {"time": "21:00", "days": list(WEEKDAYS)},
            "network": network,
            "webChannel": None,
            "externals": payload["externals"] | {"imdb": listing.imdb_id, "thetvdb": listing.tvdb_id},
            "_links": {**payload["_links"], "self": {"href": f"{API}/shows/{show_id}"}},
        }

    @staticmethod
    def _show_name(rng: random.Random, kind: str) -> str:
        if kind in ("Talk Show", "Game Show"):
            return f"{rng.choice(ref.TALK_NAMES)} {rng.choice(ref.HOSTS)}"
        if rng.random() < 0.04:
            return rng.choice(ref.KOREAN)
        return f"The {rng.choice(ref.ADJECTIVES)} {rng.choice(ref.NOUNS)}"

    @staticmethod
    def _summary(rng: random.Random, name: str, null_share: float) -> str | None:
        roll = rng.random()
        if roll < null_share:
            return None
        if roll < null_share + 0.05:
            return ""  # older data has empty strings rather than null
        return "<p>" + " ".join(rng.sample(ref.SUMMARY_BITS, 2)).format(name=name) + "</p>"

    # ---- schedules -------------------------------------------------------------------------

    def schedule(self, day: date, country: str = "US") -> list[dict[str, Any]]:
        """`/schedule?country=&date=`: networks and local web channels of one country."""
        out = []
        for show in self.shows:
            channel = show.payload["network"] or show.payload["webChannel"]
            if channel["country"] and channel["country"]["code"] == country:
                out += self._episodes(show, day, channel, nested=False)
        return sorted(out, key=lambda e: (e["airstamp"], e["id"]))

    def web_schedule(self, day: date, country: str | None = None) -> list[dict[str, Any]]:
        """`/schedule/web?date=[&country=]`: no country gives local and global; "" gives global only."""
        out = []
        for show in self.shows:
            channel = show.payload["webChannel"]
            if channel is None:
                continue
            code = channel["country"]["code"] if channel["country"] else ""
            if country is None or code == country:
                out += self._episodes(show, day, channel, nested=True)
        return sorted(out, key=lambda e: (e["airstamp"], e["id"]))

    def show(self, show_id: int) -> dict[str, Any] | None:
        sample = self.shows_by_id.get(show_id)
        return sample.payload if sample else None

    def _episodes(self, show: SampleShow, day: date, channel: dict, nested: bool) -> list[dict[str, Any]]:
        p = show.payload
        if p["status"] != "Running" or p["premiered"] > day.isoformat():
            return []
        rng = random.Random(f"tvmaze-episodes:{self.seed}:{p['id']}:{day.isoformat()}")
        weekday = day.weekday()
        global_web = channel["country"] is None
        if global_web:
            if weekday != show.drop_weekday or rng.random() < 0.5:
                return []
            count = rng.choice([1, 1, 1, 2, 4, 8])  # streaming services often drop whole seasons
        else:
            if WEEKDAYS[weekday] not in p["schedule"]["days"] or rng.random() < 0.12:
                return []
            count = 2 if rng.random() < 0.1 else 1
        return [self._episode(rng, show, day, channel, k, nested) for k in range(count)]

    def _episode(self, rng, show: SampleShow, day: date, channel: dict, k: int, nested: bool) -> dict[str, Any]:
        p = show.payload
        episode_id = (day - EPOCH).days * 100_000 + show.index * 10 + k
        runtime = p["runtime"] or p["averageRuntime"]
        if channel["country"] is None:
            airtime, airdate = "", day
            stamp = datetime.combine(day, time(12 if rng.random() < 0.88 else 8), ZoneInfo("UTC"))
        else:
            airtime = p["schedule"]["time"] or "03:00"
            hh, mm = map(int, airtime.split(":"))
            local = datetime.combine(day, time(hh, mm), ZoneInfo(channel["country"]["timezone"]))
            local += timedelta(minutes=k * (runtime or 30))
            airtime = local.strftime("%H:%M")
            # Overnight slots belong to the previous programming day: airdate lags the real instant.
            airdate = day - timedelta(days=1) if hh < 3 else day
            stamp = local
        special = rng.random() < 0.07
        season = day.year if show.daily else max(1, day.year - int(p["premiered"][:4]) + 1)
        episode: dict[str, Any] = {
            "id": episode_id,
            "url": f"https://www.tvmaze.com/episodes/{episode_id}/episode",
            "name": airdate.isoformat()
            if show.daily and rng.random() < 0.5
            else f"Episode {day.timetuple().tm_yday + k}",
            "season": season,
            "number": None if special else (day.timetuple().tm_yday // 7 + k + 1),
            "type": rng.choice(["significant_special", "insignificant_special"]) if special else "regular",
            "airdate": airdate.isoformat(),
            "airtime": airtime,
            "airstamp": stamp.astimezone(ZoneInfo("UTC")).isoformat(),
            "runtime": runtime if rng.random() > 0.05 else None,
            "rating": {"average": round(rng.uniform(5.5, 9.5), 1) if rng.random() < 0.03 else None},
            "image": None if rng.random() < 0.5 else _image("episode", episode_id),
            "summary": self._summary(rng, p["name"], null_share=0.6),
            "_links": {
                "self": {"href": f"{API}/episodes/{episode_id}"},
                "show": {"href": f"{API}/shows/{p['id']}", "name": p["name"]},
            },
        }
        if nested:
            episode["_embedded"] = {"show": p}
        else:
            episode["show"] = p
        return episode


def _image(kind: str, ident: int) -> dict[str, str]:
    base = f"https://static.tvmaze.com/uploads/images/{{}}/{kind}/{ident % 1000}/{ident}.jpg"
    return {"medium": base.format("medium_portrait"), "original": base.format("original_untouched")}


PREFIXES = ("tvmaze",)
COUNTRIES = {"US", "GB", "KR", "CA", "DE", "FR", "JP", "NL", "AU"}


def tvmaze_error(status: int, name: str, message: str = "") -> tuple[int, bytes]:
    return status, json.dumps({"name": name, "message": message, "code": 0, "status": status}).encode()


class TVMazeRoutes(TVMazeSample):
    def serve(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        path = path.removeprefix("/tvmaze")
        if path in ("/schedule", "/schedule/web"):
            try:
                day = date.fromisoformat(query.get("date") or date.today().isoformat())
            except ValueError:
                return tvmaze_error(422, "Unprocessable Entity", "Not a valid ISO date")
            country = query.get("country")
            if path == "/schedule":
                if (country or "US") not in COUNTRIES:
                    return tvmaze_error(422, "Unprocessable Entity", "Not a valid ISO country code")
                return 200, dump(self.schedule(day, country or "US"))
            if country not in (None, "") and country not in COUNTRIES:
                return tvmaze_error(422, "Unprocessable Entity", "Not a valid ISO country code")
            return 200, dump(self.web_schedule(day, country))
        if path.startswith("/shows/") and path.removeprefix("/shows/").isdigit():
            show = self.show(int(path.removeprefix("/shows/")))
            return (200, dump(show)) if show else tvmaze_error(404, "Not Found")
        return tvmaze_error(404, "Not Found")


def mount(seed: int) -> TVMazeRoutes:
    return TVMazeRoutes(seed)
