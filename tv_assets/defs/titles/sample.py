"""The sample sources' shared titles: one seeded world of films and series that every generator draws from.

Each source names a title its own way: IMDB's `tconst`, TMDB's TV and film ids,
TVMaze's show id, MovieLens' id and Letterboxd's. Here each catalog title knows which sources list it,
under which id, name and year, and which cross-references those sources carry, so tests can score
`dim_title` against the truth. The traps an id-less match must survive:

- remakes: the same name in years 8 to 40 apart, both in IMDB;
- names written differently by each source: case, punctuation (`Compass: Part II` / `Compass Part II`),
  articles (`The Tender Citadel` / `Tender Citadel, The` / no article), `&` / `and`, accents, spaces;
- twins: two different titles of the same year whose names differ only in punctuation or an article,
  which no name match can tell apart;
- decoys: a Letterboxd film not in IMDB whose name is an IMDB title's, years apart;
- a festival year: a source dates a film a year off IMDB's.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

ADJECTIVES = (
    "Scarlet Hollow Restless Distant Feral Tender Electric Gilded Fractured Infinite Lucky Reckless "
    "Solitary Vanishing Wandering Burning Frozen Hungry Sleeping Crooked Patient Radiant Hollowed"
).split()
NOUNS = (
    "Falcon Juniper Meridian Carnival Lighthouse Voyager Cipher Orchid Saffron Monsoon Tundra Citadel "
    "Cascade Prism Vortex Gambit Sonata Labyrinth Mosaic Pinnacle Zephyr Beacon Compass Quarry Harpoon "
    "Tapestry Marathon Parlor Aviary Regatta Canyon Almanac"
).split()
PEOPLE = ["Margot", "Ezra", "Odile", "Casimir", "Wren", "Thaddeus", "Ines", "Bartholomew"]
ACCENTED = ["Café", "Señor", "Déjà", "Naïve", "Über", "Fiancée"]
# The sources' id spaces for generated titles, clear of each generator's other ids.
TMDB_MOVIE_BASE, MOVIELENS_BASE, LETTERBOXD_BASE, TVDB_BASE = 500_000, 100_000, 2_000_001, 900_000
IMDB_FIRST_INDEX = 20  # after the IMDB sample's hand-written titles
N_MOVIES, N_EXTRA_SERIES, N_REMAKES, N_TWINS, N_DECOYS = 300, 40, 16, 8, 10
TVMAZE_SLOT = 7  # catalog series take TVMaze shows 0, 7, 14, ... of the generated 1,500


@dataclass
class Listing:
    """One source's record of a title: its id, the name and year it gives, the cross-references it carries."""

    source_id: int
    name: str
    year: int | None
    imdb_id: str | None = None
    tvdb_id: int | None = None


@dataclass
class CatalogTitle:
    key: str  # the truth: one real-world title
    kind: str  # movie | series
    name: str
    year: int
    tconst: str | None = None  # set when IMDB's dump lists it
    listings: dict[str, Listing] = field(default_factory=dict)  # source -> listing


def _name(rng: random.Random, k: int) -> str:
    adjective, noun, other = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(NOUNS)
    patterns = [
        f"The {adjective} {noun}",
        f"{noun} of the {other}",
        f"{rng.choice(PEOPLE)}'s {noun}",
        f"{noun}: Part {rng.choice(['II', 'III', 'IV'])}",
        f"{noun} & {other}",
        f"{noun}-{other}",
        f"{rng.choice(ACCENTED)} {noun}",
        f"A {adjective} {noun}",
        f"Mr. {noun}",
        f"{adjective} {noun}",
    ]
    return patterns[k % len(patterns)]


def variant(rng: random.Random, name: str) -> str:
    """How another source may write `name`: most often as is, else one of the usual differences."""
    roll = rng.random()
    if roll < 0.55:
        return name
    if roll < 0.62:
        return name.upper() if rng.random() < 0.5 else name.lower()
    if roll < 0.74:
        return name.replace(":", "").replace("-", " ").replace("'", "").replace(".", "")
    if roll < 0.84 and name.startswith(("The ", "A ")):
        article, rest = name.split(" ", 1)
        return f"{rest}, {article}" if rng.random() < 0.5 else rest
    if roll < 0.9 and "&" in name:
        return name.replace("&", "and")
    if roll < 0.96:
        return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return name.replace(" ", "  ") + " "  # stray spaces


def tvmaze_id(index: int) -> int:
    """The id of the generated TVMaze show at `index` when a catalog series takes it (the top of its id range)."""
    return 41 * (index + 1)


def normal_key(name: str) -> str:
    """Roughly the name match's key (dbt macro `title_match_key`): only for keeping generated names apart."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    text = re.sub(r"^(the|a|an) | (the|a|an)$", "", re.sub(r"[^\w ]", "", text.replace("&", " and ")).strip())
    return text.replace(" ", "")


def link_number(tconst: str) -> str:
    """links.csv's IMDB id: the number without `tt`, its zero padding lost when a reader made it a number."""
    return str(int(tconst[2:]))


