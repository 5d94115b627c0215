"""Kaggle archives, generated: the Letterboxd dataset and The Movies Dataset as the zips Kaggle serves.

Seeded, with the real files' shapes and traps (as the Kaggle datasets ship them). Letterboxd:
years and minutes written as `2023.0`, ratings mostly empty, themes with commas and apostrophes,
descriptions with quotes and line breaks, names in many scripts, a posters folder to ignore.
The Movies Dataset: Python-literal nested columns (`"Kids' Pictures"`, `None`), three records split
by an unquoted line break (the tail shifted 9 columns left, a date in `id`), duplicate ids (identical
and conflicting), zero budgets and revenues, `links.csv` ids zero-padded without `tt` and blank tmdb
ids, a tmdb id shared by two MovieLens ids, and a film rated 5.0 by three users.
"""

import csv
import io
import random
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from tv_assets.defs.titles.sample import link_number, world
from tv_assets.platform.settings import DBT_PROJECT_DIR
from tv_assets.sample_api.common import dump

THEME_SEED = DBT_PROJECT_DIR / "seeds" / "letterboxd" / "letterboxd_theme_groups.csv"
GENRES = {
    28: "Action",
    12: "Adventure",
    16: "Animation",
    35: "Comedy",
    80: "Crime",
    99: "Documentary",
    18: "Drama",
    10751: "Family",
    14: "Fantasy",
    36: "History",
    27: "Horror",
    10402: "Music",
    9648: "Mystery",
    10749: "Romance",
    878: "Science Fiction",
    10770: "TV Movie",
    53: "Thriller",
    10752: "War",
    37: "Western",
}
WORDS = (
    "Night Day Shadow River Crown Glass Winter Summer Empire Signal Harbor Echo Garden Silent Golden Last "
    "Hidden Iron Paper Stone Storm Fire Ocean City Road Home Secret Blue Wild Lost Quiet Heart Mirror"
).split()
NAMES = [
    "Ana Costa",
    "Ben Okafor",
    "Hiro Tanaka",
    "Inès Dubois",
    "Олег Петров",
    "王芳",
    "김민준",
    "Zoë O'Neil",
    "Farid Haddad",
    "Maya Lindqvist",
    'Sami "Red" Varga',
    "Rosa Almeida",
]
COUNTRIES = ["USA", "UK", "France", "Japan", "South Korea", "India", "Germany", "Brazil", "Nigeria", "Sweden"]
LANGUAGES = ["English", "French", "Japanese", "Korean", "Hindi", "German", "Portuguese", "Swedish"]
STUDIOS = ["Northern Lights Pictures", "Kids' Pictures", "Studio Ōkami", "Blue Harbor Films", "A24-ish, Ltd."]
RELEASE_TYPES = ["Premiere", "Theatrical limited", "Theatrical", "Digital", "Physical", "TV"]
# movies_metadata.csv's header line, as the real file has it (the loader checks it independently).
METADATA_COLUMNS = (
    "adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,original_title,overview,"
    "popularity,poster_path,production_companies,production_countries,release_date,revenue,runtime,"
    "spoken_languages,status,tagline,title,video,vote_average,vote_count"
).split(",")
# The real file's three records split by an unquoted line break: (stub id, the date that lands in `id`).
SPLIT_RECORDS = [(82663, "1997-08-20"), (122662, "2012-09-29"), (249260, "2014-01-01")]
TOP_BY_FEW_VOTES = 777001  # tmdb id of a film rated 5.0 by three users: must not top `movies_top_rated`
SHARED_TMDB_ID = 862  # two MovieLens ids link to it (the real links.csv repeats 30 tmdb ids)


def imdb_number(n: int) -> int:
    """The IMDB number of the n-th generated film: `tt0114709` in metadata, `0114709` in links.csv."""
    return 114_709 + 97 * n


CREW_ROLES = ["Director", "Writer", "Producer", "Editor", "Cinematography", "Composer", "Casting", "Sound"]


