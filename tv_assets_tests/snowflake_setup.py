"""The repository's Snowflake setup SQL, rendered and split the way SnowSQL runs it."""

from __future__ import annotations

import re
from pathlib import Path

from tv_assets.platform.settings import PROJECT_ROOT

SETUP_SQL = PROJECT_ROOT / "deploy" / "snowflake" / "setup.sql"

# Account-level objects a single-database stand-in has no notion of: checked for syntax only.
ACCOUNT_LEVEL = re.compile(r"^(use role|create role|grant|create warehouse|create storage integration)\b", re.I)


def setup_statements(variables: dict[str, str], path: Path = SETUP_SQL) -> list[str]:
    """The file's statements with SnowSQL's `&{name}` variables substituted (all must be given)."""
    text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("--"))

    def substitute(match: re.Match) -> str:
        if match.group(1) not in variables:
            raise KeyError(f"{path.name} uses &{{{match.group(1)}}}, which was not given")
        return variables[match.group(1)]

    text = re.sub(r"&\{(\w+)\}", substitute, text)
    return [" ".join(part.split()) for part in text.split(";") if part.strip()]
