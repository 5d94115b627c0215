"""The Dagster UI over a demo's state, in a real browser: lineage, partitions and checks as users see them.

Starts `dagster-webserver` on 127.0.0.1 over a DAGSTER_HOME filled by `python -m tv_assets.demo` (its
deployment starting on the demo's first day), asks its GraphQL API what each page shows, and opens
pages in headless Chromium. The screenshots are kept in `tv_assets_tests/artifacts/`.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import requests

from tv_assets.defs.dbt.assets import Manifest
from tv_assets.platform.dbt import dbt_project
from tv_assets.platform.partitions import arrival_partitions, daily_partitions, monthly_partitions
from tv_assets.platform.settings import PROJECT_ROOT
from tv_assets.runs import ALL_ASSETS
from tv_assets.sample_api.server import SampleServer
from tv_assets_tests.stand_ins import free_port

pytestmark = [pytest.mark.integration, pytest.mark.long]

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


@pytest.fixture(scope="module")
def webserver(sample_server: SampleServer) -> Iterator[str]:
    assert CHROMIUM, "CI must install Chromium (scripts/ensure-chromium) for the UI test"
    home = Path(tempfile.mkdtemp(prefix="tv_assets_ui_"))
    env = {
        # The suite's own start (conftest) is dropped: this deployment starts where its demo does.
        **{name: value for name, value in os.environ.items() if name != "TV_ASSETS_START_DATE"},
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
    demo_env.clear()
    demo_env.update(env)

    port = free_port()
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


demo_env: dict[str, str] = {}  # the environment of the demo's deployment (its DAGSTER_HOME, lake, warehouse)


def _graphql(url: str, query: str, **variables: Any) -> dict:
    response = requests.post(f"{url}/graphql", json={"query": query, "variables": variables}, timeout=30)
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
# The demo fills the daily assets for DAYS days, the CPI's months since 1999, and one arrival day (its
# drops); its deployment starts on its first day, so the daily assets have DAYS partitions and no more,
# and arrivals one more (today's, where the drops landed).
MONTHS = len(monthly_partitions.get_partition_keys())
MATERIALIZED = {daily_partitions: (DAYS, DAYS), monthly_partitions: (MONTHS, MONTHS), arrival_partitions: (1, DAYS + 1)}
# Raw tables whose rows are checked before they load: the quarantines hold what was set aside (their
# count is the archive's metadata), and a CPI month is one value parsed and checked from the lake.
NO_CHECKS = {"raw/letterboxd_quarantine", "raw/movies_quarantine", "raw/fred_cpi"}
NODES = """{ assetNodes { assetKey { path } groupName dependencyKeys { path } kinds tags { key value }
    owners { ... on TeamAssetOwner { team } } description
    partitionStats { numMaterialized numPartitions numFailed }
    assetChecksOrError { ... on AssetChecks { checks { name description
        executionForLatestMaterialization { status } } } } } }"""
LAYERS = ("lake", "raw", "staging", "marts")


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
        materialized, partitions = MATERIALIZED[assets_def.partitions_def]
        assert node["partitionStats"]["numMaterialized"] == materialized, key
        assert node["partitionStats"]["numPartitions"] == partitions, key  # no "missing" days before the start
        assert node["partitionStats"]["numFailed"] == 0, key
        # Every node shows its layer (the first part of its key) as a kind and a tag, and has an owner.
        layer = key.split("/")[0]
        assert layer in LAYERS and layer in node["kinds"], (key, node["kinds"])
        assert {"key": "layer", "value": layer} in node["tags"] and node["owners"], key
        if layer == "lake":  # a fetch says how far back its source answers
            assert any(t["key"] == "history" for t in node["tags"]) and "History: " in node["description"], key
        assert all(c["description"] for c in node["assetChecksOrError"]["checks"]), key
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


def _materializations(url: str, key: str, partitions: list[str]) -> dict[str, dict[str, Any]]:
    """Each partition's latest materialization as the UI has it: label -> value (ints, column schemas)."""
    path = json.dumps(key.split("/"))
    query = f"""{{ assetNodes(assetKeys: [{{path: {path}}}]) {{
        latestMaterializationByPartition(partitions: {json.dumps(partitions)}) {{ partition metadataEntries {{
            label ... on IntMetadataEntry {{ intValue }}
            ... on TableSchemaMetadataEntry {{ schema {{ columns {{ name type }} }} }} }} }} }} }}"""
    (node,) = _graphql(url, query)["assetNodes"]
    return {
        m["partition"]: {e["label"]: e.get("intValue", e.get("schema")) for e in m["metadataEntries"]}
        for m in node["latestMaterializationByPartition"]
        if m
    }