@dataclass(frozen=True)
class KaggleScale:
    """How big the archives are. The defaults are the demo's; `REAL_VOLUME` is the real datasets' size."""

    letterboxd_movies: int = 240
    actors_per_film: int = 3
    crew_per_film: int = 2
    movies: int = 300
    users: int = 150
    ratings_per_user: int = 40


# The real archives: Letterboxd's 847k films with actors.csv and crew.csv at their real proportions
# (195 and 162 MB for a 254 MB movies.csv: about 7 actors and 6 crew rows a film); The Movies Dataset's
# 45,466 films and the full MovieLens ratings (26M from 270,896 users).
REAL_VOLUME = KaggleScale(
    letterboxd_movies=847_000, actors_per_film=7, crew_per_film=6, movies=45_466, users=270_896, ratings_per_user=96
)


def themes() -> list[str]:
    with open(THEME_SEED, newline="", encoding="utf-8") as handle:
        return [row["theme"] for row in csv.DictReader(handle)]


class _Files:
    """An archive's files written side by side, row by row: in memory at the demo's size, or in a folder
    at real volume, where the rows never all sit in memory."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.entries: dict[str, IO[str] | bytes] = {}

    def text(self, name: str) -> IO[str]:
        if self.folder is None:
            handle: IO[str] = io.StringIO()
        else:
            (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / name, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by members)
        self.entries[name] = handle
        return handle

    def blob(self, name: str, data: bytes) -> None:
        self.entries[name] = data

    def table(self, name: str, header: list[str]) -> Callable[[Sequence[object]], None]:
        """A function that appends one row to the CSV `name`, its header written first."""
        writer = csv.writer(self.text(name), lineterminator="\n")
        writer.writerow(header)
        return lambda row: writer.writerow(["" if v is None else v for v in row])

    def members(self) -> dict[str, bytes | Path]:
        """Every file: its bytes, or its path in the folder, in the order they were opened."""
        out: dict[str, bytes | Path] = {}
        for name, handle in self.entries.items():
            if isinstance(handle, bytes):
                out[name] = handle
            elif isinstance(handle, io.StringIO):
                out[name] = handle.getvalue().encode()
            else:
                handle.close()
                out[name] = self.folder / name  # type: ignore[operator]
        return out


def _write_zip(target: IO[bytes] | Path, members: Mapping[str, bytes | Path], day: str) -> None:
    stamp = datetime.fromisoformat(day).replace(tzinfo=UTC).timetuple()[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, stamp)
            if isinstance(data, bytes):
                archive.writestr(info, data, zipfile.ZIP_DEFLATED)
                continue
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(data, "rb") as source, archive.open(info, "w", force_zip64=True) as member:
                shutil.copyfileobj(source, member, 1 << 20)


def _in_memory(
    write: Callable[[_Files, KaggleScale, int, str | None], None], scale: KaggleScale, seed: int, day: str | None
) -> dict[str, bytes]:
    """An archive's files as bytes, written by `write` (the demo's size: every file fits in memory)."""
    files = _Files()
    write(files, scale, seed, day)
    return {name: data for name, data in files.members().items() if isinstance(data, bytes)}


def _zip(files: Mapping[str, bytes | Path], day: str) -> bytes:
    buffer = io.BytesIO()
    _write_zip(buffer, files, day)
    return buffer.getvalue()


def write_archive(source: str, path: Path, day: str, scale: KaggleScale = REAL_VOLUME, seed: int = 42) -> Path:
    """`source`'s archive at `scale` written to `path`, its CSVs first written one row at a time in a
    folder beside it: memory stays bounded at real volume (the benchmark's drops)."""
    writers: dict[str, Callable[[_Files, KaggleScale, int, str | None], None]] = {
        "letterboxd": _letterboxd,
        "movies": _movies,
    }
    write = writers[source]
    with tempfile.TemporaryDirectory(prefix=f"{source}_", dir=path.parent) as folder:
        files = _Files(Path(folder))
        write(files, scale, seed, day)
        _write_zip(path, files.members(), day)
    return path


def _title(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(1, 3)))


