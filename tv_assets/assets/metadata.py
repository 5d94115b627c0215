"""Small renderers for materialization metadata, so the UI tells the story of a run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def counts_table(counts: Mapping[str, int], label: str) -> str:
    """A Markdown table of per-partition counts."""
    rows = "\n".join(f"| {day} | {n} |" for day, n in counts.items())
    return f"| partition | {label} |\n|---|---|\n{rows}"


def preview_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table of a few rows, for a mart's preview."""
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns)
    body = "\n".join("| " + " | ".join("" if v is None else str(v).replace("|", "\\|") for v in row) + " |" for row in rows)
    return f"{head}\n{body}"
