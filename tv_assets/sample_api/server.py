"""The sample API server: real HTTP on 127.0.0.1, routes per source, and switchable faults for tests.

Sources are mounted under a prefix (`/tvmaze/...`), so one server stands in for every API and the
clients only differ from production by their base URL.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tv_assets.sample_api import fred
from tv_assets.sample_api.imdb import FILES as IMDB_FILES
from tv_assets.sample_api.imdb import ImdbSample, Scale
from tv_assets.sample_api.kaggle import letterboxd_zip, movies_dataset_zip
from tv_assets.sample_api.tmdb import HARD_CAP, TMDBSample
from tv_assets.sample_api.tmdb import error as tmdb_error
from tv_assets.sample_api.tvmaze import TVMazeSample
from tv_assets.sample_api.x import XSample
from tv_assets.sample_api.x import parse_time as parse_x_time

COUNTRIES = {"US", "GB", "KR", "CA", "DE", "FR", "JP", "NL", "AU"}


@dataclass
class Fault:
    """Make requests to `path` misbehave, `times` times (None: until cleared). A `path` ending in
    "/" matches every path under it (`/tvmaze/shows/`); otherwise the path must match exactly.

    kinds: `status` (answer `status`, with `retry_after` if set), `malformed` (cut JSON),
    `empty` (a valid empty array), `slow` (sleep `delay` seconds first), `reset` (close mid-body),
    `rename` (rename key `field` to `rename_to` in every item: the source changed its format),
    `drop` (remove key `field` from every item), `extra` (add key `field` = 1 to every item),
    `truncated_gzip` (a gzip-encoded body cut short), `null` (HTTP 200 with the literal body `null`);
    for a `.gz` file: `gzip_text` (replace `field` by `rename_to` once in its text: a changed header) and
    `gzip_head` (only its first line: a file with a header and no rows).
    """

    path: str
    kind: str
    status: int = 500
    times: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    field: str = ""
    rename_to: str = ""


@dataclass
class FaultPlan:
    faults: list[Fault] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.hits.clear()

    def take(self, path: str) -> Fault | None:
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            for fault in self.faults:
                matches = path.startswith(fault.path) if fault.path.endswith("/") else path == fault.path
                if matches and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None


def tvmaze_error(status: int, name: str, message: str = "") -> tuple[int, bytes]:
    return status, json.dumps({"name": name, "message": message, "code": 0, "status": status}).encode()


class SampleApp:
    def __init__(self, seed: int = 42) -> None:
        self.tvmaze = TVMazeSample(seed)
        self.tmdb = TMDBSample(seed)
        self.x = XSample(seed)
        self.imdb = ImdbSample(Scale.demo(), seed)
        self.seed = seed
        self.faults = FaultPlan()
        self.latency_s = 0.0  # added to every response: benchmarks measure clients against a remote-like API
        self.request_log: list[tuple[float, str]] = []  # (monotonic start, path): rate limits are checked on it

    def route(self, path: str, query: dict[str, str], headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        if path.startswith("/tvmaze/"):
            return self._tvmaze(path.removeprefix("/tvmaze"), query)
        if path.startswith("/tmdb/"):
            return self._tmdb(path.removeprefix("/tmdb"), query, headers or {})
        if path.startswith("/x/"):
            return self._x(path.removeprefix("/x"), query, headers or {})
        if path.startswith("/imdb/"):
            return self._imdb(path.removeprefix("/imdb"))
        if path.startswith("/fred"):
            return self._fred(path, query)
        if path.startswith("/kaggle/"):
            return self._kaggle(path.removeprefix("/kaggle"), headers or {})
        return 404, b'{"error":"unknown source"}'

    def _imdb(self, path: str) -> tuple[int, bytes]:
        # datasets.imdbws.com serves today's files; /imdb/<day>/<file>.tsv.gz serves that day's.
        day, path = _as_of(path)
        name = path.removeprefix("/").removesuffix(".tsv.gz")
        if name not in IMDB_FILES or not path.endswith(".tsv.gz"):
            return 404, b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
        return 200, self._imdb_file(name, (day or date.today()).isoformat())

    @functools.lru_cache(maxsize=16)  # noqa: B019 (one app per server, for the server's lifetime)
    def _imdb_file(self, name: str, day: str) -> bytes:
        return self.imdb.gzipped(name, day)

    def _fred(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        # fred.stlouisfed.org under /fred, api.stlouisfed.org under /fred-api; published through last month.
        today = date.today()
        values = fred.series(date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1), self.seed)
        if path == "/fred/graph/fredgraph.csv":
            if query.get("id") != fred.SERIES:
                return 404, b"<html><body>Series not found</body></html>"
            return 200, fred.graph_csv(fred.window(values, query.get("cosd", ""), query.get("coed", "")))
        if path == "/fred-api/fred/series/observations":
            if not re.fullmatch(r"[a-z0-9]{32}", query.get("api_key", "")):
                return 400, _dump({"error_code": 400, "error_message": "Bad Request.  The value for variable "
                                   "api_key is not a 32 character alpha-numeric lower-case string."})
            start, end = query.get("observation_start", ""), query.get("observation_end", "")
            return 200, fred.api_json(fred.window(values, start, end), start, end)
        return 404, b"<html><body>Not found</body></html>"

    def _kaggle(self, path: str, headers: Mapping[str, str]) -> tuple[int, bytes]:
        # www.kaggle.com/api/v1/datasets/download/<owner>/<dataset>, basic auth with the API key.
        if not str(headers.get("Authorization", "")).startswith("Basic "):
            return 401, _dump({"code": 401, "message": "Unauthenticated"})
        archives = {"gsimonx37/letterboxd": letterboxd_zip, "rounakbanik/the-movies-dataset": movies_dataset_zip}
        make = archives.get(path.removeprefix("/api/v1/datasets/download/"))
        if make is None:
            return 404, _dump({"code": 404, "message": "Not found"})
        return 200, make(date.today().isoformat())

    def _x(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        # X counts only the last seven days before now; /x/<day>/2/... serves as if now were that day's
        # first minutes, which is when the daily schedule fetches the day before.
        day, path = _as_of(path)
        now = datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=5) if day else datetime.now(UTC)
        if not headers.get("Authorization", "").startswith("Bearer ") or len(headers["Authorization"]) <= 7:
            return 401, _dump({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
        if path != "/2/tweets/counts/recent":
            return 404, _dump({"title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found"})
        if not query.get("query") or query.get("granularity", "hour") != "day":
            return 400, _dump({"title": "Invalid Request", "detail": "the sample serves granularity=day with a query"})
        try:
            start, end = parse_x_time(query["start_time"]), parse_x_time(query.get("end_time") or "")
        except (KeyError, ValueError):
            return 400, _dump({"title": "Invalid Request", "detail": "start_time and end_time: YYYY-MM-DDTHH:mm:ssZ"})
        status, payload = self.x.counts(query["query"], start, min(end, now), now)
        return status, _dump(payload)

    def _tmdb(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        # TMDB serves only today's values; the sample also serves any past day under /tmdb/<day>/3/...,
        # so a backfill in sample mode sees that day's popularity and votes.
        day, path = _as_of(path)
        day = day or date.today()
        bearer = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not (bearer or query.get("api_key")):
            return 401, _dump(tmdb_error(7, "Invalid API key: You must be granted a valid key."))
        if path in ("/3/tv/popular", "/3/trending/tv/day"):
            page = query.get("page", "1")
            if not page.isdigit() or not 1 <= int(page) <= HARD_CAP:
                return 400, _dump(tmdb_error(22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."))
            kind = "popular" if path == "/3/tv/popular" else "trending"
            return 200, _dump(self.tmdb.page(kind, int(page), day))
        if (match := re.match(r"^/3/tv/(\d+)$", path)):
            details = self.tmdb.details(int(match.group(1)), day, "external_ids" in query.get("append_to_response", ""))
            if details:
                return 200, _dump(details)
        return 404, _dump(tmdb_error(34, "The resource you requested could not be found."))

    def _tvmaze(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if path in ("/schedule", "/schedule/web"):
            try:
                day = date.fromisoformat(query.get("date") or date.today().isoformat())
            except ValueError:
                return tvmaze_error(422, "Unprocessable Entity", "Not a valid ISO date")
            country = query.get("country")
            if path == "/schedule":
                if (country or "US") not in COUNTRIES:
                    return tvmaze_error(422, "Unprocessable Entity", "Not a valid ISO country code")
                return 200, _dump(self.tvmaze.schedule(day, country or "US"))
            if country not in (None, "") and country not in COUNTRIES:
                return tvmaze_error(422, "Unprocessable Entity", "Not a valid ISO country code")
            return 200, _dump(self.tvmaze.web_schedule(day, country))
        if path.startswith("/shows/") and path.removeprefix("/shows/").isdigit():
            show = self.tvmaze.show(int(path.removeprefix("/shows/")))
            return (200, _dump(show)) if show else tvmaze_error(404, "Not Found")
        return tvmaze_error(404, "Not Found")


def _as_of(path: str) -> tuple[date | None, str]:
    """`/<YYYY-MM-DD>/rest` -> (that day, `/rest`): the day a present-only API is asked as of; else (None, path)."""
    if match := re.match(r"^/(\d{4}-\d{2}-\d{2})(/.*)$", path):
        try:
            return date.fromisoformat(match.group(1)), match.group(2)
        except ValueError:
            pass
    return None, path


def _reshape(payload: object, fault: Fault) -> object:
    """Apply a format-change fault to every item of a payload (a list of items, or one item)."""
    for item in payload if isinstance(payload, list) else [payload]:
        if fault.kind == "extra":
            item[fault.field] = 1
        elif fault.field in item:
            value = item.pop(fault.field)
            if fault.kind == "rename":
                item[fault.rename_to] = value
    return payload


def _dump(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; do not let them wait for an ACK

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        app = self.server.app
        fault = app.faults.take(url.path)
        if fault and fault.kind == "slow":
            time.sleep(fault.delay)
            fault = None
        if fault and fault.kind == "status":
            body = json.dumps({"status": fault.status, "message": "injected fault"}).encode()
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return self._send(fault.status, body, headers)
        app.request_log.append((time.monotonic(), url.path))
        if app.latency_s:
            time.sleep(app.latency_s)
        status, body = app.route(url.path, query, self.headers)
        if fault and fault.kind == "malformed":
            return self._send(200, body[: max(1, len(body) // 2)])
        if fault and fault.kind in ("rename", "drop", "extra") and status == 200:
            body = _dump(_reshape(json.loads(body), fault))
        if fault and fault.kind == "truncated_gzip":
            packed = gzip.compress(body)
            packed = packed[: len(packed) // 2]
            return self._send(status, packed, {"Content-Encoding": "gzip"})
        if fault and fault.kind == "empty":
            return self._send(200, b"[]")
        if fault and fault.kind == "null":
            return self._send(200, b"null")
        if fault and fault.kind == "gzip_text":
            return self._send(status, gzip.compress(gzip.decompress(body).replace(fault.field.encode(), fault.rename_to.encode(), 1)))
        if fault and fault.kind == "gzip_head":
            return self._send(status, gzip.compress(gzip.decompress(body).split(b"\n", 1)[0] + b"\n"))
        if fault and fault.kind == "reset":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self._send(status, body)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        kind = "application/json; charset=utf-8"
        if status == 200 and self.path.split("?")[0].endswith(".gz"):
            kind = "binary/octet-stream"
        elif status == 200 and body[:2] == b"PK":
            kind = "application/zip"
        elif status == 200 and ".csv" in self.path:
            kind = "text/csv"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests and the demo read their own logs
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: SampleApp, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.app = app

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gives up (a timeout under test) closes its end: expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SampleServer:
    """The sample API on 127.0.0.1 in a background thread; `port=0` picks a free port."""

    def __init__(self, seed: int = 42, port: int = 0) -> None:
        self.app = SampleApp(seed)
        self._server = _Server(self.app, port)
        self._thread = threading.Thread(target=self._server.serve_forever, name="sample-api", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def faults(self) -> FaultPlan:
        return self.app.faults

    def start(self) -> SampleServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_shared: SampleServer | None = None
_shared_lock = threading.Lock()


def sample_base_url() -> str:
    """Where the sample API answers: `TV_ASSETS_SAMPLE_URL` if set, else a server started in this process."""
    if url := os.environ.get("TV_ASSETS_SAMPLE_URL"):
        return url.rstrip("/")
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SampleServer().start()
    return _shared.url
