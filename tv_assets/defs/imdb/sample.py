"""IMDB's daily dumps, generated: the four `.tsv.gz` files with the real format and its traps.

Seeded and chunked, so the same code writes the demo's few thousand titles and a benchmark's full
scale (about 12M titles, 15M names) in bounded memory. Traps (from the dumps as IMDB documents and ships them): no
quoting (`"Weird" Nights`, a title starting with an unbalanced `"`), `\\N` as the only null, titles
literally named `NA`, `None` and `null`, a backslash in a title, ids of 7 and 8 digits, crew lists
hundreds long, crew members missing from name.basics, an empty `primaryProfession`. The titles other
sources list too (`titles.world`) take the rows after the hand-written ones.
"""

import functools
import gzip
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from tv_assets.defs.titles.sample import world
from tv_assets.sample_api.common import as_of

FILES = ("title.basics", "title.ratings", "title.crew", "name.basics")
HEADERS = {
    "title.basics": "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
    "title.ratings": "tconst\taverageRating\tnumVotes",
    "title.crew": "tconst\tdirectors\twriters",
    "name.basics": "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
}
NULL = "\\N"
TYPES = [
    "tvEpisode",
    "short",
    "movie",
    "video",
    "tvSeries",
    "tvMovie",
    "tvMiniSeries",
    "tvSpecial",
    "videoGame",
    "tvShort",
    "tvPilot",
]
TYPE_WEIGHTS = [0.788, 0.082, 0.057, 0.025, 0.023, 0.012, 0.005, 0.004, 0.003, 0.0009, 0.0001]
GENRES = [
    "Action",
    "Adult",
    "Adventure",
    "Animation",
    "Biography",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "Film-Noir",
    "Game-Show",
    "History",
    "Horror",
    "Music",
    "Musical",
    "Mystery",
    "News",
    "Reality-TV",
    "Romance",
    "Sci-Fi",
    "Short",
    "Sport",
    "Talk-Show",
    "Thriller",
    "War",
    "Western",
]
PROFESSIONS = [
    "actor",
    "actress",
    "director",
    "writer",
    "producer",
    "composer",
    "cinematographer",
    "editor",
    "miscellaneous",
    "soundtrack",
]
WORDS = (
    "Night Day Shadow River Crown Glass Winter Summer Empire Signal Harbor Echo Garden Silent Broken Golden "
    "Last First Hidden Iron Paper Stone Storm Fire Ocean City Road Home Secret Blue Red Black White Wild "
    "Lost Northern Southern Quiet Bright Dark Long Short Little Great Old New Final Second Falling Rising "
    "Heart Mirror Letter Island Valley Tower Bridge Station Harvest Ghost Machine Dream Promise Storyteller "
    "Kingdom Frontier Horizon Dust Ember Lantern Orchard Meadow Thunder Velvet Copper Silver Amber"
).split()
FIRST = (
    "Ana Ben Carla Dev Elena Farid Grace Hiro Ines Jonas Kemi Luca Maya Nils Olga Pedro Quinn Rosa Sami "
    "Tara Uma Victor Wen Ximena Yusuf Zoe Aiko Bruno Chloe Dario Emeka Freya Goran Hana Ivan Jade Kofi"
).split()
LAST = (
    "Adams Berg Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Lindqvist Moreau Novak Okafor "
    "Petrov Quispe Rossi Silva Tanaka Ueda Varga Weber Xu Yamamoto Zielinski Almeida Brandt Chen Dahl"
).split()

