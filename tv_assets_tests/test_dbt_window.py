"""How a partition window reaches dbt without costing a full parse: the window in the environment of
the one dbt process, and the project's saved parse carried into and out of each build's folder."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tv_assets.platform.dbt import PARTIAL_PARSE, dbt_env, keep_parse, with_saved_parse


def test_the_window_and_the_warehouse_path_are_in_the_environment_only_while_dbt_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TV_ASSETS_MAX_DATE", "1999-01-01")  # a value of the caller's, put back after
    monkeypatch.delenv("TV_ASSETS_MIN_DATE", raising=False)
    monkeypatch.delenv("TV_ASSETS_DUCKDB_PATH", raising=False)
    with dbt_env({"min_date": "2026-11-01", "max_date": "2026-11-08"}, {"TV_ASSETS_DUCKDB_PATH": "/w.duckdb"}):
        assert (os.environ["TV_ASSETS_MIN_DATE"], os.environ["TV_ASSETS_MAX_DATE"]) == ("2026-11-01", "2026-11-08")
        assert os.environ["TV_ASSETS_DUCKDB_PATH"] == "/w.duckdb"
    assert "TV_ASSETS_MIN_DATE" not in os.environ and os.environ["TV_ASSETS_MAX_DATE"] == "1999-01-01"
    assert "TV_ASSETS_DUCKDB_PATH" not in os.environ


def test_each_build_starts_from_the_saved_parse_and_a_successful_one_refreshes_it(tmp_path: Path) -> None:
    project = SimpleNamespace(project_dir=tmp_path, target_path=Path("target") / "duckdb")  # what the helpers read
    saved = tmp_path / "target" / "duckdb" / PARTIAL_PARSE
    first = with_saved_parse(project, "run-1-abcdef")
    assert first.is_dir() and not (first / PARTIAL_PARSE).exists()  # nothing saved yet: dbt parses in full
    (first / PARTIAL_PARSE).write_bytes(b"parse 1")
    keep_parse(first, project)
    assert saved.read_bytes() == b"parse 1"
    second = with_saved_parse(project, "run-2-abcdef")
    assert second != first and (second / PARTIAL_PARSE).read_bytes() == b"parse 1"
    assert [p.name for p in saved.parent.iterdir() if p.name.startswith(".")] == []  # no staged copy left