def letterboxd_files(scale: KaggleScale = KaggleScale(), seed: int = 42) -> dict[str, bytes]:
    """The ten CSVs (plus a posters folder) of Kaggle's `gsimonx37/letterboxd`."""
    return _in_memory(_letterboxd, scale, seed, None)


LETTERBOXD_TABLES = {
    "actors": ["id", "name", "role"],
    "crew": ["id", "role", "name"],
    "languages": ["id", "type", "language"],
    "studios": ["id", "studio"],
    "countries": ["id", "country"],
    "genres": ["id", "genre"],
    "themes": ["id", "theme"],
    "releases": ["id", "country", "date", "type", "rating"],
    "posters": ["id", "link"],
}


def _letterboxd(files: _Files, scale: KaggleScale, seed: int, day: str | None = None) -> None:
    """Letterboxd's files into `files` (the dataset does not change with the day it is downloaded)."""
    rng = random.Random(seed)
    theme_list, genres = themes(), list(GENRES.values())
    movie = files.table("movies.csv", ["id", "name", "date", "tagline", "description", "minute", "rating"])
    add = {name: files.table(f"{name}.csv", header) for name, header in LETTERBOXD_TABLES.items()}
    duplicate: list[object] = []
    for n in range(scale.letterboxd_movies):
        movie_id = 1_000_001 + n
        year = rng.randint(1925, 2024) if n % 25 else None  # a few films without a year
        year_text = None if year is None else (f"{year}.0" if n % 2 else str(year))  # floats from pandas
        minute = rng.randint(70, 190)
        minute_text = None if n % 40 == 7 else (f"{minute}.0" if n % 3 else str(minute))
        rating = f"{rng.uniform(1.5, 4.6):.2f}" if n % 4 == 0 else None  # most films have too few ratings
        tagline = f"Every {_title(rng).lower()} has a price." if year and year >= 1990 else None
        description = (
            f'"{_title(rng)}", she said, and left.\nA story of {_title(rng).lower()}, loss, and {_title(rng).lower()}.'
        )
        name = {0: "千と千尋の神隠し", 1: "Амели", 2: "Le Fabuleux Destin d'Amélie Poulain"}.get(n, _title(rng))
        row = [movie_id, name, year_text, tagline, description, minute_text, rating]
        movie(row)
        if n == 5:
            duplicate = row
        for theme in rng.sample(theme_list, rng.randint(0, 4)):
            add["themes"]([movie_id, theme])
        for genre in rng.sample(genres, rng.randint(1, 3)):
            add["genres"]([movie_id, genre])
        for person in rng.sample(NAMES, scale.actors_per_film):
            add["actors"]([movie_id, person, rng.choice(["", "Herself", 'Jack "Ace" Doyle', "Guard, Night"])])
        for role in CREW_ROLES[: scale.crew_per_film]:
            add["crew"]([movie_id, role, rng.choice(NAMES)])
        language = rng.choice(LANGUAGES)
        add["languages"]([movie_id, "Language", language])
        add["languages"]([movie_id, "Spoken language", rng.choice(LANGUAGES)])
        add["studios"]([movie_id, rng.choice(STUDIOS)])
        add["countries"]([movie_id, rng.choice(COUNTRIES)])
        if year:
            add["releases"](
                [
                    movie_id,
                    rng.choice(COUNTRIES),
                    f"{year}-{rng.randint(1, 12):02d}-15",
                    rng.choice(RELEASE_TYPES),
                    rng.choice(["", "PG-13", "R", "12"]),
                ]
            )
        add["posters"]([movie_id, f"https://a.ltrbxd.com/resized/film-poster/{movie_id}.jpg" if n % 9 else ""])
    for _, listing in world(seed).listed("letterboxd"):  # the films other sources list too
        listed_year = (
            None if listing.year is None else (f"{listing.year}.0" if listing.source_id % 2 else str(listing.year))
        )
        movie([listing.source_id, listing.name, listed_year, None, "Also listed elsewhere.", "101", None])
        add["genres"]([listing.source_id, rng.choice(genres)])
    movie(duplicate)  # an exact duplicate row: staging keeps one
    files.blob("posters/1000001.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")  # an image: the loader ignores it