# Hand-written titles first in every file: the traps and the analysts' example questions.
# (titleType, primaryTitle, originalTitle, isAdult, startYear, endYear, runtimeMinutes, genres)
FIXED_TITLES = [
    ("movie", '"Weird" Nights', '"Weird" Nights', 0, 2004, None, 95, "Comedy,Drama"),
    ("movie", '12" Vinyl', '12" Vinyl', 0, 2004, None, 88, "Music"),
    ("movie", '"Unbalanced Start', '"Unbalanced Start', 0, 2011, None, None, None),
    ("movie", "NA", "NA", 0, 2004, None, 101, "Thriller"),
    ("tvSeries", "None", "None", 0, 2019, 2021, 30, "Comedy"),
    ("tvMovie", "null", "null", 0, 2020, None, 75, "Horror,Thriller"),
    ("movie", "Back\\Slash", "Back\\Slash", 0, 2015, None, 90, "Documentary"),
    ("tvSeries", "Ozark", "Ozark", 0, 2017, 2022, 60, "Crime,Drama,Thriller"),
    ("movie", "Mission: Impossible", "Mission: Impossible", 0, 1996, None, 110, "Action,Adventure,Thriller"),
    ("movie", "Mission: Impossible II", "Mission: Impossible II", 0, 2000, None, 123, "Action,Adventure,Thriller"),
    ("tvSeries", "Mission: Impossible", "Mission: Impossible", 0, 1966, 1973, 50, "Action,Adventure,Crime"),
    (
        "movie",
        "Mission: Impossible - Fallout",
        "Mission: Impossible - Fallout",
        0,
        2018,
        None,
        147,
        "Action,Adventure,Thriller",
    ),
    ("movie", "Amélie", "Le fabuleux destin d'Amélie Poulain", 0, 2001, None, 122, "Comedy,Romance"),
    ("movie", "Spirited Away", "千と千尋の神隠し", 0, 2001, None, 125, "Adventure,Animation,Family"),
    ("movie", "Adults Only", "Adults Only", 1, 2004, None, 80, "Adult"),
    ("tvEpisode", "Pilot", "Pilot", 0, 2017, None, 60, "Crime,Drama"),
    ("short", "A Short Film", "A Short Film", 0, 2004, None, 9, "Short"),
    ("tvMiniSeries", "Undated", "Undated", 0, None, None, None, None),
    ("tvSpecial", "Year End Special", "Year End Special", 0, 2023, None, 120, "Comedy,Music,Talk-Show"),
    ("tvSeries", "Still Running", "Still Running", 0, 2015, None, 45, "Drama"),
]
NEWEST_ID = 31_000_000
NEWEST = {
    "title.basics": "{id}\tmovie\tPremiere of {day}\tPremiere of {day}\t0\t2026\t\\N\t98\tDrama",
    "title.ratings": "{id}\t7.5\t12",
    "title.crew": "{id}\tnm0000001\t\\N",
}
_CATALOG_TYPES = {"movie": "movie", "series": "tvSeries"}
# Ozark's crew: more directors than the mart shows (5), one of them missing from name.basics.
LONG_LIST, MISSING_NAME = 40, "nm99999999"
# A movie whose isAdult holds a year (what a quote-shifted row leaves there): neither 0 nor 1, so left out.
MALFORMED_ADULT = 1000
# A movie directed by two people whose names carry a comma: the mart's list keeps each name whole.
COMMA_NAMES, COMMA_CREDITED = {1: "Smith, John", 2: "Doe, Jane"}, 1001


@dataclass(frozen=True)
class Churn:
    """How one day's dumps differ from the day before's: the assumptions the history's growth rests on.

    Shares are per day. Each generated title changes on its own days, once every `1 / share` days
    (a phase per title and kind of change), so a day's changes are that share of the titles, and each
    change is undone a period later (a respelling corrected, a type put back). The hand-written titles
    and the titles other sources list too (`titles.world`) never change: the tests know them by name.
    """

    new_titles: int = 0  # titles first listed each day after `Scale.first_day`, with the next ids
    votes: float = 0.10  # of rated titles: their votes grow that day
    rating: float = 0.01  # of rated titles: their average moves by a tenth
    renamed: float = 0.00002  # of titles: primaryTitle respelled
    retyped: float = 0.0002  # of movies: typed as video (no longer a kept type)

    def period(self, share: float) -> int:
        return max(1, round(1 / share)) if share > 0 else 0


