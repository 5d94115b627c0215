"""Kaggle archives dropped into the landing area: what each must hold, and a CSV splitter that keeps
every record it can read and sets aside, with a reason and the source text, every one it cannot.

Pure Python, no Dagster: the assets stream each CSV member through `split_csv` once, writing the good
records verbatim (the warehouse's own reader then bulk-loads them) and the bad ones to a quarantine.
"""

from __future__ import annotations

import csv
import gzip
import io
import multiprocessing
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tv_assets.platform.http import PayloadError

BLOCK_CHARS = 1 << 22  # the splitter reads 4M characters at a time
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
    # Members the archive is known to hold and that are not loaded, by file name (a folder ends in "/"),
    # with the reason the archive asset reports. Any other member is reported as unexpected.
    ignored: dict[str, str] = field(default_factory=dict)


def _exploded(member: str, *columns: str) -> CsvFile:
    return CsvFile(member, ("id", *columns), integers=("id",))


ARCHIVES = {
    "letterboxd": Archive(
        "gsimonx37/letterboxd",
        {
            "movies": CsvFile(
                "movies.csv",
                ("id", "name", "date", "tagline", "description", "minute", "rating"),
                integers=("id",),
                numbers=("date", "minute", "rating"),
            ),
            "actors": _exploded("actors.csv", "name", "role"),
            "crew": _exploded("crew.csv", "role", "name"),
            "languages": _exploded("languages.csv", "type", "language"),
            "studios": _exploded("studios.csv", "studio"),
            "countries": _exploded("countries.csv", "country"),
            "genres": _exploded("genres.csv", "genre"),
            "themes": _exploded("themes.csv", "theme"),
            "releases": _exploded("releases.csv", "country", "date", "type", "rating"),
        },
        ignored={
            "posters.csv": "poster image URLs (some films have none): no model or mart uses images",
            "posters/": "poster images: binary files, no model or mart uses images",
        },
    ),
    "movies": Archive(
        "rounakbanik/the-movies-dataset",
        {
            "metadata": CsvFile(
                "movies_metadata.csv",
                (
                    "adult",
                    "belongs_to_collection",
                    "budget",
                    "genres",
                    "homepage",
                    "id",
                    "imdb_id",
                    "original_language",
                    "original_title",
                    "overview",
                    "popularity",
                    "poster_path",
                    "production_companies",
                    "production_countries",
                    "release_date",
                    "revenue",
                    "runtime",
                    "spoken_languages",
                    "status",
                    "tagline",
                    "title",
                    "video",
                    "vote_average",
                    "vote_count",
                ),
                integers=("id",),
                numbers=("budget", "popularity", "revenue", "runtime", "vote_average", "vote_count"),
            ),
            "ratings": CsvFile(
                "ratings.csv",
                ("userId", "movieId", "rating", "timestamp"),
                integers=("userId", "movieId", "timestamp"),
                numbers=("rating",),
            ),
            "links": CsvFile("links.csv", ("movieId", "imdbId", "tmdbId"), integers=("movieId",), numbers=("tmdbId",)),
            "credits": CsvFile(
                "credits.csv",
                ("cast", "crew", "id"),
                integers=("id",),
                renamed={"cast": "cast_list", "crew": "crew_list"},
            ),
            "keywords": CsvFile("keywords.csv", ("id", "keywords"), integers=("id",)),
        },
        ignored={
            "links_small.csv": "the links of MovieLens' 2016 small build (9,000 films): not a subset of links.csv, "
            "and only ratings_small.csv, which is not loaded, needs them",
            "ratings_small.csv": "MovieLens' 2016 small build (100,004 ratings, 671 users), a separate sample and "
            "not a subset of ratings.csv: loading both would mix two exports of the same users",
        },
    ),
}
UNEXPECTED = "not a file of the documented archive: not loaded"


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
            raise DropError(
                f"{what}: {spec.member} appears {len(matches)} times ({', '.join(m.filename for m in matches)})"
            )
    missing = [spec.member for table, spec in archive.files.items() if table not in found]
    if missing:
        raise DropError(
            f"{what}: the archive lacks {', '.join(missing)} (it holds "
            f"{', '.join(sorted(i.filename for i in infos)[:20]) or 'nothing'})"
        )
    return found