def test_each_partition_shows_its_own_row_count_and_every_table_its_typed_columns(webserver: str) -> None:
    """For every raw table and mart: each partition's `dagster/row_count` is that partition's rows in the
    warehouse (not the run's total), and the columns listed are the table's, each with its type."""
    import duckdb

    manifest = Manifest(dbt_project("duckdb"))  # seeds are not partitioned, and views store no rows
    tables = [
        (key, assets_def)
        for key, assets_def in EXPECTED.items()
        if key.split("/")[0] in ("raw", "marts") and key.split("/")[-1] not in manifest.seeds | manifest.views
    ]
    checked = 0
    with duckdb.connect(demo_env["TV_ASSETS_DUCKDB_PATH"], read_only=True) as con:
        for key, assets_def in tables:
            schema, table = key.split("/")
            partitions_def = assets_def.partitions_def
            assert isinstance(partitions_def, dg.TimeWindowPartitionsDefinition), key
            # The partitions the UI offers (the deployment's, from the demo's first day), each as shown.
            (node,) = _graphql(
                webserver, f"{{ assetNodes(assetKeys: [{{path: {json.dumps(key.split('/'))}}}]) {{ partitionKeys }} }}"
            )["assetNodes"]
            keys = node["partitionKeys"]
            days = dict(con.execute(f"select partition_date, count(*) from {schema}.{table} group by 1").fetchall())
            shown = _materializations(webserver, key, keys)
            assert shown, f"{key}: no partition materialized"
            for partition, metadata in shown.items():
                window = partitions_def.time_window_for_partition_key(partition)
                rows = sum(n for day, n in days.items() if window.start.date() <= day < window.end.date())
                assert metadata["dagster/row_count"] == rows, (key, partition)
                checked += 1
            columns = {
                c[0]: c[1]
                for c in con.execute(
                    "select column_name, data_type from information_schema.columns"
                    " where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
            }
            (latest,) = [m for p, m in shown.items() if p == max(shown)]
            listed = {c["name"]: c["type"] for c in latest["dagster/column_schema"]["columns"]}
            assert listed == {name: kind.lower() for name, kind in columns.items()}, key
    assert checked >= len(tables)


def test_schedules_sensors_and_jobs_are_described_and_the_demo_ran_as_named_jobs(webserver: str) -> None:
    query = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
        schedules { name description } sensors { name description } jobs { name description } } } }
        runsOrError { ... on Runs { results { pipelineName status } } } }"""
    data = _graphql(webserver, query)
    (repository,) = data["repositoriesOrError"]["nodes"]
    for kind in ("schedules", "sensors", "jobs"):
        undescribed = [x["name"] for x in repository[kind] if not x["description"] and x["name"] != "__ASSET_JOB"]
        assert not undescribed, (kind, undescribed)
    # Schedules that call a source say whether they are on by default and why.
    assert all("On by default" in s["description"] for s in repository["schedules"])
    runs = data["runsOrError"]["results"]
    jobs = {r["pipelineName"] for r in runs}
    assert "__ephemeral_asset_job__" not in jobs and all(r["status"] == "SUCCESS" for r in runs)
    named = {j["name"] for j in repository["jobs"]} - {"__ASSET_JOB"}
    assert {"tvmaze_daily", "tmdb_daily", "x_daily", "imdb_daily", "daily_models", "freshness_checks"} <= jobs <= named


def test_dbt_docs_describe_every_mart_from_the_warehouses_own_comments(webserver: str, tmp_path: Path) -> None:
    """`make docs` builds dbt's docs site from the warehouse's catalog: every mart and its columns carry
    the YAML's descriptions there, as comments persisted on the tables (`persist_docs`), with their types."""
    from tv_assets.platform.dbt import dbt_executable

    env = {**os.environ, "TV_ASSETS_DUCKDB_PATH": demo_env["TV_ASSETS_DUCKDB_PATH"]}
    subprocess.run(
        [dbt_executable(), "docs", "generate", "--quiet", "--target-path", str(tmp_path)],
        cwd=PROJECT_ROOT / "dbt",
        env=env,
        check=True,
        capture_output=True,
    )
    catalog = json.loads((tmp_path / "catalog.json").read_text())["nodes"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())["nodes"]
    marts = [n for n in manifest.values() if n["resource_type"] == "model" and n["config"].get("schema") == "marts"]
    assert len(marts) == len([k for k in EXPECTED if k.startswith("marts/")])
    for node in marts:
        table = catalog[node["unique_id"]]
        assert node["description"] and table["metadata"]["comment"] == node["description"], node["name"]
        for name, column in node["columns"].items():
            held = table["columns"][name]
            assert held["type"] and held["comment"] == column["description"], (node["name"], name)


def _text(html: str) -> str:
    """The words a page shows: its DOM without styles, scripts and tags."""
    import re

    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&lt;", "<").replace("&gt;", ">")


