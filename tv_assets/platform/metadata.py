"""Small renderers for materialization metadata, so the UI tells the story of a run."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg


def window_metadata(
    context: dg.AssetExecutionContext,
    counts: Mapping[str, int],
    label: str,
    started: float,
    asset_key: dg.AssetKey | Sequence[str] | None = None,
    **run: Any,
) -> dict[str, Any]:
    """What every fetch and load reports. Each partition's own count goes on that partition's
    materialization (`dagster/row_count` and `label`): a range run yields one materialization per
    partition, and each must describe its own day. The dict returned is attached to every partition of
    the run, so it holds only what the run did as a whole, each name under `run/`: the partitions done,
    the time since `started` (a `time.perf_counter()` reading), the table of counts per partition, and
    `run` (`asset_key`: the asset of a multi-asset these figures are for)."""
    for day, count in counts.items():
        context.add_asset_metadata({"dagster/row_count": count, label: count}, asset_key=asset_key, partition_key=day)
    return {
        "run/partitions": len(counts),
        "run/duration_s": round(time.perf_counter() - started, 2),
        f"run/{label}_per_partition": dg.MetadataValue.md(counts_table(counts, label)),
        **{f"run/{name}": value for name, value in run.items()},
    }


# The columns every raw table carries besides its data, described once for the column schemas.
RAW_COLUMNS = {
    "payload": "One item of the lake payload, the JSON exactly as received.",
    "partition_date": "The partition (UTC day, or a month's first day) the row belongs to.",
    "_loaded_at": "When the load wrote the row.",
    "_source_uri": "The lake file the row was read from.",
}


def column_schema(columns: Sequence[tuple[str, str]], descriptions: Mapping[str, str]) -> dg.TableSchema:
    """`dagster/column_schema` from a table's (column, type) as the warehouse holds them, with the
    columns' descriptions where known: the UI lists each column with its real type."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, data_type, description=descriptions.get(name.lower())) for name, data_type in columns
        ]
    )


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