def letterboxd_zip(day: str, scale: KaggleScale = KaggleScale(), seed: int = 42) -> bytes:
    return _zip(letterboxd_files(scale, seed), day)


def _literal_list(genre_ids: list[int]) -> str:
    return repr([{"id": g, "name": GENRES[g]} for g in genre_ids])


def _metadata_row(rng: random.Random, tmdb_id: int, n: int) -> list[Any]:
    year = None if n % 30 == 11 else rng.randint(1960, 2017)
    release = "" if year is None else date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    budget = rng.randint(1, 200) * 1_000_000 if n % 5 == 0 else 0  # 80% zero, as in the real file
    revenue = f"{int(budget * rng.uniform(0.3, 4))}.0" if budget and n % 10 else "0.0"  # floats, as written
    genres = rng.sample(list(GENRES), rng.randint(0, 3))
    collection = (
        repr({"id": 10194 + n, "name": f"{_title(rng)} Collection", "poster_path": None, "backdrop_path": "/bd.jpg"})
        if n % 7 == 0
        else ""
    )
    companies = repr([{"name": rng.choice(STUDIOS), "id": rng.randint(1, 9999)}]) if n % 4 else "[]"
    runtime = "" if n % 50 == 13 else ("0.0" if n % 50 == 17 else f"{rng.randint(70, 180)}.0")
    title = "Toy Story" if tmdb_id == SHARED_TMDB_ID else _title(rng)
    return [
        "True" if n % 97 == 3 else "False",
        collection,
        budget,
        _literal_list(genres),
        "",
        tmdb_id,
        f"tt{imdb_number(n):07d}" if n % 23 else "",
        "en",
        title,
        f"A film about {_title(rng).lower()}, with 'quotes' and \"more\".",
        f"{rng.uniform(0, 40):.6f}",
        f"/p{n}.jpg",
        companies,
        repr([{"iso_3166_1": "US", "name": "United States of America"}]),
        release,
        revenue,
        runtime,
        repr([{"iso_639_1": "ja", "name": "日本語"}]),
        "Released" if n % 20 else "Rumored",
        "",
        title,
        "" if n % 60 == 1 else "False",
        *_votes(rng, n),
    ]


def _votes(rng: random.Random, n: int) -> list[str]:
    """vote_average and vote_count as written; a film no one voted on has TMDb's placeholder average 0."""
    average, count = f"{rng.uniform(3, 9):.1f}", f"{rng.randint(0, 5000)}.0"
    return ["0.0", "0.0"] if n % 37 == 5 else [average, count]


# Names as `repr` writes them in the nested columns: plain ('prison'), double-quoted for an apostrophe
# ("director's cut"), single-quoted with `\'` escapes when both quote kinds occur, a backslash doubled.
KEYWORDS = ["prison", "director's cut", 'say "it\'s" twice', "AC\\DC", "children's book", 'the "final" cut']
PEOPLE = ["Ana Costa", "Zoë O'Neil", 'Sami "Red" Varga', 'Seán "Bud" O\'Brien', "王芳"]


def _cast(n: int) -> list[dict[str, object]]:
    return [
        {
            "cast_id": k + 1,
            "character": "Guard, Night",
            "credit_id": f"52fe{k}",
            "gender": 2,
            "id": 31 + k,
            "name": name,
            "order": k,
            "profile_path": None,
        }
        for k, name in enumerate(["Tom O'Hara", PEOPLE[(n + 1) % len(PEOPLE)], PEOPLE[(n + 3) % len(PEOPLE)]])
    ]


