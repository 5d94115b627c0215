"""The three switches of ARCHITECTURE.md, read from the environment in one place.

| variable              | values             | default   |
| `TV_ASSETS_LAKE`      | local, s3          | local     |
| `TV_ASSETS_WAREHOUSE` | duckdb, snowflake  | duckdb    |
| `TV_ASSETS_SOURCES`   | live, sample       | live      |

Local paths default under `./data` of the working directory and are made absolute here, because
dbt runs from `dbt/` and must find the same DuckDB file (it reads `TV_ASSETS_DUCKDB_PATH`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"

CHOICES = {
    "TV_ASSETS_LAKE": ("local", "s3"),
    "TV_ASSETS_WAREHOUSE": ("duckdb", "snowflake"),
    "TV_ASSETS_SOURCES": ("live", "sample"),
}


def _choice(name: str) -> str:
    value = os.environ.get(name, CHOICES[name][0]).strip().lower()
    if value not in CHOICES[name]:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(CHOICES[name])}")
    return value


@dataclass(frozen=True)
class Settings:
    lake: str
    warehouse: str
    sources: str
    lake_dir: Path
    duckdb_path: Path

    @property
    def dbt_target(self) -> str:
        return os.environ.get("TV_ASSETS_DBT_TARGET", self.warehouse)


def load_settings() -> Settings:
    settings = Settings(
        lake=_choice("TV_ASSETS_LAKE"),
        warehouse=_choice("TV_ASSETS_WAREHOUSE"),
        sources=_choice("TV_ASSETS_SOURCES"),
        lake_dir=Path(os.environ.get("TV_ASSETS_LAKE_DIR", "data/lake")).resolve(),
        duckdb_path=Path(os.environ.get("TV_ASSETS_DUCKDB_PATH", "data/warehouse.duckdb")).resolve(),
    )
    os.environ["TV_ASSETS_DUCKDB_PATH"] = str(settings.duckdb_path)  # what dbt's profile reads
    # dbt is a console script of this interpreter's environment; find it even when the venv is not activated.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    return settings