def ignored_members(path: Path, archive: Archive) -> list[dict[str, object]]:
    """Every member of the zip that is not loaded, with its size and why: a known file of the dataset
    that no model uses, or one the documented archive does not hold. Nothing in a drop goes unmentioned."""
    loaded = {spec.member for spec in archive.files.values()}
    with zipfile.ZipFile(path) as bundle:
        infos = [info for info in bundle.infolist() if not info.is_dir()]
    ignored = []
    for info in infos:
        parts = info.filename.split("/")
        if parts[-1] in loaded:
            continue
        folders = {part + "/" for part in parts[:-1]}
        reason = archive.ignored.get(parts[-1]) or next(
            (why for name, why in archive.ignored.items() if name in folders), UNEXPECTED
        )
        ignored.append({"file": info.filename, "bytes": info.file_size, "reason": reason})
    return ignored


@dataclass
class Split:
    rows: int = 0  # records kept
    rejected: list[dict] = field(default_factory=list)  # {line, reason, source_line}


def split_members(
    archive: Path, members: Mapping[str, tuple[zipfile.ZipInfo, CsvFile]], folder: Path, what: str
) -> dict[str, Split]:
    """Each CSV member of the zip at `archive` (table -> the member and its file) split into
    `folder/<member>.gz`, one process per core, the largest first: the splitter is CPU-bound Python and
    an archive's files are independent, so two cores take about half the time. The processes are forked:
    they need only this module, and unlike spawning they neither re-import the caller's main script nor
    pay the imports again."""
    order = sorted(members, key=lambda table: -members[table][0].file_size)
    workers = min(os.cpu_count() or 1, len(order))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {}
        for table in order:
            info, spec = members[table]
            futures[table] = pool.submit(split_member, archive, info.filename, spec, folder, f"{what}: {info.filename}")
        return {table: futures[table].result() for table in members}


def split_member(archive: Path, member: str, spec: CsvFile, folder: Path, what: str) -> Split:
    """One CSV member of the zip at `archive` split into `folder/<spec.member>.gz` (gzip, fast level)."""
    with (
        zipfile.ZipFile(archive) as bundle,
        io.TextIOWrapper(bundle.open(member), encoding="utf-8", newline="") as text,
        gzip.open(folder / f"{spec.member}.gz", "wt", compresslevel=1, encoding="utf-8", newline="") as good,
    ):
        return split_csv(text, spec, good, what)


def _records(lines: Iterable[str], offset: int) -> Iterator[tuple[int, list[str], str]]:
    """(first line number, fields, the record's text exactly as read) for every CSV record of `lines`,
    which start after line `offset` of the file."""
    consumed: list[str] = []

    def read() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line

    reader = csv.reader(read())
    for fields in reader:
        raw = "".join(consumed)
        consumed.clear()
        yield offset + reader.line_num - raw.count("\n") + raw.endswith("\n"), fields, raw


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


def record_pattern(spec: CsvFile) -> re.Pattern[str]:
    """One whole record that `problem` accepts, from a line start to a line end: what the fast path
    copies unread. Text fields may be quoted (a quote doubled inside, line breaks allowed, as the csv
    module reads them); numbers are not quoted."""
    fields = [
        r"[ \t]*-?\d+[ \t]*"
        if name in spec.integers
        else r"[ \t]*(?:-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)?[ \t]*"
        if name in spec.numbers
        else r'(?:[^,"\r\n]*|"(?:[^"]|"")*")'
        for name in spec.header
    ]
    return re.compile("^" + ",".join(fields) + r"\r?$", re.MULTILINE)


