"""The tracked shows: the dbt seed `tracked_shows` is the one list, read here for the fetches.

Analysts edit `dbt/seeds/trending/tracked_shows.csv` (TMDB id, name, hashtag, alternate hashtags separated by
spaces); the next run fetches TMDB details and X counts for every row, with no code change.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from tv_assets.platform.settings import DBT_PROJECT_DIR

SEED = DBT_PROJECT_DIR / "seeds" / "trending" / "tracked_shows.csv"


@dataclass(frozen=True)
class TrackedShow:
    tmdb_id: int
    name: str
    hashtags: tuple[str, ...]

    @property
    def hashtag_query(self) -> str:
        """X query for any of the show's hashtags: `#A OR #B`."""
        return " OR ".join(self.hashtags)

    @property
    def text_query(self) -> str:
        """X query for the show's name as a phrase (quotes inside the name are dropped)."""
        return '"' + self.name.replace('"', "") + '"'


def tracked_shows(path: Path = SEED) -> list[TrackedShow]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    shows, seen = [], set()
    for line, row in enumerate(rows, 2):
        try:
            tmdb_id = int(row["tmdb_id"])
        except (TypeError, ValueError):
            raise ValueError(f"{path.name} line {line}: tmdb_id {row.get('tmdb_id')!r} is not an integer") from None
        tags = tuple(t for t in [row["hashtag"], *(row.get("alt_hashtags") or "").split()] if t)
        if tmdb_id in seen or not row["show_name"].strip() or not all(t.startswith("#") and len(t) > 1 for t in tags):
            raise ValueError(f"{path.name} line {line}: duplicate id, empty name or a hashtag without '#'")
        seen.add(tmdb_id)
        shows.append(TrackedShow(tmdb_id, row["show_name"].strip(), tags))
    return shows
