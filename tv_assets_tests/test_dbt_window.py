"""How a partition window reaches dbt without costing a full parse: the window in the environment of
the one dbt process, and the project's saved parse carried into and out of each build's folder."""

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from tv_assets.platform.dbt import (
    PARTIAL_PARSE,
    SAVED_PARSES_KEPT,
    dbt_env,
    keep_parse,
    parse_report,
    saved_parse,
    with_saved_parse,
)


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


def test_each_build_starts_from_its_warehouses_saved_parse_and_a_successful_one_refreshes_it(tmp_path: Path) -> None:
    project = SimpleNamespace(project_dir=tmp_path, target_path=Path("target") / "duckdb")  # what the helpers read
    here, there = {"TV_ASSETS_DUCKDB_PATH": "/here.duckdb"}, {"TV_ASSETS_DUCKDB_PATH": "/there.duckdb"}
    folder = tmp_path / "target" / "duckdb"
    first = with_saved_parse(project, "run-1-abcdef", here)
    assert first.is_dir() and not (first / PARTIAL_PARSE).exists()  # nothing saved yet: dbt parses in full
    (first / PARTIAL_PARSE).write_bytes(b"parse here")
    keep_parse(first, project, here)
    assert saved_parse(project, here).read_bytes() == b"parse here"
    second = with_saved_parse(project, "run-2-abcdef", here)
    assert second != first and (second / PARTIAL_PARSE).read_bytes() == b"parse here"
    # Another warehouse's build neither starts from this one's parse nor replaces it.
    (folder / PARTIAL_PARSE).write_bytes(b"parse of make manifest")
    other = with_saved_parse(project, "run-3-abcdef", there)
    assert (other / PARTIAL_PARSE).read_bytes() == b"parse of make manifest"  # the prepared one, as a start
    (other / PARTIAL_PARSE).write_bytes(b"parse there")
    keep_parse(other, project, there)
    assert (with_saved_parse(project, "run-4-abcdef", here) / PARTIAL_PARSE).read_bytes() == b"parse here"
    assert (with_saved_parse(project, "run-5-abcdef", there) / PARTIAL_PARSE).read_bytes() == b"parse there"
    # A warehouse with nothing of its own in the profile (Snowflake's comes from the deployment): the one file.
    assert saved_parse(project, {}) == folder / PARTIAL_PARSE
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no staged copy left


def test_only_the_most_recently_saved_warehouse_parses_are_kept(tmp_path: Path) -> None:
    project = SimpleNamespace(project_dir=tmp_path, target_path=Path("target") / "duckdb")
    profiles = [{"TV_ASSETS_DUCKDB_PATH": f"/w{i}.duckdb"} for i in range(SAVED_PARSES_KEPT + 3)]
    for i, profile in enumerate(profiles):
        build = with_saved_parse(project, f"run-{i}-abcdef", profile)
        (build / PARTIAL_PARSE).write_bytes(f"parse {i}".encode())
        keep_parse(build, project, profile)
        os.utime(saved_parse(project, profile), (1_000_000 + i, 1_000_000 + i))  # saved in this order
    kept = [profile for profile in profiles if saved_parse(project, profile).exists()]
    assert kept == profiles[-SAVED_PARSES_KEPT:]


def dbt_log_line(name: str, msg: str, level: str = "debug") -> str:
    """One line of dbt's JSON log, shaped as dbt-core 1.11 writes it (only the fields read are checked)."""
    info = {"category": "", "code": "I040", "extra": {}, "invocation_id": "f90c6029", "level": level, "msg": msg}
    return json.dumps({"data": {}, "info": {**info, "name": name, "pid": 1960, "thread": "MainThread"}})


def test_the_parse_report_reads_dbts_own_events_and_the_last_one_wins(tmp_path: Path) -> None:
    log = tmp_path / "dbt.log"
    start = [
        dbt_log_line("MainReportVersion", "Running with dbt=1.11.16", "info"),
        dbt_log_line("MainReportArgs", "running dbt with arguments {'partial_parse': 'True'}"),
        "not json: a line dbt's adapter printed",
    ]
    cases = {
        "partial: Partial parsing enabled, no changes found, skipping parsing": [
            dbt_log_line(
                "PartialParsingEnabled", "Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed."
            ),
            dbt_log_line("PartialParsingSkipParsing", "Partial parsing enabled, no changes found, skipping parsing"),
        ],
        "full: Unable to do partial parsing because profile has changed": [
            dbt_log_line("UnableToPartialParse", "Unable to do partial parsing because profile has changed", "info"),
        ],
        # dbt began with the saved parse, then met an error in it and parsed everything
        "full: Unable to do partial parsing because an error occurred. Switching to full reparse.": [
            dbt_log_line(
                "PartialParsingEnabled", "Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed."
            ),
            dbt_log_line(
                "UnableToPartialParse",
                "Unable to do partial parsing because an error occurred. Switching to full reparse.",
            ),
        ],
        "unknown: dbt's log has no parse event": [],
    }
    for expected, events in cases.items():
        log.write_text("\n".join([*start, *events, dbt_log_line("CommandCompleted", "Command `dbt build` succeeded")]))
        assert parse_report(log) == expected
    assert parse_report(tmp_path / "missing" / "dbt.log") == "unknown: dbt's log has no parse event"