class TitleWorld:
    def __init__(self, seed: int = 42) -> None:
        self.seed = seed
        self.titles: list[CatalogTitle] = []
        self._build()

    def _build(self) -> None:
        from tv_assets.platform.tracked import tracked_shows  # the tracked shows are the series TMDB details cover

        rng = random.Random(f"titles:{self.seed}")
        seen: set[str] = set()

        def fresh(k: int) -> str:
            while normal_key(name := _name(rng, k)) in seen:
                k += 1
            seen.add(normal_key(name))
            return name

        movies = [CatalogTitle(f"m{k}", "movie", fresh(k), rng.randint(1950, 2024)) for k in range(N_MOVIES)]
        for k in range(N_REMAKES):  # a remake: the same name, years later
            first = movies[k * 7]
            gap = rng.randint(8, 40)
            year = first.year + gap if first.year + gap <= 2025 else first.year - gap
            movies.append(CatalogTitle(f"m{len(movies)}", "movie", first.name, year))
        for k in range(N_TWINS):  # another title whose name differs by punctuation or an article, same year
            first = movies[k * 11 + 3]
            article, _, rest = first.name.partition(" ")
            twin = (
                rest
                if article == "The"
                else ("The " + rest if article == "A" else "The " + first.name.replace("-", " "))
            )
            movies.append(CatalogTitle(f"m{len(movies)}", "movie", twin, first.year))
        series = [
            CatalogTitle(f"s{show.tmdb_id}", "series", show.name, rng.randint(1989, 2023)) for show in tracked_shows()
        ]
        series += [
            CatalogTitle(f"s-x{k}", "series", fresh(k + 3), rng.randint(1990, 2024)) for k in range(N_EXTRA_SERIES)
        ]
        for k in range(3):  # series remakes (reboots) under the same name
            first = series[len(series) - 1 - k]
            series.append(CatalogTitle(f"s-r{k}", "series", first.name, first.year - rng.randint(10, 25)))
        self.titles = movies + series
        for index, title in enumerate(t for t in self.titles if t.kind == "series" or rng.random() < 0.92):
            title.tconst = f"tt{IMDB_FIRST_INDEX + index + 1:07d}"
        self._list_movies(rng, movies)
        self._list_series(rng, series, {show.tmdb_id for show in tracked_shows()})

    def _list_movies(self, rng: random.Random, movies: list[CatalogTitle]) -> None:
        for k, title in enumerate(movies):
            if rng.random() < 0.6:  # in The Movies Dataset: a TMDB film with its MovieLens link
                imdb = title.tconst or f"tt{8_000_000 + k:07d}"  # a film missing from IMDB's dump still has a tconst
                title.listings["tmdb_movie"] = Listing(
                    TMDB_MOVIE_BASE + k, variant(rng, title.name), title.year, imdb if rng.random() < 0.9 else None
                )
                # MovieLens names nothing here: its record takes the linked TMDB film's name
                title.listings["movielens"] = Listing(
                    MOVIELENS_BASE + k, title.listings["tmdb_movie"].name, title.year, imdb
                )
            if rng.random() < 0.7:
                year = title.year + rng.choice([-1, 1]) if rng.random() < 0.05 else title.year
                title.listings["letterboxd"] = Listing(LETTERBOXD_BASE + k, variant(rng, title.name), year)
        for k in range(N_DECOYS):  # not in IMDB: a Letterboxd film sharing an IMDB title's name, years apart
            other = movies[k * 13 + 5]
            decoy = CatalogTitle(f"d{k}", "movie", other.name, other.year + rng.choice([-1, 1]) * rng.randint(3, 30))
            decoy.listings["letterboxd"] = Listing(LETTERBOXD_BASE + 10_000 + k, other.name, decoy.year)
            self.titles.append(decoy)

    def _list_series(self, rng: random.Random, series: list[CatalogTitle], tracked: set[int]) -> None:
        for k, title in enumerate(series):
            tvdb = TVDB_BASE + k if rng.random() < 0.7 else None
            tmdb_id = int(title.key[1:]) if title.key[1:].isdigit() and int(title.key[1:]) in tracked else None
            if tmdb_id is not None:
                year = title.year if rng.random() < 0.9 else title.year + 1
                title.listings["tmdb_tv"] = Listing(
                    tmdb_id, title.name, year, title.tconst if rng.random() < 0.85 else None, tvdb
                )
            title.listings["tvmaze"] = Listing(
                tvmaze_id(k * TVMAZE_SLOT),
                variant(rng, title.name),
                title.year,
                title.tconst if rng.random() < 0.6 else None,
                tvdb if rng.random() < 0.8 else None,
            )

    # --- what each generator asks ---------------------------------------------------------------

    def imdb_titles(self) -> dict[int, CatalogTitle]:
        """The catalog titles IMDB's dump lists, by their row index in title.basics."""
        return {int(t.tconst[2:]) - 1: t for t in self.titles if t.tconst}

    def listed(self, source: str) -> list[tuple[CatalogTitle, Listing]]:
        return [(t, t.listings[source]) for t in self.titles if source in t.listings]

    def truth(self) -> dict[tuple[str, str], str]:
        """(source, id as text) -> catalog key, IMDB's tconsts included: what a perfect `dim_title` links."""
        out = {("imdb", t.tconst): t.key for t in self.titles if t.tconst}
        out |= {(source, str(listing.source_id)): t.key for t in self.titles for source, listing in t.listings.items()}
        # a film missing from IMDB's dump is still named by its tconst in The Movies Dataset
        out |= {
            ("imdb", listing.imdb_id): t.key for t in self.titles for listing in t.listings.values() if listing.imdb_id
        }
        return out


@cache
def world(seed: int = 42) -> TitleWorld:
    return TitleWorld(seed)