def _crew(n: int) -> list[dict[str, object]]:
    """A director (the first film's is Ana Costa), a writer, and for some films a second director."""
    jobs = [("Directing", "Director", PEOPLE[n % len(PEOPLE)]), ("Writing", "Writer", PEOPLE[(n + 2) % len(PEOPLE)])]
    if n % 4 == 1:
        jobs.append(("Directing", "Director", PEOPLE[(n + 1) % len(PEOPLE)]))
    return [
        {
            "credit_id": f"52fe{k}",
            "department": department,
            "gender": 1,
            "id": 7879 + k,
            "job": job,
            "name": name,
            "profile_path": "/d.jpg",
        }
        for k, (department, job, name) in enumerate(jobs)
    ]


def _line(values: Sequence[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return out.getvalue()


def movies_files(scale: KaggleScale = KaggleScale(), seed: int = 42, day: str | None = None) -> dict[str, bytes]:
    """`movies_metadata.csv`, `ratings.csv`, `links.csv`, `credits.csv`, `keywords.csv` (and the `_small`
    files, which are not subsets of the full ones) of Kaggle's `rounakbanik/the-movies-dataset`.

    The films other sources list too (`titles.world`) come last, each with a few ratings; with `day`, those
    ratings were given in the ten days before it (a newer MovieLens export), otherwise in 2016."""
    return _in_memory(_movies, scale, seed, day)


def _movies(files: _Files, scale: KaggleScale, seed: int, day: str | None) -> None:
    rng = random.Random(seed + 1)
    metadata, ratings_file = files.text("movies_metadata.csv"), files.text("ratings.csv")
    add = {
        name: files.table(f"{name}.csv", header)
        for name, header in (
            ("links", ["movieId", "imdbId", "tmdbId"]),
            ("credits", ["cast", "crew", "id"]),
            ("keywords", ["id", "keywords"]),
            ("links_small", ["movieId", "imdbId", "tmdbId"]),
            ("ratings_small", ["userId", "movieId", "rating", "timestamp"]),
        )
    }
    tmdb_ids = [SHARED_TMDB_ID, TOP_BY_FEW_VOTES] + rng.sample(range(1000, 400_000), scale.movies - 2)
    rows = [_metadata_row(rng, tmdb_id, n) for n, tmdb_id in enumerate(tmdb_ids)]
    metadata.writelines(_line(row) for row in [METADATA_COLUMNS, *rows])
    for stub_id, split_day in SPLIT_RECORDS:  # a line break inside an unquoted overview splits the record in two
        row = _metadata_row(rng, stub_id, len(rows))
        row[9], row[14] = "Part one ends here", split_day
        stub = _line(row[:9] + ["Part one ends here"]).rstrip("\n")
        tail = _line([" - Written by Ørnås"] + row[10:])
        metadata.write(stub + "\n" + tail)
    metadata.write(_line(rows[3]) + _line(rows[4][:10] + ["99.999"] + rows[4][11:]))  # identical, conflicting
    for ml_id, (n, tmdb_id) in enumerate(enumerate(tmdb_ids), start=1):
        add["links"]([ml_id, f"{imdb_number(n):07d}", "" if n % 45 == 44 else tmdb_id])
    rated = len(tmdb_ids) + 1  # the generated films' MovieLens ids are 1..rated
    add["links"]([rated, "0114709", SHARED_TMDB_ID])  # a second MovieLens id for the same film
    shared = world(seed).listed("tmdb_movie")
    for n, (title, listing) in enumerate(shared, start=len(rows)):
        row = _metadata_row(rng, listing.source_id, n)
        release = f"{listing.year}{row[14][4:] or '-06-15'}"
        row[6], row[8], row[14], row[20] = listing.imdb_id or "", listing.name, release, listing.name
        metadata.write(_line(row))
        movielens = title.listings["movielens"]
        assert movielens.imdb_id, "the catalog gives every MovieLens listing an IMDB id"
        add["links"]([movielens.source_id, link_number(movielens.imdb_id), listing.source_id])
    anchor = datetime.fromisoformat(day or "2016-06-01").replace(tzinfo=UTC).timestamp()
    # Each user's ratings, in (user, movie) order, spooled (26M rows at real volume); the few added after
    # them are merged in, as a stable sort of all of them would place them.
    with tempfile.SpooledTemporaryFile(max_size=64 << 20, mode="w+", encoding="utf-8", newline="") as spool:
        per_user = csv.writer(spool, lineterminator="\n")
        for user in range(1, scale.users + 1):
            for movie in sorted(rng.sample(range(1, rated + 1), scale.ratings_per_user)):
                if movie == 2:
                    continue  # the few-votes film gets exactly its three 5.0 ratings below
                stars = min(10, max(1, round(rng.gauss(7, 2))))
                per_user.writerow([user, movie, stars / 2, rng.randint(789_000_000, 1_501_000_000)])
        added = [[user, 2, 5.0, 1_400_000_000 + user] for user in (1, 2, 3)]
        for title, _ in shared:
            for user in rng.sample(range(1, scale.users + 1), rng.randint(0, 6)):
                seconds = rng.randint(1, 10 * 86_400)
                added.append(
                    [user, title.listings["movielens"].source_id, rng.randint(1, 10) / 2, int(anchor) - seconds]
                )
        spool.seek(0)
        ratings_file.write("userId,movieId,rating,timestamp\n")
        ratings_file.writelines(_merged(spool, sorted(added, key=lambda r: (r[0], r[1]))))
    for n, tmdb_id in enumerate(tmdb_ids):
        add["credits"]([repr(_cast(n) if n % 10 else []), repr(_crew(n)), tmdb_id])
    keywords = [
        [tmdb_id, repr([{"id": 931 + k, "name": KEYWORDS[(n + k) % len(KEYWORDS)]} for k in range(n % 3)])]
        for n, tmdb_id in enumerate(tmdb_ids)
    ]
    for row in keywords + keywords[:5]:  # the first five again: exact copies, as in the real file
        add["keywords"](row)
    add["links_small"]([1, "0113497", 8844])
    add["ratings_small"]([1, 31, 2.5, 1260759144])


def _merged(lines: Iterator[str], added: list[list[Any]]) -> Iterator[str]:
    """CSV `lines` sorted by (user, movie), with the sorted rows `added` placed after the lines of equal key."""
    pending = iter(added)
    nxt = next(pending, None)
    for line in lines:
        if nxt is not None:
            user, movie, _ = line.split(",", 2)
            while nxt is not None and (nxt[0], nxt[1]) < (int(user), int(movie)):
                yield _line(nxt)
                nxt = next(pending, None)
        yield line
    while nxt is not None:
        yield _line(nxt)
        nxt = next(pending, None)


def movies_zip(day: str, scale: KaggleScale = KaggleScale(), seed: int = 42) -> bytes:
    return _zip(movies_files(scale, seed, day), day)


PREFIXES = ("kaggle",)
ARCHIVES = {"gsimonx37/letterboxd": letterboxd_zip, "rounakbanik/the-movies-dataset": movies_zip}


class KaggleRoutes:
    def serve(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        # www.kaggle.com/api/v1/datasets/download/<owner>/<dataset>, basic auth with the API key.
        if not str(headers.get("Authorization", "")).startswith("Basic "):
            return 401, dump({"code": 401, "message": "Unauthenticated"})
        make = ARCHIVES.get(path.removeprefix("/kaggle/api/v1/datasets/download/"))
        if make is None:
            return 404, dump({"code": 404, "message": "Not found"})
        return 200, make(date.today().isoformat())


def mount(seed: int) -> KaggleRoutes:
    return KaggleRoutes()