def split_csv(text: TextIO, spec: CsvFile, good: TextIO, what: str) -> Split:
    """Copy the header and every loadable record of `text` to `good` verbatim; return the count kept and
    the records set aside. A header other than the expected one is a `DropError`: the file changed shape.

    A block of whole records each of which is valid (quoted fields allowed, over several lines too: all
    of ratings.csv, nearly all of Letterboxd's files) is checked by one regular expression and copied
    whole. In any other block the records are matched one after another up to the first that is not
    valid; from there the csv module reads records (on past the block's end if a quoted field spans it)
    until the next one is valid again: one odd record costs its own reading, not its block's."""
    split, fast, stream = Split(), record_pattern(spec), _Stream(text)
    try:
        head = text.readline()
        header = next(csv.reader([head]), [])
        if tuple(f.strip().lstrip("\ufeff") for f in header) != spec.header:
            raise DropError(f"{what}: header is {header[:30] if head else 'missing'}, expected {list(spec.header)}")
        good.write(head if head.endswith("\n") else head + "\n")
        line, mixed = 1, ""  # mixed: the block found to hold a record the expression does not take
        while stream.next_block():
            block, start = stream.block, stream.at
            # Records matched one after another, each followed by its line end, cover the block only if
            # none was skipped: then each match is exactly one record, as the csv module would cut it.
            records = fast.findall(block, start) if block is not mixed and block.endswith("\n") else []
            if len(records) + sum(map(len, records)) == len(block) - start:
                end, kept = len(block), len(records)
            else:
                mixed, end, kept = block, start, 0
                while (after := _valid_record(fast, block, end)) > end:
                    end, kept = after, kept + 1
            lines = block.count("\n", start, end)
            good.write(block[start:end])
            split.rows += kept
            line += lines
            stream.at = end
            if end < len(block):
                line += _read_records(stream, fast, spec, good, split, line)
    except csv.Error as error:
        raise DropError(f"{what}: unreadable CSV: {error}") from error
    except UnicodeDecodeError as error:
        raise DropError(f"{what}: not UTF-8 ({error.reason} at byte {error.start} of a block)") from error
    return split


def _valid_record(fast: re.Pattern[str], block: str, at: int) -> int:
    """The end of the record at `at`, its line end included, when it is valid; else `at`."""
    match = fast.match(block, at)
    return match.end() + 1 if match and match.end() < len(block) else at


_LINE_END = re.compile(r"\r\n|\r|\n")  # where io's readline ends a line when newline=""


class _Stream:
    """A text stream read a block at a time, each block cut after its last line end. `at` is how far the
    current block is read, whether by the expression (whole lines) or line by line for the csv module,
    whose record may run on into the next blocks."""

    def __init__(self, text: TextIO) -> None:
        self.text, self.rest, self.block, self.at = text, "", "", 0

    def next_block(self) -> bool:
        """Stay on the current block while it has unread lines, else move to the next block's whole lines
        (or the file's last text without a line end); False at the end."""
        if self.at < len(self.block):
            return True
        self.at = 0
        while data := self.text.read(BLOCK_CHARS):
            buffer = self.rest + data
            cut = buffer.rfind("\n") + 1
            if cut:
                self.block, self.rest = buffer[:cut], buffer[cut:]
                return True
            self.rest = buffer
        self.block, self.rest = self.rest, ""
        return bool(self.block)

    def lines(self) -> Iterator[str]:
        """The unread lines, one at a time, from the current block into the next ones."""
        while self.next_block():
            found = _LINE_END.search(self.block, self.at)
            end = found.end() if found else len(self.block)
            piece, self.at = self.block[self.at : end], end
            yield piece


def _read_records(stream: _Stream, fast: re.Pattern[str], spec: CsvFile, good: TextIO, split: Split, line: int) -> int:
    """Keep or set aside the records the csv module reads from the stream's next line on, until the
    record after one is valid or the block ends; return the lines read."""
    lines = 0
    for first, fields, raw in _records(stream.lines(), line):
        lines += raw.count("\n") + (not raw.endswith("\n"))
        reason = problem(spec, fields)
        if reason is None:
            good.write(raw if raw.endswith("\n") else raw + "\n")
            split.rows += 1
        else:
            cut = raw if len(raw) <= SOURCE_LINE_LIMIT else raw[:SOURCE_LINE_LIMIT] + f"… ({len(raw):,} chars)"
            split.rejected.append({"line": first, "reason": reason, "source_line": cut.rstrip("\r\n")})
        if stream.at == len(stream.block) or _valid_record(fast, stream.block, stream.at) > stream.at:
            break
    return lines
