"""FRED's CPI: both formats parsed by position and meaning, missing months kept as null, the API key
masked, and a month FRED has not published refused clearly."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tv_assets.defs.fred.client import parse_api_json, parse_graph_csv
from tv_assets.defs.fred.resource import FredResource
from tv_assets.platform.http import PayloadError
from tv_assets.platform.lake import partition_key
from tv_assets.platform.partitions import range_tags
from tv_assets.runs import ALL_ASSETS
from tv_assets.sample_api.server import SampleServer
from tv_assets_tests.pipeline import failure_message, sample_base, sample_workspace

FRED = dg.AssetSelection.groups("fred")


@pytest.mark.parametrize("header", ["DATE", "observation_date"])
def test_fredgraph_csv_parses_by_position_under_either_header(header: str) -> None:
    body = f"{header},CUSR0000SS62031\n2025-09-01,175.101\n2025-10-01,.\n2025-11-01,\n".encode()
    assert parse_graph_csv(body, "t") == [("2025-09-01", 175.101), ("2025-10-01", None), ("2025-11-01", None)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<!DOCTYPE html><html>Error</html>", "not a fredgraph.csv"),
        (b"DATE,CPIAUCSL\n2025-09-01,1\n", "not a fredgraph.csv"),
        (b"DATE,CUSR0000SS62031\n2025-09-15,1\n", "not the first of a month"),
        (b"DATE,CUSR0000SS62031\n2025-09-01,n/a\n", "is not a number"),
        (b"DATE,CUSR0000SS62031\n2025-09-01\n", "does not hold a date and a value"),
    ],
)
def test_fredgraph_csv_that_is_not_the_series_fails_naming_what(body: bytes, message: str) -> None:
    with pytest.raises(PayloadError, match=message):
        parse_graph_csv(body, "fred CUSR0000SS62031, partition 2025-09-01")


def test_api_json_value_is_a_string_and_dot_is_missing() -> None:
    body = json.dumps(
        {"observations": [{"date": "2025-10-01", "value": "."}, {"date": "2025-11-01", "value": "174.2"}]}
    )
    assert parse_api_json(body.encode(), "t") == [("2025-10-01", None), ("2025-11-01", 174.2)]
    with pytest.raises(PayloadError, match="not a FRED observations answer"):
        parse_api_json(b'{"error_code": 400, "error_message": "Bad Request."}', "t")


def _run(resources: dict, first: str, last: str, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    with dg.instance_for_test() as instance:
        return dg.materialize(
            ALL_ASSETS,
            selection=FRED,
            resources=resources,
            instance=instance,
            tags=range_tags(first, last),
            raise_on_error=raise_on_error,
        )


@pytest.mark.integration
@pytest.mark.parametrize("api_key", [None, "0123456789abcdef0123456789abcdef"])
def test_months_load_with_the_cancelled_october_2025_as_null(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, api_key: str | None
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    resources["fred"] = FredResource(
        graph_url=sample_base("fred"), api_url=sample_base("fred-api"), api_key=api_key, calls_per_s=100
    )
    assert _run(resources, "2025-08-01", "2025-11-01").success
    with duckdb.connect(resources["warehouse"].path, read_only=True) as con:
        rows = con.execute("select observation_month, cpi from staging.stg_fred__cpi order by 1").fetchall()
    assert [r[0] for r in rows] == [date(2025, m, 1) for m in (8, 9, 10, 11)]
    assert [r[1] is None for r in rows] == [False, False, True, False]
    file = "observations.json" if api_key else "fredgraph.csv"
    record = resources["lake"].get(partition_key("fred", "cpi", "2025-10-01", "_request.json")).decode()
    assert json.loads(record)["file"] == file and resources["lake"].exists(
        partition_key("fred", "cpi", "2025-10-01", file)
    )
    if api_key:
        assert api_key not in record and "api_key=***" in record  # the key never reaches the lake


@pytest.mark.integration
def test_a_month_not_yet_published_fails_saying_so(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    month = date.today().replace(day=1).isoformat()  # the sample publishes through last month, as BLS does
    result = _run(resources, month, month, raise_on_error=False)
    assert not result.success
    assert f"partition {month}: FRED has not published this month yet" in failure_message(result)
    assert not resources["lake"].exists(partition_key("fred", "cpi", month, "fredgraph.csv"))
