"""What `imdb_titles`' materialization reports beyond its rows: the titles its documented rule leaves out."""

from collections.abc import Sequence
from typing import Any

from tv_assets.platform.dbt import project_vars
from tv_assets.platform.warehouse import Warehouse


def imdb_left_out(warehouse: Warehouse, where: str, params: Sequence[Any]) -> dict[str, int]:
    """Titles of the kept types that `imdb_titles` leaves out by its documented rule: flagged adult, or an
    isAdult that is neither 0 nor 1 (a year where a shifted row put one). One more read of title.basics'
    two columns (the view reads the lake file), so every title of the dump is accounted for."""
    types = ", ".join(f"'{t}'" for t in project_vars()["imdb_title_types"])
    adult, malformed = warehouse.query(
        "select count(case when is_adult then 1 end), count(case when is_adult is null then 1 end)"
        f" from staging.stg_imdb__title_basics where {where} and title_type in ({types})",
        params,
    )[0]
    return {"left_out/adult": adult, "left_out/is_adult_not_0_or_1": malformed}
