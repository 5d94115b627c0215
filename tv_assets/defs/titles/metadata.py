"""What the title graph's materialization (`int_titles__link_changes`, the links it stores) reports for
each day: how often each source's titles carry each other source's id (per source pair), and how the
name-and-year match fared (linked, ambiguous, conflicting). Read from the day's state (the views
`dim_title_daily` and `int_titles__links`), not from its changes alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg

from tv_assets.platform.warehouse import Warehouse

# dim_title_daily's id columns, by source, in the order the tables show them.
ID_COLUMNS = {
    "imdb": "imdb_id",
    "tmdb_tv": "tmdb_tv_id",
    "tvmaze": "tvmaze_id",
    "tmdb_movie": "tmdb_movie_id",
    "movielens": "movielens_id",
    "letterboxd": "letterboxd_id",
}
OUTCOMES = ("title_year", "ambiguous", "conflict")


def pair_counts_sql(where: str) -> str:
    """One row: titles with each source's id, and titles with both ids of each ordered pair."""
    singles = [f"count({column})" for column in ID_COLUMNS.values()]
    pairs = [
        f"count(case when {a} is not null and {b} is not null then 1 end)"
        for a in ID_COLUMNS.values()
        for b in ID_COLUMNS.values()
        if a < b
    ]
    return f"select {', '.join(singles + pairs)} from marts.dim_title_daily where {where}"


def pair_rates(counts: Sequence[int]) -> dict[tuple[str, str], float | None]:
    """(a, b) -> the share of titles with an `a` id that also have a `b` id (None when `a` has none)."""
    sources, columns = list(ID_COLUMNS), list(ID_COLUMNS.values())
    singles = dict(zip(sources, counts[: len(sources)], strict=True))
    pairs = iter(counts[len(sources) :])
    both = {
        (a, b): next(pairs)
        for a, ca in zip(sources, columns, strict=True)
        for b, cb in zip(sources, columns, strict=True)
        if ca < cb
    }
    both |= {(b, a): n for (a, b), n in list(both.items())}
    return {
        (a, b): (round(both[a, b] / singles[a], 4) if singles[a] else None) for a in sources for b in sources if a != b
    }


def rates_table(rates: Mapping[tuple[str, str], float | None]) -> str:
    """Markdown: one row per source, one column per other source, the share of the row's titles linked."""
    sources = list(ID_COLUMNS)
    lines = ["| titles with … also have → | " + " | ".join(sources) + " |", "|---|" + "---|" * len(sources)]
    for a in sources:
        cells = ["—" if a == b else ("" if rates[a, b] is None else f"{rates[a, b]:.1%}") for b in sources]
        lines.append(f"| {a} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def title_match_metadata(warehouse: Warehouse, where: str, params: Sequence[Any]) -> dict[str, Any]:
    rates = pair_rates(warehouse.query(pair_counts_sql(where), params)[0])
    outcomes = warehouse.query(
        f"select source, match_method, count(*) from staging.int_titles__links where {where}"
        f" and match_method in ({', '.join(repr(o) for o in OUTCOMES)}) group by source, match_method",
        params,
    )
    by_outcome = {outcome: sum(n for _, method, n in outcomes if method == outcome) for outcome in OUTCOMES}
    table = ["| source | " + " | ".join(OUTCOMES) + " |", "|---|" + "---|" * len(OUTCOMES)]
    for source in ID_COLUMNS:
        table.append(
            f"| {source} | "
            + " | ".join(str(sum(n for s, m, n in outcomes if s == source and m == o)) for o in OUTCOMES)
            + " |"
        )
    return {
        "match_rates": dg.MetadataValue.md(rates_table(rates)),
        **{f"linked_to_imdb/{source}": rates[source, "imdb"] for source in ID_COLUMNS if source != "imdb"},
        "name_matched": by_outcome["title_year"],
        "ambiguous_left_unlinked": by_outcome["ambiguous"],
        "conflicts_left_unlinked": by_outcome["conflict"],
        "name_match_outcomes": dg.MetadataValue.md("\n".join(table)),
    }
