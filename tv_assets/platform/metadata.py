"""Small renderers for materialization metadata, so the UI tells the story of a run."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg


def window_metadata(counts: Mapping[str, int], label: str, started: float, **extra: Any) -> dict[str, Any]:
    """What every fetch and load reports for its window: the total, the partitions done, the time since
    `started` (a `time.perf_counter()` reading), a per-partition table of `label`, and `extra`."""
    return {
        "dagster/row_count": sum(counts.values()),
        "partitions": len(counts),
        "duration_s": round(time.perf_counter() - started, 2),
        f"{label}_per_day": dg.MetadataValue.md(counts_table(counts, label)),
        **extra,
    }


def counts_table(counts: Mapping[str, int], label: str) -> str:
    """A Markdown table of per-partition counts."""
    rows = "\n".join(f"| {day} | {n} |" for day, n in counts.items())
    return f"| partition | {label} |\n|---|---|\n{rows}"


def preview_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table of a few rows, for a mart's preview."""
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns)
    body = "\n".join(
        "| " + " | ".join("" if v is None else str(v).replace("|", "\\|") for v in row) + " |" for row in rows
    )
    return f"{head}\n{body}"


def bar_chart(title: str, rows: Sequence[tuple[Any, float | int | None]], width: int = 30) -> str:
    """A Markdown bar chart (one row per label), readable in the UI's metadata panel."""
    values = [v or 0 for _, v in rows]
    top = max(values, default=0) or 1
    lines = [f"**{title}**", "", "| | | |", "|---|---|---|"]
    for (label, _), value in zip(rows, values, strict=True):
        lines.append(f"| {label} | `{'█' * round(width * value / top)}` | {value} |")
    return "\n".join(lines)
