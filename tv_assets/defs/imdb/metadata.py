"""What `imdb_title_changes`' materialization reports beyond its rows: the titles its documented rule leaves out."""

from collections.abc import Sequence
from typing import Any

from tv_assets.platform.warehouse import Warehouse


def imdb_left_out(warehouse: Warehouse, where: str, params: Sequence[Any]) -> dict[str, int]:
    """Titles of the kept types the history leaves out by its documented rule, in the partition's dumps:
    flagged adult, or an isAdult that is neither 0 nor 1 (a year where a shifted row put one). Counted by
    `imdb_snapshots` in its one pass over title.basics, so every title of the dump is accounted for."""
    adult, malformed = warehouse.query(
        "select coalesce(sum(titles_left_out_adult), 0), coalesce(sum(titles_left_out_is_adult_not_0_or_1), 0)"
        f" from marts.imdb_snapshots where {where}",
        params,
    )[0]
    return {"left_out/adult": int(adult), "left_out/is_adult_not_0_or_1": int(malformed)}
