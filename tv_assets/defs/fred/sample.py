"""FRED's CPI series CUSR0000SS62031, generated: fredgraph.csv and the API's JSON answer.

Monthly from 1978, rising about 3% a year with noise, and October 2025 missing (`.`), as BLS
cancelled that month's CPI. The CSV header is today's `observation_date` unless `legacy_header`.
"""

import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from tv_assets.defs.fred.client import SERIES
from tv_assets.sample_api.common import dump

FIRST_MONTH = date(1978, 1, 1)
CANCELLED = "2025-10-01"


def _months(last: date) -> list[str]:
    months, year, month = [], FIRST_MONTH.year, FIRST_MONTH.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1).isoformat())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def series(last: date, seed: int = 42) -> dict[str, str]:
    """Every month up to `last` (a month is published in the next one) -> the value as FRED writes it."""
    rng, level, values = random.Random(seed), 40.0, {}
    for month in _months(last):
        level *= 1 + rng.gauss(0.0025, 0.002)
        values[month] = "." if month == CANCELLED else f"{level:.3f}"
    return values


def window(values: dict[str, str], start: str, end: str) -> list[tuple[str, str]]:
    return [(m, v) for m, v in values.items() if (not start or m >= start) and (not end or m <= end)]


def graph_csv(rows: list[tuple[str, str]], legacy_header: bool = False) -> bytes:
    header = "DATE" if legacy_header else "observation_date"
    return (f"{header},{SERIES}\n" + "".join(f"{m},{'' if v == '.' else v}\n" for m, v in rows)).encode()


def api_json(rows: list[tuple[str, str]], start: str, end: str) -> bytes:
    return json.dumps(
        {
            "realtime_start": date.today().isoformat(),
            "observation_start": start,
            "observation_end": end,
            "units": "lin",
            "output_type": 1,
            "file_type": "json",
            "order_by": "observation_date",
            "sort_order": "asc",
            "count": len(rows),
            "offset": 0,
            "limit": 100000,
            "observations": [
                {
                    "realtime_start": date.today().isoformat(),
                    "realtime_end": date.today().isoformat(),
                    "date": m,
                    "value": v,
                }
                for m, v in rows
            ],
        }
    ).encode()


PREFIXES = ("fred", "fred-api")


@dataclass
class FredRoutes:
    seed: int

    def serve(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]:
        # fred.stlouisfed.org under /fred, api.stlouisfed.org under /fred-api; published through last month.
        today = date.today()
        values = series(date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1), self.seed)
        if path == "/fred/graph/fredgraph.csv":
            if query.get("id") != SERIES:
                return 404, b"<html><body>Series not found</body></html>"
            return 200, graph_csv(window(values, query.get("cosd", ""), query.get("coed", "")))
        if path == "/fred-api/fred/series/observations":
            if not re.fullmatch(r"[a-z0-9]{32}", query.get("api_key", "")):
                return 400, dump(
                    {
                        "error_code": 400,
                        "error_message": "Bad Request.  The value for variable "
                        "api_key is not a 32 character alpha-numeric lower-case string.",
                    }
                )
            start, end = query.get("observation_start", ""), query.get("observation_end", "")
            return 200, api_json(window(values, start, end), start, end)
        return 404, b"<html><body>Not found</body></html>"


def mount(seed: int) -> FredRoutes:
    return FredRoutes(seed)
