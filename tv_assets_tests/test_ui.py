"""The Dagster UI over a demo's state, in a real browser: lineage, partitions and checks as users see them.

Starts `dagster-webserver` on 127.0.0.1 over a DAGSTER_HOME filled by `python -m tv_assets.demo`,
asks its GraphQL API, and opens it in headless Chromium. The screenshot is kept in
`tv_assets_tests/artifacts/lineage.png`.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import requests

from tv_assets.defs.dbt.assets import Manifest
from tv_assets.platform.dbt import dbt_project
from tv_assets.platform.partitions import arrival_partitions, daily_partitions, monthly_partitions
from tv_assets.platform.settings import PROJECT_ROOT
from tv_assets.runs import ALL_ASSETS
from tv_assets.sample_api.server import SampleServer
from tv_assets_tests.pipeline import FRESHNESS_CHECKS

pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).parent / "artifacts"
DAYS = 2
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--virtual-time-budget=20000",
]

if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip("Chromium is not installed (scripts/ensure-chromium installs it)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(sample_server: SampleServer) -> Iterator[str]:
    assert CHROMIUM, "CI must install Chromium (scripts/ensure-chromium) for the UI test"
    home = Path(tempfile.mkdtemp(prefix="tv_assets_ui_"))
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home / "dagster_home"),
        "TV_ASSETS_SOURCES": "sample",
        "TV_ASSETS_SAMPLE_URL": sample_server.url,
        "TV_ASSETS_LAKE_DIR": str(home / "lake"),
        "TV_ASSETS_DUCKDB_PATH": str(home / "warehouse.duckdb"),
    }
    (home / "dagster_home").mkdir()
    subprocess.run([sys.executable, "-m", "tv_assets.deploy"], env=env, check=True, cwd=PROJECT_ROOT)
    subprocess.run(
        [sys.executable, "-m", "tv_assets.demo", "--days", str(DAYS)],
        env=env,
        check=True,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
    )
    _run_freshness_checks(env)

    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/server_info", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, "dagster-webserver exited during start-up"
            time.sleep(1)
        else:
            pytest.fail("dagster-webserver did not answer within 120 s")
        _graphql(url, "mutation { setNuxSeen }")  # the first-visit modal would cover the graph
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def _run_freshness_checks(env: dict[str, str]) -> None:
    """What the freshness sensor does on its first tick, so every check has a result."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from tv_assets.definitions import build_resources
        from tv_assets.platform.settings import load_settings

        with dg.DagsterInstance.get() as instance:
            dg.materialize(
                [*ALL_ASSETS, *FRESHNESS_CHECKS],
                selection=dg.AssetSelection.checks(*FRESHNESS_CHECKS),
                instance=instance,
                resources=build_resources(load_settings()),
            )
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _graphql(url: str, query: str) -> dict:
    response = requests.post(f"{url}/graphql", json={"query": query}, timeout=30)
    body = response.json()
    assert response.ok and "errors" not in body, body
    return body["data"]


def _chromium(*args: str) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="chromium_")
    try:
        return subprocess.run(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=120,
            check=True,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


EXPECTED = {key.to_user_string(): a for a in ALL_ASSETS for key in a.keys}
# The demo fills the daily assets for DAYS days, the CPI's months since 1999, and one arrival day (its drops).
MATERIALIZED = {
    daily_partitions: DAYS,
    monthly_partitions: len(monthly_partitions.get_partition_keys()),
    arrival_partitions: 1,
}
# Raw tables whose rows are checked before they load: the quarantines hold what was set aside (their
# count is the archive's metadata), and a CPI month is one value parsed and checked from the lake.
NO_CHECKS = {"raw/letterboxd_quarantine", "raw/movies_quarantine", "raw/fred_cpi"}
NODES = """{ assetNodes { assetKey { path } groupName dependencyKeys { path }
    partitionStats { numMaterialized numFailed }
    assetChecksOrError { ... on AssetChecks { checks { name executionForLatestMaterialization { status } } } } } }"""


def test_graphql_shows_every_group_the_whole_lineage_filled_partitions_and_passing_checks(webserver: str) -> None:
    nodes = {"/".join(n["assetKey"]["path"]): n for n in _graphql(webserver, NODES)["assetNodes"]}
    assert set(nodes) == set(EXPECTED)
    groups = {a.group_names_by_key[k] for a in ALL_ASSETS for k in a.keys}
    assert {n["groupName"] for n in nodes.values()} == groups
    for key, assets_def in EXPECTED.items():
        node = nodes[key]
        asset_key = dg.AssetKey.from_user_string(key)
        expected_deps = {d.to_user_string() for d in assets_def.asset_deps[asset_key]}
        assert {"/".join(d["path"]) for d in node["dependencyKeys"]} == expected_deps, key
        expected_partitions = MATERIALIZED[assets_def.partitions_def]
        assert node["partitionStats"]["numMaterialized"] == expected_partitions, key
        assert node["partitionStats"]["numFailed"] == 0, key
        statuses = {
            c["name"]: (c["executionForLatestMaterialization"] or {}).get("status")
            for c in node["assetChecksOrError"]["checks"]
        }
        # Staging views over the lake (IMDB) have none: a test would read every day's dump at each build.
        if (
            key.startswith(("raw/", "staging/", "marts/"))
            and key.split("/")[-1] not in Manifest(dbt_project("duckdb")).views
            and key not in NO_CHECKS
        ):
            assert statuses, f"{key} has no checks"
        assert all(s == "SUCCEEDED" for s in statuses.values()), (key, statuses)


def test_the_browser_renders_every_asset_and_the_lineage_graph(webserver: str) -> None:
    groups = {a.group_names_by_key[k] for a in ALL_ASSETS for k in a.keys}
    dom = "".join(
        _chromium(
            "--window-size=1600,3000", "--dump-dom", f"{webserver}/locations/tv_assets/asset-groups/{group}/list"
        ).stdout.decode()
        for group in groups
    )
    missing = [key for key in EXPECTED if key.split("/")[-1] not in dom]
    assert not missing, f"not rendered: {missing}"

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "lineage.png"
    shot.unlink(missing_ok=True)
    _chromium("--window-size=1600,1000", f"--screenshot={shot}", f"{webserver}/locations/tv_assets/asset-groups/tvmaze")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000, len(data)  # a blank page compresses to a few KB
    trending = ARTIFACTS / "lineage_trending.png"
    _chromium(
        "--window-size=1600,1000", f"--screenshot={trending}", f"{webserver}/locations/tv_assets/asset-groups/trending"
    )
    assert trending.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and trending.stat().st_size > 50_000
