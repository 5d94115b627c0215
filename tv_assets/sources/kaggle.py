"""Kaggle archives dropped into the landing area: what each must hold, and a CSV splitter that keeps
every record it can read and sets aside, with a reason and the source text, every one it cannot.

Pure Python, no Dagster: the assets stream each CSV member through `split_csv` once, writing the good
records verbatim (the warehouse's own reader then bulk-loads them) and the bad ones to a quarantine.
"""

from __future__ import annotations

import csv
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tv_assets.sources.http import PayloadError

# A record longer than this is cut in the quarantine's `source_line` (a stray quote can swallow a file).
SOURCE_LINE_LIMIT = 8192
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # credits' cast lists run to hundreds of KB per field


class DropError(PayloadError):
    """A dropped archive that cannot be used at all (not a zip, a file missing, a header changed)."""


@dataclass(frozen=True)
class CsvFile:
    """One CSV member: its header as the archive has it, the warehouse's names for those columns (the
    same unless a header name is an SQL keyword), the columns every record must hold as an integer,
    and those that must be blank or a number."""

    member: str
    header: tuple[str, ...]
    integers: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    renamed: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.renamed.get(name, name) for name in self.header)


@dataclass(frozen=True)
class Archive:
    slug: str  # the Kaggle dataset, owner/name
    files: dict[str, CsvFile]  # raw table suffix -> member


def _exploded(member: str, *columns: str) -> CsvFile:
    return CsvFile(member, ("id", *columns), integers=("id",))


ARCHIVES = {
    "letterboxd": Archive("gsimonx37/letterboxd", {
        "movies": CsvFile("movies.csv", ("id", "name", "date", "tagline", "description", "minute", "rating"),
                          integers=("id",), numbers=("date", "minute", "rating")),
        "actors": _exploded("actors.csv", "name", "role"),
        "crew": _exploded("crew.csv", "role", "name"),
        "languages": _exploded("languages.csv", "type", "language"),
        "studios": _exploded("studios.csv", "studio"),
        "countries": _exploded("countries.csv", "country"),
        "genres": _exploded("genres.csv", "genre"),
        "themes": _exploded("themes.csv", "theme"),
        "releases": _exploded("releases.csv", "country", "date", "type", "rating"),
    }),
    "movies_dataset": Archive("rounakbanik/the-movies-dataset", {
        "metadata": CsvFile("movies_metadata.csv", (
            "adult", "belongs_to_collection", "budget", "genres", "homepage", "id", "imdb_id", "original_language",
            "original_title", "overview", "popularity", "poster_path", "production_companies",
            "production_countries", "release_date", "revenue", "runtime", "spoken_languages", "status", "tagline",
            "title", "video", "vote_average", "vote_count"),
            integers=("id",), numbers=("budget", "popularity", "revenue", "runtime", "vote_average", "vote_count")),
        "ratings": CsvFile("ratings.csv", ("userId", "movieId", "rating", "timestamp"),
                           integers=("userId", "movieId", "timestamp"), numbers=("rating",)),
        "links": CsvFile("links.csv", ("movieId", "imdbId", "tmdbId"), integers=("movieId",), numbers=("tmdbId",)),
        "credits": CsvFile("credits.csv", ("cast", "crew", "id"), integers=("id",),
                           renamed={"cast": "cast_list", "crew": "crew_list"}),
        "keywords": CsvFile("keywords.csv", ("id", "keywords"), integers=("id",)),
    }),
}


def archive_members(path: Path, archive: Archive, what: str) -> dict[str, zipfile.ZipInfo]:
    """The member of each expected CSV, found by file name anywhere in the zip; a `DropError` naming
    everything wrong when the file is not a zip or lacks any of them."""
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            head = handle.read(16)
        raise DropError(f"{what}: not a zip archive ({path.stat().st_size:,} bytes starting {head!r})")
    try:
        with zipfile.ZipFile(path) as bundle:
            infos = [info for info in bundle.infolist() if not info.is_dir()]
    except zipfile.BadZipFile as error:
        raise DropError(f"{what}: a damaged zip archive ({error})") from error
    found: dict[str, zipfile.ZipInfo] = {}
    for table, spec in archive.files.items():
        matches = [info for info in infos if info.filename.rsplit("/", 1)[-1] == spec.member]
        if len(matches) == 1:
            found[table] = matches[0]
        elif matches:
            raise DropError(f"{what}: {spec.member} appears {len(matches)} times "
                            f"({', '.join(m.filename for m in matches)})")
    missing = [spec.member for table, spec in archive.files.items() if table not in found]
    if missing:
        raise DropError(f"{what}: the archive lacks {', '.join(missing)} (it holds "
                        f"{', '.join(sorted(i.filename for i in infos)[:20]) or 'nothing'})")
    return found


@dataclass
class Split:
    rows: int = 0  # records kept
    rejected: list[dict] = field(default_factory=list)  # {line, reason, source_line}


def _records(text: TextIO) -> Iterator[tuple[int, list[str], str]]:
    """(first line number, fields, the record's text exactly as read) for every CSV record."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in text:
            consumed.append(line)
            yield line

    reader = csv.reader(lines())
    for fields in reader:
        raw = "".join(consumed)
        consumed.clear()
        yield reader.line_num - raw.count("\n") + raw.endswith("\n"), fields, raw


def problem(spec: CsvFile, fields: list[str]) -> str | None:
    """Why a record cannot be loaded, or None."""
    if len(fields) != len(spec.header):
        return f"expected {len(spec.header)} fields, found {len(fields)}"
    values = dict(zip(spec.header, fields, strict=True))
    for name in spec.integers:
        if not _INTEGER.match(values[name].strip()):
            return f"{name} {values[name][:40]!r} is not an integer"
    for name in spec.numbers:
        value = values[name].strip()
        if value and not _NUMBER.match(value):
            return f"{name} {value[:40]!r} is not a number"
    return None


def split_csv(text: TextIO, spec: CsvFile, good: TextIO, what: str) -> Split:
    """Copy the header and every loadable record of `text` to `good` verbatim; return the count kept and
    the records set aside. A header other than the expected one is a `DropError`: the file changed shape."""
    split, records = Split(), _records(text)
    try:
        first = next(records, None)
        if first is None or tuple(f.strip().lstrip("\ufeff") for f in first[1]) != spec.header:
            raise DropError(f"{what}: header is {first[1][:30] if first else 'missing'}, expected {list(spec.header)}")
        good.write(first[2] if first[2].endswith("\n") else first[2] + "\n")
        for line, fields, raw in records:
            reason = problem(spec, fields)
            if reason is None:
                good.write(raw if raw.endswith("\n") else raw + "\n")
                split.rows += 1
            else:
                cut = raw if len(raw) <= SOURCE_LINE_LIMIT else raw[:SOURCE_LINE_LIMIT] + f"… ({len(raw):,} chars)"
                split.rejected.append({"line": line, "reason": reason, "source_line": cut.rstrip("\r\n")})
    except csv.Error as error:
        raise DropError(f"{what}: unreadable CSV: {error}") from error
    except UnicodeDecodeError as error:
        raise DropError(f"{what}: not UTF-8 ({error.reason} at byte {error.start} of a block)") from error
    return split
