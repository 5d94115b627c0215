"""Seeded generator of TMDB v3 TV payloads for any date, with day-to-day movement worth ranking.

Shapes and traps from TMDB's API reference and its real answers: list envelopes of 20 results whose
`total_pages` can exceed the hard cap of 500 (page 501 answers error 22); `first_air_date` may be
"" or missing; `vote_average` is 0 when there are no votes; `episode_run_time` is often []; networks'
`origin_country` can be ""; external ids mix null and "". Unknown ids answer error 34.

Movement: popularity follows a slow per-show cycle with daily noise, and now and then a show
"premieres" and its popularity jumps for a few days; vote counts only grow. The same seed and day
always give the same bytes. The tracked shows' first air year and external ids come from the titles
the other samples share (`titles.world`).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from tv_assets.defs.titles.sample import Listing, world
from tv_assets.sample_api.common import as_of, dump

GENRES = {
    10759: "Action & Adventure",
    16: "Animation",
    35: "Comedy",
    80: "Crime",
    99: "Documentary",
    18: "Drama",
    10751: "Family",
    10762: "Kids",
    9648: "Mystery",
    10763: "News",
    10764: "Reality",
    10765: "Sci-Fi & Fantasy",
    10766: "Soap",
    10767: "Talk",
    10768: "War & Politics",
    37: "Western",
}
NETWORKS = [
    (49, "HBO", "US"),
    (213, "Netflix", ""),
    (1024, "Prime Video", ""),
    (2739, "Disney+", ""),
    (2552, "Apple TV+", ""),
    (174, "AMC", "US"),
    (6, "NBC", "US"),
    (16, "CBS", "US"),
    (2, "ABC", "US"),
    (19, "FOX", "US"),
    (4, "BBC One", "GB"),
    (332, "BBC Two", "GB"),
    (88, "FX", "US"),
    (453, "Hulu", "US"),
    (318, "Starz", "US"),
    (67, "Showtime", "US"),
    (26, "Channel 4", "GB"),
    (3186, "HBO Max", "US"),
]
STATUSES = ["Returning Series", "Ended", "Canceled", "In Production"]
EPOCH = date(2020, 1, 1)
MAX_ID = 300_000  # ids above do not exist (error 34)
PAGE_SIZE, HARD_CAP = 20, 500


def _rng(*parts: object) -> random.Random:
    return random.Random("/".join(map(str, parts)))


class TMDBSample:
    def __init__(self, seed: int = 42, pages: int = 25, claimed_pages: int | None = None) -> None:
        # `claimed_pages` is what the envelope says (TMDB can claim ~9,000); `pages` are really served.
        self.seed, self.pages, self.claimed_pages = seed, pages, claimed_pages or pages

    @cached_property
    def names(self) -> dict[int, str]:
        """The tracked shows answer with their real names, so the demo's marts read naturally."""
        from tv_assets.platform.tracked import tracked_shows  # late: the seed is read only when a name is needed

        return {show.tmdb_id: show.name for show in tracked_shows()}

    @cached_property
    def catalog(self) -> dict[int, Listing]:
        """The tracked shows' first air year and external ids, shared with the other sources' samples."""
        return {listing.source_id: listing for _, listing in world(self.seed).listed("tmdb_tv")}

    def exists(self, tmdb_id: int) -> bool:
        return 1 <= tmdb_id <= MAX_ID

    def popularity(self, tmdb_id: int, day: date) -> float:
        r = _rng(self.seed, "show", tmdb_id)
        base, period, phase = r.lognormvariate(3.5, 1.0), r.uniform(20, 90), r.uniform(0, 2 * math.pi)
        premiere = r.randrange(30, 365)  # a premiere once a year lifts the show for about a week
        n = (day - EPOCH).days
        since = n % 365 - premiere
        boost = 1 + 4 * math.exp(-since / 3) if 0 <= since < 10 else 1.0
        noise = _rng(self.seed, "pop", tmdb_id, day).gauss(1.0, 0.05)
        return round(base * (1 + 0.3 * math.sin(2 * math.pi * n / period + phase)) * boost * max(noise, 0.5), 3)

    def votes(self, tmdb_id: int, day: date) -> tuple[int, float]:
        r = _rng(self.seed, "votes", tmdb_id)
        if r.random() < 0.03:
            return 0, 0  # no votes yet: vote_average is 0, not null
        start, per_day = r.randrange(5, 20_000), r.uniform(0.2, 12)
        count = start + int(per_day * (day - EPOCH).days) + _rng(self.seed, "vc", tmdb_id, day).randrange(0, 3)
        average = round(min(10.0, max(1.0, r.gauss(7.6, 0.7) + 0.05 * math.sin((day - EPOCH).days / 40))), 3)
        return count, average

    def _base(self, tmdb_id: int, day: date) -> dict[str, Any]:
        r = _rng(self.seed, "show", tmdb_id, "attrs")
        name = self.names.get(tmdb_id, f"Sample Show {tmdb_id}")
        first_air = (
            "" if r.random() < 0.05 else f"{r.randrange(1990, 2025)}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}"
        )
        if tmdb_id in self.catalog and first_air:  # an unknown date stays unknown
            first_air = f"{self.catalog[tmdb_id].year}{first_air[4:]}"
        count, average = self.votes(tmdb_id, day)
        item = {
            "adult": False,
            "backdrop_path": None if r.random() < 0.1 else f"/b{tmdb_id}.jpg",
            "genre_ids": r.sample(sorted(GENRES), r.randrange(0, 4)),
            "id": tmdb_id,
            "origin_country": [] if r.random() < 0.05 else [r.choice(["US", "GB", "KR", "JP", "ES", "DE"])],
            "original_language": r.choice(["en", "en", "en", "ko", "ja", "es", "de"]),
            "original_name": name,
            "overview": "" if r.random() < 0.2 else f"The story of show {tmdb_id}.",
            "popularity": self.popularity(tmdb_id, day),
            "poster_path": f"/p{tmdb_id}.jpg",
            "first_air_date": first_air,
            "name": name,
            "vote_average": average,
            "vote_count": count,
        }
        if not first_air and r.random() < 0.5:
            del item["first_air_date"]  # unknown dates are "" or missing
        return item

    def details(self, tmdb_id: int, day: date, external_ids: bool = False) -> dict[str, Any] | None:
        if not self.exists(tmdb_id):
            return None
        item = self._base(tmdb_id, day)
        r = _rng(self.seed, "show", tmdb_id, "details")
        seasons = r.randrange(1, 12)
        episodes = [r.randrange(6, 24) for _ in range(seasons)]
        growth = (day - EPOCH).days // 365  # a returning series gains a season a year
        networks = r.sample(NETWORKS, r.randrange(1, 3))
        details = {
            **{k: v for k, v in item.items() if k != "genre_ids"},
            "genres": [{"id": g, "name": GENRES[g]} for g in item["genre_ids"]],
            "episode_run_time": [] if r.random() < 0.6 else [r.choice([22, 30, 45, 60])],
            "homepage": "",
            "in_production": r.random() < 0.5,
            "languages": [item["original_language"]],
            "last_air_date": None,
            "next_episode_to_air": None,
            "networks": [{"id": i, "logo_path": None, "name": n, "origin_country": c} for i, n, c in networks],
            "number_of_seasons": seasons + growth,
            "number_of_episodes": sum(episodes) + growth * 10,
            "seasons": [
                {
                    "air_date": None,
                    "episode_count": e,
                    "id": tmdb_id * 100 + s,
                    "name": f"Season {s}",
                    "season_number": s,
                    "vote_average": 0,
                }
                for s, e in enumerate(episodes, 1)
            ],
            "status": r.choice(STATUSES),
            "tagline": "",
            "type": r.choice(["Scripted", "Scripted", "Reality", "Miniseries"]),
        }
        if external_ids:
            details["external_ids"] = {
                "imdb_id": None if r.random() < 0.1 else f"tt{r.randrange(100000, 9999999):07d}",
                "tvdb_id": r.choice([None, r.randrange(70000, 450000)]),
                "wikidata_id": r.choice([None, "", f"Q{r.randrange(1000, 99999)}"]),
                "facebook_id": r.choice([None, ""]),
                "instagram_id": r.choice([None, ""]),
                "twitter_id": "",
            }
        if external_ids and tmdb_id in self.catalog:
            listing = self.catalog[tmdb_id]
            details["external_ids"] |= {"imdb_id": listing.imdb_id or r.choice([None, ""]), "tvdb_id": listing.tvdb_id}
        return details

    def rank_score(self, kind: str, tmdb_id: int, day: date) -> float:
        """What TMDB orders a list by, which is not the popularity its results show: trending follows the
        rise over the week before, popular the popularity of the last ranking (the day before)."""
        if kind == "trending":
            return self.popularity(tmdb_id, day) / self.popularity(tmdb_id, day - timedelta(days=7))
        return self.popularity(tmdb_id, day - timedelta(days=1))

    def page(self, kind: str, page: int, day: date) -> dict[str, Any]:
        """A `/tv/popular` or `/trending/tv/day` page: the day's list in TMDB's order (`rank_score`).
        Some tracked shows make the list on any day (as well-known shows do), the rest is drawn per day."""
        r = _rng(self.seed, kind, day)
        listed = set(r.sample(sorted(self.names), min(len(self.names), self.pages * PAGE_SIZE // 4)))
        listed |= set(r.sample(range(1, MAX_ID + 1), self.pages * PAGE_SIZE - len(listed)))
        pool = sorted(listed, key=lambda i: (-self.rank_score(kind, i, day), i))[: self.pages * PAGE_SIZE]
        chunk = pool[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        results = [self._base(i, day) | ({"media_type": "tv"} if kind == "trending" else {}) for i in chunk]
        return {
            "page": page,
            "results": results,
            "total_pages": self.claimed_pages,
            "total_results": self.claimed_pages * PAGE_SIZE,
        }


def error(status_code: int, message: str) -> dict[str, Any]:
    """TMDB's error envelope (codes: 7 invalid key, 22 invalid page, 34 not found)."""
    return {"success": False, "status_code": status_code, "status_message": message}


PREFIXES = ("tmdb",)


class TMDBRoutes(TMDBSample):
    def serve(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        # TMDB serves only today's values; the sample also serves any past day under /tmdb/3/<day>/...,
        # so a backfill in sample mode sees that day's popularity and votes.
        day, path = as_of(path.removeprefix("/tmdb/3"))
        day = day or date.today()
        bearer = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not (bearer or query.get("api_key")):
            return 401, dump(error(7, "Invalid API key: You must be granted a valid key."))
        if path in ("/tv/popular", "/trending/tv/day"):
            page = query.get("page", "1")
            if not page.isdigit() or not 1 <= int(page) <= HARD_CAP:
                return 400, dump(
                    error(22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.")
                )
            kind = "popular" if path == "/tv/popular" else "trending"
            return 200, dump(self.page(kind, int(page), day))
        if match := re.match(r"^/tv/(\d+)$", path):
            details = self.details(int(match.group(1)), day, "external_ids" in query.get("append_to_response", ""))
            if details:
                return 200, dump(details)
        return 404, dump(error(34, "The resource you requested could not be found."))


def mount(seed: int) -> TMDBRoutes:
    return TMDBRoutes(seed)