@dataclass(frozen=True)
class Scale:
    titles: int
    names: int
    rated_share: float = 0.133  # of titles, as in the real files (1.6M of 12.3M)
    churn: Churn = Churn()
    first_day: str = "2026-11-20"  # the day the dump holds exactly `titles` (new titles are added after it)

    @classmethod
    def demo(cls) -> "Scale":
        # More renames and retypes than real, so two or three demo days show every kind of change.
        return cls(titles=3_000, names=3_750, churn=Churn(renamed=0.01, retyped=0.02))

    @classmethod
    def full(cls) -> "Scale":
        # IMDB's title.basics grows by about 1.5M titles a year, most of them episodes.
        return cls(titles=12_300_000, names=15_100_000, churn=Churn(new_titles=3_000))

    def titles_on(self, day: str) -> int:
        """Titles in the dump of `day`: `titles` on `first_day`, then `churn.new_titles` more each day."""
        days = (date.fromisoformat(day) - date.fromisoformat(self.first_day)).days
        return self.titles + self.churn.new_titles * max(0, days)


def _changes(i: int, day: int, period: int, salt: int) -> int:
    """How many times title `i` has changed by `day`, changing once every `period` days (0: never)."""
    return (day + i * salt % period) // period if period else 0


def tconst(i: int) -> str:
    """Ids are not fixed width: `tt0000001` .. `tt9999999`, then 8 digits."""
    return f"tt{i:07d}"


def nconst(j: int) -> str:
    return f"nm{j:07d}"


def _day_index(day: str) -> int:
    return (date.fromisoformat(day) - date(2020, 1, 1)).days


def _null(value: object) -> str:
    return NULL if value is None else str(value)


