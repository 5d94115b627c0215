"""IMDB's non-commercial daily dumps: `https://datasets.imdbws.com/<file>.tsv.gz`, today's only.

Files are streamed to the lake as received (compressed), and checked on the way through: complete
gzip, the expected header, a tab count that fits the column count, at least one row. The rows counted
here are what the load must find in the warehouse.
"""

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from tv_assets.platform.http import USER_AGENT, HttpSource, PayloadError, RateLimiter, RetryPolicy

BASE_URL = "https://datasets.imdbws.com"
# Lake dataset (and raw table suffix) -> IMDB file name, with the columns the file must start with.
COLUMNS = {
    "title_basics": (
        "title.basics",
        (
            "tconst",
            "titleType",
            "primaryTitle",
            "originalTitle",
            "isAdult",
            "startYear",
            "endYear",
            "runtimeMinutes",
            "genres",
        ),
    ),
    "title_ratings": ("title.ratings", ("tconst", "averageRating", "numVotes")),
    "title_crew": ("title.crew", ("tconst", "directors", "writers")),
    "name_basics": (
        "name.basics",
        ("nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"),
    ),
}


@dataclass(frozen=True)
class TsvSummary:
    compressed_bytes: int
    text_bytes: int
    rows: int  # data lines, the header excluded
    sha256: str  # of the gzip bytes as received: a later reader can tell it reads the file counted here


class TsvGzCheck:
    """Feed a `.tsv.gz` body chunk by chunk; `finish()` returns its summary or raises `PayloadError`."""

    def __init__(self, columns: tuple[str, ...], what: str) -> None:
        self.columns, self.what = columns, what
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._head = b""
        self.compressed = self.text = self.lines = self.tabs = 0
        self._last = b"\n"
        self._digest = hashlib.sha256()

    def feed(self, chunk: bytes) -> None:
        self.compressed += len(chunk)
        self._digest.update(chunk)
        try:
            text = self._inflate.decompress(chunk)
            while self._inflate.eof and self._inflate.unused_data:  # a multi-member gzip: go on with the next
                rest = self._inflate.unused_data
                self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                text += self._inflate.decompress(rest)
        except zlib.error as exc:
            raise PayloadError(f"{self.what}: not a valid gzip stream ({exc}) after {self.compressed} bytes") from exc
        if len(self._head) < 4096:
            self._head += text[: 4096 - len(self._head)]
        self.text += len(text)
        self.lines += text.count(b"\n")
        self.tabs += text.count(b"\t")
        if text:
            self._last = text[-1:]

    def finish(self) -> TsvSummary:
        if not self._inflate.eof:
            raise PayloadError(
                f"{self.what}: the gzip stream ended early ({self.compressed} bytes received): a truncated download"
            )
        lines = self.lines + (self._last != b"\n")  # a last line without its line end still counts
        header = self._head.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r").split("\t")
        if tuple(header) != self.columns:
            raise PayloadError(f"{self.what}: header is {header[:12]}, expected {list(self.columns)}")
        if lines < 2:
            raise PayloadError(f"{self.what}: no rows after the header")
        if self.tabs != lines * (len(self.columns) - 1):
            # Fields never hold tabs, so any difference is a row with a missing or extra field.
            raise PayloadError(
                f"{self.what}: {self.tabs} tabs in {lines} lines, expected "
                f"{len(self.columns) - 1} per line: some row has the wrong number of fields"
            )
        return TsvSummary(self.compressed, self.text, lines - 1, self._digest.hexdigest())


def check_tsv_gz(chunks: Iterable[bytes], columns: tuple[str, ...], what: str) -> TsvSummary:
    check = TsvGzCheck(columns, what)
    for chunk in chunks:
        check.feed(chunk)
    return check.finish()


def client(base_url: str, retry: RetryPolicy, timeout: float) -> HttpSource:
    # A handful of large files a day: no rate to speak of, but stay gentle with a public host.
    return HttpSource(
        "imdb", base_url, user_agent=USER_AGENT, rate_limiter=RateLimiter(2, 1.0), retry=retry, timeout=timeout
    )
