"""The sample API server: real HTTP on 127.0.0.1, routes per source, and switchable faults for tests.

Sources are mounted under a prefix (`/tvmaze/...`), so one server stands in for every API and the
clients only differ from production by their base URL (`TV_ASSETS_SAMPLE_URL`, see
`tv_assets.platform.settings`). The test double of the project: production code never imports it.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import json
import pkgutil
import shutil
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tv_assets import defs as defs_package
from tv_assets.sample_api.common import Mounted, dump


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


class SampleApp:
    """Every source's sample routes, found in `tv_assets/defs/<source>/sample.py` (see `common`), by the
    first path segment they serve. `app.<source>` is that source's mounted sample, for tests to read."""

    def __init__(self, seed: int = 42) -> None:
        self.seed = seed
        self.sources: dict[str, Mounted] = {}
        self.prefixes: dict[str, Mounted] = {}
        for name, module in sample_modules():
            mounted = module.mount(seed)
            self.sources[name] = mounted
            self.prefixes |= {prefix: mounted for prefix in module.PREFIXES}
        self.faults = FaultPlan()
        self.latency_s = 0.0  # added to every response: benchmarks measure clients against a remote-like API
        self.request_log: list[tuple[float, str]] = []  # (monotonic start, path): rate limits are checked on it
        # path -> a file served as it is, before the routes: the benchmarks' full-size IMDB dumps, written
        # once to disk (minutes each), too large to build per request
        self.files: dict[str, Path] = {}

    def __getattr__(self, name: str) -> Mounted:
        sources = self.__dict__.get("sources", {})
        if name in sources:
            return sources[name]
        raise AttributeError(name)

    def route(self, path: str, query: dict[str, str], headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        mounted = self.prefixes.get(path.split("/")[1] if path.count("/") > 1 else "")
        if mounted is None:
            return 404, b'{"error":"unknown source"}'
        return mounted.serve(path, query, headers or {})


def sample_modules() -> list[tuple[str, ModuleType]]:
    """(source, module) for every `tv_assets/defs/<source>/sample.py` that mounts routes."""
    found = []
    for info in pkgutil.iter_modules(defs_package.__path__):
        if info.ispkg and importlib.util.find_spec(f"{defs_package.__name__}.{info.name}.sample"):
            module = importlib.import_module(f"{defs_package.__name__}.{info.name}.sample")
            if hasattr(module, "mount"):
                found.append((info.name, module))
    return found


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


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; do not let them wait for an ACK

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        app = self.server.app
        if url.path in app.files:
            app.request_log.append((time.monotonic(), url.path))
            return self._send_file(app.files[url.path])
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
        status, body = app.route(url.path, query, dict(self.headers.items()))
        if fault and fault.kind == "malformed":
            return self._send(200, body[: max(1, len(body) // 2)])
        if fault and fault.kind in ("rename", "drop", "extra") and status == 200:
            body = dump(_reshape(json.loads(body), fault))
        if fault and fault.kind == "truncated_gzip":
            packed = gzip.compress(body)
            packed = packed[: len(packed) // 2]
            return self._send(status, packed, {"Content-Encoding": "gzip"})
        if fault and fault.kind == "empty":
            return self._send(200, b"[]")
        if fault and fault.kind == "null":
            return self._send(200, b"null")
        if fault and fault.kind == "gzip_text":
            return self._send(
                status, gzip.compress(gzip.decompress(body).replace(fault.field.encode(), fault.rename_to.encode(), 1))
            )
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

    def _send_file(self, path: Path) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "binary/octet-stream")
        self.send_header("Content-Length", str(path.stat().st_size))
        self.end_headers()
        with path.open("rb") as handle:
            shutil.copyfileobj(handle, self.wfile, 1 << 20)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests and the demo read their own logs
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: SampleApp, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.app = app

    def handle_error(self, request: Any, client_address: Any) -> None:
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
        return f"http://{host!s}:{port}"

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