class ImdbSample:
    """The four files for one day; `chunk` rows per step keep memory flat at any scale."""

    def __init__(self, scale: Scale, seed: int = 42, chunk: int = 500_000) -> None:
        self.scale, self.seed, self.chunk = scale, seed, chunk

    def _rng(self, file: str, start: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, FILES.index(file), start])

    def _drawn(self, count: int) -> int:
        """How many rows a chunk draws: a whole chunk when the dump grows day by day, so a row reads the same
        whether or not its chunk is the last one that day (a chunk's draws follow one another)."""
        return self.chunk if self.scale.churn.new_titles else count

    def lines(self, file: str, day: str) -> Iterator[str]:
        """The file's text for `day`, in chunks of whole lines (the header first)."""
        yield HEADERS[file] + "\n"
        total = self.scale.names if file == "name.basics" else self.scale.titles_on(day)
        for start in range(0, total, self.chunk):
            count = min(self.chunk, total - start)
            yield getattr(self, "_" + file.replace(".", "_"))(start, count, _day_index(day))
        if file in NEWEST:  # each day's dump has one title more than the day before, with an 8-digit id
            yield NEWEST[file].format(id=tconst(NEWEST_ID + _day_index(day)), day=day) + "\n"

    def write(self, file: str, day: str, path: Path, level: int = 1) -> Path:
        """Write one gzipped file (level 1: the benchmark's files are written once, read many times)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=level, newline="\n") as handle:
            for text in self.lines(file, day):
                handle.write(text)
        return path

    def gzipped(self, file: str, day: str) -> bytes:
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as handle:
            for text in self.lines(file, day):
                handle.write(text.encode())
        return buffer.getvalue()

    # --- one chunk of each file -------------------------------------------------------------------

    def _title_basics(self, start: int, count: int, day: int) -> str:
        rng = self._rng("title.basics", start)
        drawn = self._drawn(count)
        catalog = world(self.seed).imdb_titles()
        types = rng.choice(len(TYPES), size=drawn, p=TYPE_WEIGHTS).tolist()
        words = rng.integers(0, len(WORDS), size=(drawn, 3)).tolist()
        lengths = rng.integers(1, 4, size=drawn).tolist()
        adult = (rng.random(drawn) < 0.02).tolist()
        years = rng.integers(1894, 2028, size=drawn).tolist()
        no_year = (rng.random(drawn) < 0.118).tolist()
        span = rng.integers(0, 12, size=drawn).tolist()
        ended = (rng.random(drawn) < 0.6).tolist()
        runtime = rng.integers(5, 200, size=drawn).tolist()
        no_runtime = (rng.random(drawn) < 0.64).tolist()
        genre_count = rng.choice(4, size=drawn, p=[0.043, 0.5, 0.25, 0.207]).tolist()
        genre_pick = rng.integers(0, len(GENRES), size=(drawn, 3)).tolist()
        renamed, retyped = (
            self.scale.churn.period(self.scale.churn.renamed),
            self.scale.churn.period(self.scale.churn.retyped),
        )
        out = []
        for k in range(count):
            i = start + k
            if i < len(FIXED_TITLES):
                kind, primary, original, is_adult, year, end, minutes, genres = FIXED_TITLES[i]
            elif i in catalog:  # the titles other sources list too (tv_assets.defs.titles.sample)
                title = catalog[i]
                kind, primary, original, is_adult, year = (
                    _CATALOG_TYPES[title.kind],
                    title.name,
                    title.name,
                    0,
                    title.year,
                )
                end, minutes, genres = None, runtime[k], GENRES[genre_pick[k][0]].replace("Adult", "Drama")
            else:
                kind = TYPES[types[k]]
                primary = " ".join(WORDS[w] for w in words[k][: lengths[k]])
                original, is_adult = primary, int(adult[k])
                if i == MALFORMED_ADULT:
                    kind, is_adult = "movie", "2004"  # type: ignore[assignment]  # the trap: a year where a flag belongs
                elif i == COMMA_CREDITED:
                    kind, is_adult = "movie", 0
                else:  # the day's churn: respelled, or a movie typed as a video, until a period later
                    primary += " (Redux)" if _changes(i, day, renamed, 7919) % 2 else ""
                    kind = "video" if kind == "movie" and _changes(i, day, retyped, 104729) % 2 else kind
                year = None if no_year[k] else years[k]
                series = kind in ("tvSeries", "tvMiniSeries")
                end = year + span[k] if series and year is not None and ended[k] and year + span[k] < 2027 else None
                minutes = None if no_runtime[k] else runtime[k]
                picked = sorted({GENRES[g] for g in genre_pick[k][: genre_count[k]]})
                genres = ",".join(picked) if picked else None
            out.append(
                f"{tconst(i + 1)}\t{kind}\t{primary}\t{original}\t{is_adult}\t{_null(year)}\t{_null(end)}"
                f"\t{_null(minutes)}\t{_null(genres)}\n"
            )
        return "".join(out)

    def _title_ratings(self, start: int, count: int, day: int) -> str:
        rng = self._rng("title.ratings", start)
        drawn = self._drawn(count)
        rated = (rng.random(drawn) < self.scale.rated_share).tolist()
        tenths = np.clip(np.rint(rng.normal(65, 13, size=drawn)), 10, 100).astype(int).tolist()
        votes = (np.exp(rng.normal(4, 1.8, size=drawn)) + 5).astype(np.int64).tolist()
        more_votes, new_average = (
            self.scale.churn.period(self.scale.churn.votes),
            self.scale.churn.period(self.scale.churn.rating),
        )
        out = []
        for k in range(count):
            i = start + k
            if not (rated[k] or i < len(FIXED_TITLES)):
                continue
            # Votes grow on a title's days (`Churn.votes`), and now and then the average moves by a tenth.
            grown = votes[k] + _changes(i, day, more_votes, 31) * (votes[k] // 50 + 1)
            score = min(100, tenths[k] + _changes(i, day, new_average, 37) % 2)
            if i == 3:  # the title called NA: the best score there is
                score = 100
            out.append(f"{tconst(i + 1)}\t{score // 10}.{score % 10}\t{grown}\n")
        return "".join(out)

    def _title_crew(self, start: int, count: int, day: int) -> str:
        rng = self._rng("title.crew", start)
        drawn = self._drawn(count)
        names = self.scale.names
        n_directors = rng.choice(4, size=drawn, p=[0.25, 0.6, 0.1, 0.05]).tolist()
        n_writers = rng.choice(5, size=drawn, p=[0.4, 0.35, 0.15, 0.07, 0.03]).tolist()
        people = rng.integers(1, names + 1, size=(drawn, 7)).tolist()
        out = []
        for k in range(count):
            i = start + k
            directors = [nconst(p) for p in people[k][: n_directors[k]]]
            writers = [nconst(p) for p in people[k][3 : 3 + n_writers[k]]]
            if i == COMMA_CREDITED:
                directors = [nconst(j) for j in COMMA_NAMES]
            if i == 7:  # Ozark: a long list, one name unknown to name.basics
                directors = [nconst(1 + (i * 31 + n) % names) for n in range(LONG_LIST)] + [MISSING_NAME]
                writers = [nconst(1 + (i * 17 + n) % names) for n in range(7)]
            out.append(f"{tconst(i + 1)}\t{','.join(directors) or NULL}\t{','.join(writers) or NULL}\n")
        return "".join(out)

    def _name_basics(self, start: int, count: int, day: int) -> str:
        rng = self._rng("name.basics", start)
        first = rng.integers(0, len(FIRST), size=count).tolist()
        last = rng.integers(0, len(LAST), size=count).tolist()
        born = rng.integers(1900, 2010, size=count).tolist()
        has_birth = (rng.random(count) < 0.044).tolist()
        died = (rng.random(count) < 0.2).tolist()
        n_prof = rng.choice(4, size=count, p=[0.05, 0.6, 0.25, 0.1]).tolist()
        prof = rng.integers(0, len(PROFESSIONS), size=(count, 3)).tolist()
        known = rng.integers(1, self.scale.titles + 1, size=(count, 4)).tolist()
        n_known = rng.integers(0, 5, size=count).tolist()
        out = []
        for k in range(count):
            j = start + k + 1
            birth = born[k] if has_birth[k] else None
            death = birth + 60 if birth is not None and died[k] and birth + 60 < 2026 else None
            profession = ",".join(dict.fromkeys(PROFESSIONS[p] for p in prof[k][: n_prof[k]]))
            profession = profession if n_prof[k] else (NULL if j % 7 else "")  # "" as in the real files
            titles = ",".join(tconst(t) for t in known[k][: n_known[k]]) or NULL
            # A few names carry a comma, as some credits do: the marts' name lists must not split them.
            name = COMMA_NAMES.get(j) or f"{FIRST[first[k]]} {LAST[last[k]]}" + (" Jr., III" if j % 5003 == 0 else "")
            out.append(f"{nconst(j)}\t{name}\t{_null(birth)}\t{_null(death)}\t{profession}\t{titles}\n")
        return "".join(out)


PREFIXES = ("imdb",)


class ImdbRoutes(ImdbSample):
    def serve(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        # datasets.imdbws.com serves today's files; /imdb/<day>/<file>.tsv.gz serves that day's.
        day, path = as_of(path.removeprefix("/imdb"))
        name = path.removeprefix("/").removesuffix(".tsv.gz")
        if name not in FILES or not path.endswith(".tsv.gz"):
            return 404, b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
        return 200, self._file(name, (day or date.today()).isoformat())

    @functools.lru_cache(maxsize=16)  # noqa: B019 (one app per server, for the server's lifetime)
    def _file(self, name: str, day: str) -> bytes:
        return self.gzipped(name, day)


def mount(seed: int) -> ImdbRoutes:
    return ImdbRoutes(Scale.demo(), seed)