def test_a_marts_page_shows_the_partitions_rows_typed_columns_layer_and_no_unserializable_entry(
    webserver: str,
) -> None:
    import duckdb

    key = "marts/tvmaze_network_summary"
    with duckdb.connect(demo_env["TV_ASSETS_DUCKDB_PATH"], read_only=True) as con:
        newest, rows = con.execute(
            "select cast(partition_date as varchar), count(*) from marts.tvmaze_network_summary"
            " group by 1 order by 1 desc limit 1"
        ).fetchone()
        columns = con.execute(
            "select column_name, lower(data_type) from information_schema.columns"
            " where table_schema = 'marts' and table_name = 'tvmaze_network_summary' order by ordinal_position"
        ).fetchall()
    ARTIFACTS.mkdir(exist_ok=True)
    overview = _text(
        _chromium("--window-size=1600,2400", "--dump-dom", f"{webserver}/assets/{key}?view=overview").stdout.decode()
    )
    # The overview's row count is the newest partition's, not the run's total.
    assert "Latest materialization" in overview and newest in overview and f"Row count {rows} " in overview, overview[
        :2000
    ]
    table = overview[overview.index("Column name Type Description") :]
    for name, kind in columns:
        assert f" {name} {kind} " in table, (name, kind)
    assert "Kinds dbt DuckDB marts" in overview and "layer: marts" in overview and "Owners data-platform" in overview
    assert "unserializable" not in overview and "[DbtProject]" not in overview

    # The partitions tab: the demo's days filled and none missing; the newest one's own rows.
    partitions_url = f"{webserver}/assets/{key}?view=partitions&partition={newest}"
    partitions = _text(_chromium("--window-size=1600,1400", "--dump-dom", partitions_url).stdout.decode())
    assert f"Materialized ({DAYS})" in partitions and "Missing (0)" in partitions, partitions[:2000]
    assert f"dagster/row_count {rows} " in partitions and "run/partitions" in partitions, partitions[:2000]
    # Lineage near a mart and near a raw table: each node's layer and engine, its checks all passed, and
    # its partitions filled (no "missing" years before the deployment's start).
    lineage = {
        node: _text(
            _chromium(
                "--window-size=1600,1000", "--dump-dom", f"{webserver}/assets/{node}?view=lineage&lineageDepth=1"
            ).stdout.decode()
        )
        for node in (key, "raw/tvmaze_schedule")
    }
    assert "dbt DuckDB marts" in lineage[key] and "dbt DuckDB staging" in lineage[key], lineage[key][:1500]
    assert "DuckDB raw" in lineage["raw/tvmaze_schedule"] and "lake" in lineage["raw/tvmaze_schedule"]
    for text in lineage.values():
        assert text.count("100% filled") >= 2 and " Passed " in text and "Failed" not in text, text[:1500]
    for name, url, size in (
        ("mart_overview.png", f"{webserver}/assets/{key}?view=overview", "1600,2400"),
        ("mart_partitions.png", partitions_url, "1600,1400"),
        ("lineage_mart.png", f"{webserver}/assets/{key}?view=lineage&lineageDepth=1", "1600,1000"),
        ("lineage_raw.png", f"{webserver}/assets/raw/tvmaze_schedule?view=lineage&lineageDepth=1", "1600,1000"),
    ):
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        _chromium(f"--window-size={size}", f"--screenshot={shot}", url)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000, name


DAEMON_S = 120
TICKS = """query($s: SensorSelector!) { sensorOrError(sensorSelector: $s) { ... on Sensor {
    sensorState { ticks(limit: 50) { status runIds } } } } }"""
RUNS = """{ runsOrError { ... on Runs { results { runId pipelineName tags { key value } } } } }"""


def test_the_daemon_started_on_the_demos_state_starts_no_run_nobody_asked_for(webserver: str) -> None:
    """`make demo` then `make dev`: the landing sensors know the demo's drops (its runs carry their run keys)
    and automation finds the demo's models built, so two minutes of the daemon start no run. A schedule's
    tick that falls due in those minutes is a run its cron asked for, and is allowed."""
    before = {r["runId"] for r in _graphql(webserver, RUNS)["runsOrError"]["results"]}
    daemon = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-w", "workspace.yaml"],
        env=demo_env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(DAEMON_S)
        assert daemon.poll() is None, "dagster-daemon exited"
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)
    new = [r for r in _graphql(webserver, RUNS)["runsOrError"]["results"] if r["runId"] not in before]
    unasked = [r for r in new if not any(t["key"] == "dagster/schedule_name" for t in r["tags"])]
    assert unasked == [], unasked
    # The daemon did look: automation and both landing sensors ticked (the landing sensors' first tick found
    # the demo's drops and skipped them by run key), and none of their ticks requested a run.
    location = {"repositoryLocationName": "tv_assets", "repositoryName": "__repository__"}
    for sensor in ("tv_assets_automation", "letterboxd_landing_sensor", "movies_landing_sensor"):
        state = _graphql(webserver, TICKS, s={**location, "sensorName": sensor})["sensorOrError"]["sensorState"]
        assert state["ticks"] and not any(t["runIds"] for t in state["ticks"]), (sensor, state["ticks"])
