"""A polite HTTP client shared by every source: rate limit, retries with backoff, timeouts, clear errors.

Every source gets the same behaviour so that a flaky API is handled one way everywhere:
transient failures (429, 5xx, connection drops, timeouts) are retried with exponential backoff,
and a call that gives up raises `SourceError` naming the source, the partition, the path and the cause.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import requests
import urllib3

T = TypeVar("T")

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Network trouble worth another try, including a connection that drops mid-body.
RETRYABLE_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


USER_AGENT = "tv_assets/0.1 (TV and film analytics pipeline; python-requests)"


class SourceError(RuntimeError):
    """A source call or payload that failed for good. The message is meant for the operator."""


class PayloadError(SourceError):
    """A response that arrived but is not what the source promises (malformed, wrong shape, empty)."""


@dataclass(frozen=True)
class Fetched:
    """One response body exactly as received, plus how it was asked for (no secrets)."""

    request: str
    status: int
    body: bytes


def parse_json(body: bytes, *, what: str) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"{what}: malformed JSON ({exc}); {len(body)} bytes received") from exc


class RateLimiter:
    """At most `calls` request starts in any sliding window of `period` seconds (thread safe)."""

    def __init__(
        self,
        calls: int,
        period: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if calls < 1 or period <= 0:
            raise ValueError(f"rate limit needs calls >= 1 and period > 0, got {calls}/{period}s")
        self.calls, self.period = calls, period
        self._clock, self._sleep = clock, sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        # Holding the lock while sleeping queues waiters in arrival order, which is what we want.
        with self._lock:
            while True:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.period:
                    self._starts.popleft()
                if len(self._starts) < self.calls:
                    self._starts.append(now)
                    return
                self._sleep(self.period - (now - self._starts[0]))


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base: float = 2.0  # TVMaze staff advise backing off about 2 s on a 429
    backoff_max: float = 60.0

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempt counts from 1)."""
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.backoff_max)
        exponential = self.backoff_base * 2 ** (attempt - 1)
        return min(exponential * (1 + random.random() / 4), self.backoff_max)  # jitter spreads retries


def describe(path: str, params: Mapping[str, object] | None, secret_params: Iterable[str] = ()) -> str:
    """`path?k=v` for messages and the lake's request records, with secret parameters masked."""
    if not params:
        return path
    hidden = set(secret_params)
    shown = "&".join(f"{k}={'***' if k in hidden else v}" for k, v in params.items())
    return f"{path}?{shown}"


class HttpSource:
    """GET with rate limiting and retries against one base URL."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        user_agent: str,
        rate_limiter: RateLimiter,
        retry: RetryPolicy = RetryPolicy(),
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        secret_params: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name, self.base_url = name, base_url.rstrip("/")
        self.rate_limiter, self.retry, self.timeout = rate_limiter, retry, timeout
        self.secret_params = tuple(secret_params)
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        self.session.headers.update(headers or {})

    def get(
        self,
        path: str,
        params: Mapping[str, object] | None = None,
        *,
        partition: str,
        ok_statuses: Iterable[int] = (),
    ) -> requests.Response:
        """The response of a successful GET (2xx or one of `ok_statuses`), else `SourceError`."""
        # Read the whole body inside the attempt, so a reset mid-body is retried here.
        return self._attempts(
            path, params, partition, set(ok_statuses), stream=False, consume=lambda response: response.content
        )[0]

    def download(
        self, path: str, consume: Callable[[Iterator[bytes]], T], *, partition: str, chunk_bytes: int = 1 << 20
    ) -> T:
        """Stream a large body, as received (no content decoding), into `consume`, never whole in memory.

        A connection that drops mid-body retries the whole body: `consume` must start over on each call.
        """

        def body(response: requests.Response) -> T:
            return consume(response.raw.stream(chunk_bytes, decode_content=False))

        return self._attempts(path, None, partition, set(), stream=True, consume=body)[1]

    def _attempts(
        self,
        path: str,
        params: Mapping[str, object] | None,
        partition: str,
        accepted: set[int],
        stream: bool,
        consume: Callable[[requests.Response], T],
    ) -> tuple[requests.Response, T]:
        what = f"{self.name}: partition {partition}: GET {describe(path, params, self.secret_params)}"
        cause = "no attempt made"
        for attempt in range(1, self.retry.max_attempts + 1):
            self.rate_limiter.acquire()
            retry_after = None
            try:
                response = self.session.get(self.base_url + path, params=params, timeout=self.timeout, stream=stream)  # type: ignore[arg-type]
                if response.ok or response.status_code in accepted:
                    with response:
                        return response, consume(response)
            except (*RETRYABLE_ERRORS, urllib3.exceptions.ProtocolError, urllib3.exceptions.ReadTimeoutError) as exc:
                # requests puts the full URL in its messages: mask secret parameters before keeping any
                cause = f"{type(exc).__name__}: {_short(self._redact(str(exc), params))}"
            else:
                cause = f"HTTP {response.status_code} {_short(self._redact(response.text, params))}".rstrip()
                if response.status_code not in RETRYABLE_STATUSES:
                    raise SourceError(f"{what} failed: {cause} (not retryable)")
                # X sends no Retry-After on a 429, only the epoch second its window resets
                retry_after = response.headers.get("Retry-After") or _until(response.headers.get("x-rate-limit-reset"))
            if attempt < self.retry.max_attempts:
                self._sleep(self.retry.delay(attempt, retry_after))
        raise SourceError(f"{what} failed after {self.retry.max_attempts} attempts: {cause}")

    def _redact(self, text: str, params: Mapping[str, object] | None) -> str:
        for key in self.secret_params:
            if params and (value := params.get(key)):
                text = text.replace(str(value), "***").replace(quote(str(value), safe=""), "***")
        return text


def _until(epoch_seconds: str | None) -> str | None:
    """Whole seconds from now until a Unix time given as text (at least 1), or None."""
    if not epoch_seconds or not epoch_seconds.strip().isdigit():
        return None
    return str(max(1, int(int(epoch_seconds) - time.time()) + 1))


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def as_line(body: bytes) -> bytes:
    """A JSON body on one line. JSON strings cannot hold raw line breaks, so dropping them keeps the meaning."""
    return body.replace(b"\r", b"").replace(b"\n", b"")
