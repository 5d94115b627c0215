"""What every source's sample routes share: JSON bodies, the as-of-day path, and the mount protocol.

A source's `tv_assets/defs/<source>/sample.py` defines `PREFIXES` (the first path segments it serves,
`("tvmaze",)`) and `mount(seed)`, which returns an object with `serve(path, query, headers)` answering
`(status, body)` for a path under its prefix. The sample server finds them; nothing lists them by hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Protocol


class Mounted(Protocol):
    def serve(self, path: str, query: dict[str, str], headers: Mapping[str, str]) -> tuple[int, bytes]: ...


def as_of(path: str) -> tuple[date | None, str]:
    """`/<YYYY-MM-DD>/rest` -> (that day, `/rest`): the day a present-only API is asked as of; else (None, path)."""
    if match := re.match(r"^/(\d{4}-\d{2}-\d{2})(/.*)$", path):
        try:
            return date.fromisoformat(match.group(1)), match.group(2)
        except ValueError:
            pass
    return None, path


def dump(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
