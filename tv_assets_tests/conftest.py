"""Shared fixtures: the sample API on 127.0.0.1 and an isolated lake + DuckDB per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from tv_assets.sample_api.server import SampleServer
from tv_assets_tests.stand_ins import moto_server


def pytest_configure(config: pytest.Config) -> None:
    """Test setup prepares the dbt manifest the code location reads (as `make manifest` does), before any
    test module imports the definitions: importing them never parses the project."""
    # The suite's deployment records from 2020 on: its tests materialize fixed days, whatever the machine's
    # own deployment (`$DAGSTER_HOME`) recorded. Set before any test module reads the partitions.
    os.environ["TV_ASSETS_START_DATE"] = "2020-01-01"
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # pytest-xdist's workers start after the controller prepared it: one parse, no two writers
    from tv_assets.platform.dbt import prepare

    prepare("duckdb")


# A test that uses any of these runs servers, assets or a warehouse: it is an integration test, whatever
# its module says, so the quick loop (`pytest -m "not integration"`) stays pure and fast.
INTEGRATION_FIXTURES = {"sample_server", "resources", "instance", "moto_url", "workspace"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
    # `make test` hands whole modules to its workers in this order: the modules of several minutes go
    # first, so none of them starts last and runs alone while the other workers sit idle.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(scope="session")
def sample_server() -> Iterator[SampleServer]:
    with SampleServer() as server:
        yield server


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3 API (moto) on 127.0.0.1 for the whole session; yields its endpoint URL."""
    with moto_server(tmp_path_factory.mktemp("moto")) as url:
        yield url


@pytest.fixture(autouse=True)
def _clear_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sample_server" in request.fixturenames:
        request.getfixturevalue("sample_server").faults.clear()


@pytest.fixture
def resources(tmp_path: Path, sample_server: SampleServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The embedded default (local lake, DuckDB file) in tmp_path, sources from the sample server.

    Retries back off in milliseconds so fault tests stay fast; the logic is the production one.
    """
    monkeypatch.setenv("TV_ASSETS_SOURCES", "sample")
    monkeypatch.setenv("TV_ASSETS_SAMPLE_URL", sample_server.url)
    monkeypatch.setenv("TV_ASSETS_LAKE_DIR", str(tmp_path / "lake"))
    monkeypatch.setenv("TV_ASSETS_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    from tv_assets.definitions import build_resources
    from tv_assets.defs.tvmaze.resource import TVMazeResource
    from tv_assets.platform.settings import load_settings
    from tv_assets_tests.pipeline import SAMPLE_CALLS_PER_10S, sample_base

    built = build_resources(load_settings())
    built["tvmaze"] = TVMazeResource(
        base_url=sample_base("tvmaze"), calls_per_10s=SAMPLE_CALLS_PER_10S, backoff_base_s=0.01, max_attempts=3
    )
    return built


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance
