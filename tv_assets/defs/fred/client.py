"""FRED: the CPI for admission to movies, theaters and concerts (series CUSR0000SS62031), monthly.

Two ways in: `fredgraph.csv` (no key) and the API's JSON (with `FRED_API_KEY`, masked in every
message). Both parse by position and meaning, not by header name: the CSV's date column was called
`DATE` until late 2024 and `observation_date` since, and a missing value is `.` or empty (BLS
cancelled the October 2025 CPI, so that month is missing for good).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from tv_assets.platform.http import (
    USER_AGENT,
    Fetched,
    HttpSource,
    PayloadError,
    RateLimiter,
    RetryPolicy,
    describe,
    parse_json,
)

SERIES = "CUSR0000SS62031"
GRAPH_URL = "https://fred.stlouisfed.org"
API_URL = "https://api.stlouisfed.org"
GRAPH_PATH = "/graph/fredgraph.csv"
API_PATH = "/fred/series/observations"
MISSING = {"", "."}

Observation = tuple[str, float | None]  # (first day of the month, ISO; the index value or None)


def _observation(day: str, value: str, what: str) -> Observation:
    try:
        month = date.fromisoformat(day.strip())
    except ValueError as error:
        raise PayloadError(f"{what}: {day!r} is not a date") from error
    if month.day != 1:
        raise PayloadError(f"{what}: {day} is not the first of a month (a monthly series)")
    text = value.strip()
    if text in MISSING:
        return month.isoformat(), None
    try:
        return month.isoformat(), float(text)
    except ValueError as error:
        raise PayloadError(f"{what}: value {text!r} of {day} is not a number") from error


def parse_graph_csv(body: bytes, what: str) -> list[Observation]:
    """fredgraph.csv: a header (`DATE` or `observation_date`, then the series id), then date,value rows."""
    try:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    except UnicodeDecodeError as error:
        raise PayloadError(f"{what}: not UTF-8 text") from error
    if not rows or len(rows[0]) != 2 or rows[0][1].strip() != SERIES:
        head = body[:80].decode("utf-8", "replace")
        raise PayloadError(f"{what}: not a fredgraph.csv of {SERIES} (begins {head!r})")
    bad = [n for n, row in enumerate(rows[1:], start=2) if len(row) != 2]
    if bad:
        raise PayloadError(f"{what}: line {bad[0]} does not hold a date and a value")
    return [_observation(day, value, what) for day, value in rows[1:]]


def parse_api_json(body: bytes, what: str) -> list[Observation]:
    """The API's `{"observations": [{"date", "value"}, ...]}`, value a string, `.` for missing."""
    payload = parse_json(body, what=what)
    observations = payload.get("observations") if isinstance(payload, dict) else None
    if not isinstance(observations, list) or not all(
        isinstance(o, dict) and "date" in o and "value" in o for o in observations
    ):
        raise PayloadError(f"{what}: not a FRED observations answer (`observations` with date and value expected)")
    return [_observation(str(o["date"]), str(o["value"]), what) for o in observations]


class FredClient:
    """One month's observation of the series, from the API when a key is given, else from fredgraph.csv."""

    def __init__(
        self,
        graph_url: str,
        api_url: str,
        api_key: str | None,
        retry: RetryPolicy,
        timeout: float,
        calls_per_s: int = 2,
    ) -> None:
        self.api_key = api_key
        # FRED allows 120 API requests a minute per key; fredgraph publishes no limit, so be as gentle.
        self.http = HttpSource(
            "fred",
            api_url if api_key else graph_url,
            user_agent=USER_AGENT,
            rate_limiter=RateLimiter(calls_per_s, 1.0),
            retry=retry,
            timeout=timeout,
            secret_params=("api_key",),
        )

    @property
    def filename(self) -> str:
        return "observations.json" if self.api_key else "fredgraph.csv"

    def month(self, month: str) -> Fetched:
        """The answer for the month starting `month` (YYYY-MM-01), as received."""
        if self.api_key:
            path, params = (
                API_PATH,
                {
                    "series_id": SERIES,
                    "api_key": self.api_key,
                    "file_type": "json",
                    "observation_start": month,
                    "observation_end": month,
                },
            )
        else:
            path, params = GRAPH_PATH, {"id": SERIES, "cosd": month, "coed": month}
        response = self.http.get(path, params, partition=month)
        return Fetched(f"GET {describe(path, params, ('api_key',))}", response.status_code, response.content)


def parse(filename: str, body: bytes, what: str) -> list[Observation]:
    """Either format, by the name the fetch stored it under."""
    return parse_api_json(body, what) if filename.endswith(".json") else parse_graph_csv(body, what)
