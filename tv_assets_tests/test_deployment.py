"""The deployment as operators run it, rehearsed on 127.0.0.1 without Docker.

PostgreSQL (Debian's server, started here as a child process with its own data folder), then the code
server, the webserver and the daemon as separate processes sharing one `DAGSTER_HOME`, whose
`dagster.yaml` is the one `python -m tv_assets.deploy` writes for Postgres; the webserver and the daemon
find the code server through `deploy/workspace.yaml`, as in `deploy/docker-compose.yaml`. Runs are asked
for through the GraphQL API and started by the daemon from the queue; the sources are the sample API, and
Slack is a stand-in HTTP server that records what it is sent.

The tests run in order and share the deployment: each leaves it as the next expects.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
import requests

from tv_assets.defs.kaggle.sample import letterboxd_zip
from tv_assets.defs.tvmaze.assets import lake_key
from tv_assets.platform.settings import PROJECT_ROOT
from tv_assets.sample_api.server import Fault, SampleServer
from tv_assets_tests.stand_ins import free_port

pytestmark = pytest.mark.integration

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
BIN = Path(sys.executable).parent
LOCATION = {"repositoryLocationName": "tv_assets", "repositoryName": "__repository__"}
# Days well before the newest partition: the automation sensor (eager, newest day only) leaves them alone.
DAYS = [(date.today() - timedelta(days=n)).isoformat() for n in range(30, 20, -1)]

if not PG_BIN and os.environ.get("CI") != "true":
    pytest.skip("PostgreSQL's server is not installed (scripts/ensure-postgres installs it)", allow_module_level=True)


class SlackStandIn(ThreadingHTTPServer):
    """An incoming webhook on 127.0.0.1 that keeps every message posted to it."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.messages.append(json.loads(body)["text"])
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/rehearsal"


@dataclass
class Deployment:
    root: Path
    env: dict[str, str]
    graphql_url: str
    slack: SlackStandIn
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process's life)
        self.processes[name] = subprocess.Popen(
            args, env=self.env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.processes[name]

    def start_code_server(self) -> None:
        port = self.env["TV_ASSETS_CODE_SERVER_PORT"]
        self.start(
            "code_server",
            [
                str(BIN / "dagster"),
                "code-server",
                "start",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-m",
                "tv_assets.definitions",
            ],
        )
        wait_for(
            lambda: (
                subprocess.run(
                    [str(BIN / "dagster"), "api", "grpc-health-check", "-p", port], env=self.env, capture_output=True
                ).returncode
                == 0
            ),
            120,
            "the code server to answer its health check",
            self.processes["code_server"],
        )

    def start_daemon(self) -> None:
        self.start("daemon", [str(BIN / "dagster-daemon"), "run", "-w", "deploy/workspace.yaml"])

    def stop(self, name: str, sig: signal.Signals = signal.SIGTERM) -> None:
        process = self.processes.pop(name)
        if process.poll() is not None:
            return
        os.killpg(process.pid, sig)  # the process and what it started (a code server's gRPC child)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def graphql(self, query: str, **variables: Any) -> dict:
        response = requests.post(self.graphql_url, json={"query": query, "variables": variables}, timeout=60)
        body = response.json()
        assert response.ok and "errors" not in body, body
        return body["data"]

    def instance(self) -> dg.DagsterInstance:
        """The deployment's instance (Postgres), opened from this process as any Dagster process would."""
        previous = {name: os.environ.get(name) for name in self.env}
        os.environ.update(self.env)
        try:
            return dg.DagsterInstance.from_config(self.env["DAGSTER_HOME"])
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def wait_for(ready: Callable[[], Any], timeout_s: float, what: str, process: subprocess.Popen | None = None) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"waiting for {what}: the process exited with {process.returncode}")
        if value := ready():
            return value
        time.sleep(1)
    pytest.fail(f"waited {timeout_s} s for {what}")


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the package's `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def postgres() -> Iterator[int]:
    assert PG_BIN, "CI must install PostgreSQL (scripts/ensure-postgres) for the deployment rehearsal"
    # Under /var/tmp rather than $TMPDIR: the server's user must reach its folder, and CI's TMPDIR is root's.
    folder = Path(tempfile.mkdtemp(prefix="tv_assets_pg_", dir="/var/tmp"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    bin_dir, port = PG_BIN[-1], free_port()
    subprocess.run(
        _as_postgres([f"{bin_dir}/initdb", "-D", f"{folder}/data", "-A", "trust", "-U", "dagster"]),
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        _as_postgres(
            [f"{bin_dir}/postgres", "-D", f"{folder}/data", "-p", str(port), "-k", str(folder)]
            + ["-c", "listen_addresses=127.0.0.1"]
        ),
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "server.log", "wb"),  # noqa: SIM115
    )
    try:
        ready = [f"{bin_dir}/pg_isready", "-h", "127.0.0.1", "-p", str(port), "-U", "dagster"]
        wait_for(lambda: subprocess.run(ready, capture_output=True).returncode == 0, 60, "PostgreSQL", server)
        subprocess.run(
            [f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "dagster", "dagster"], check=True
        )
        yield port
    finally:
        # SIGINT is PostgreSQL's fast shutdown; the postmaster's pid is the first line of its pid file.
        pid_file = folder / "data" / "postmaster.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)
        server.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def deployment(postgres: int, sample_server: SampleServer) -> Iterator[Deployment]:
    root = Path(tempfile.mkdtemp(prefix="tv_assets_deploy_"))
    slack = SlackStandIn()
    web_port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "dagster_home"),
        "DAGSTER_PG_HOST": "127.0.0.1",
        "DAGSTER_PG_PORT": str(postgres),
        "DAGSTER_PG_USERNAME": "dagster",
        "DAGSTER_PG_PASSWORD": "unused-with-trust-auth",
        "DAGSTER_PG_DB": "dagster",
        "TV_ASSETS_CODE_SERVER_HOST": "127.0.0.1",
        "TV_ASSETS_CODE_SERVER_PORT": str(free_port()),
        "TV_ASSETS_SOURCES": "sample",
        "TV_ASSETS_SAMPLE_URL": sample_server.url,
        "TV_ASSETS_LAKE_DIR": str(root / "lake"),
        "TV_ASSETS_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "SLACK_WEBHOOK_URL": slack.url,
        "DAGSTER_UI_URL": f"http://127.0.0.1:{web_port}",
    }
    (root / "dagster_home").mkdir()
    written = subprocess.run(
        [sys.executable, "-m", "tv_assets.deploy"], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True
    )
    assert b"dagster.yaml" in written.stdout
    deployment = Deployment(root, env, f"http://127.0.0.1:{web_port}/graphql", slack)
    try:
        deployment.start_code_server()
        webserver = deployment.start(
            "webserver",
            [str(BIN / "dagster-webserver"), "-w", "deploy/workspace.yaml", "-h", "127.0.0.1", "-p", str(web_port)],
        )
        wait_for(lambda: _answers(f"http://127.0.0.1:{web_port}/server_info"), 120, "the webserver", webserver)
        # A Kaggle archive dropped before the daemon starts: its sensor's first tick must find it.
        drop = root / "lake" / "landing" / "letterboxd" / "letterboxd-rehearsal.zip"
        drop.parent.mkdir(parents=True)
        drop.write_bytes(letterboxd_zip(datetime.now(UTC).date().isoformat()))
        deployment.start_daemon()
        yield deployment
    finally:
        for name in list(deployment.processes):
            deployment.stop(name)
        slack.shutdown()
        shutil.rmtree(root, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.ConnectionError:
        return False


RUN = """query($id: ID!) { runOrError(runId: $id) { ... on Run { runId status jobName
    tags { key value } eventConnection(afterCursor: null) { events { __typename } } } } }"""
LAUNCH = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) { __typename
    ... on LaunchRunSuccess { run { runId status } } ... on PythonError { message } } }"""
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


def launch(deployment: Deployment, job: str, partition: str, **tags: str) -> str:
    params = {
        "selector": {**LOCATION, "jobName": job},
        "runConfigData": "{}",
        "executionMetadata": {
            "tags": [{"key": k, "value": v} for k, v in {"dagster/partition": partition, **tags}.items()]
        },
    }
    result = deployment.graphql(LAUNCH, p=params)["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    # The queued coordinator only records the run: the daemon starts it.
    assert result["run"]["status"] == "QUEUED", result
    return result["run"]["runId"]


def run_of(deployment: Deployment, run_id: str) -> dict:
    return deployment.graphql(RUN, id=run_id)["runOrError"]


def wait_until_finished(deployment: Deployment, run_id: str, timeout_s: float = 300) -> dict:
    return wait_for(
        lambda: (run := run_of(deployment, run_id))["status"] in FINISHED and run,
        timeout_s,
        f"run {run_id} to finish",
        deployment.processes.get("daemon"),
    )


def schedule_rows(deployment: Deployment, day: str) -> int:
    """Rows of `raw.tvmaze_schedule` for `day`, read from a copy (the file is the runs' to write)."""
    source = Path(deployment.env["TV_ASSETS_DUCKDB_PATH"])
    if not source.exists():
        return 0
    copy = deployment.root / "read.duckdb"
    shutil.copyfile(source, copy)
    with duckdb.connect(str(copy), read_only=True) as db:
        tables = db.execute(
            "select 1 from information_schema.tables where table_schema = 'raw' and table_name = 'tvmaze_schedule'"
        ).fetchall()
        if not tables:
            return 0
        return db.execute("select count(*) from raw.tvmaze_schedule where partition_date = ?", [day]).fetchone()[0]


def test_a_run_asked_for_through_graphql_is_queued_then_started_by_the_daemon_and_succeeds(
    deployment: Deployment,
) -> None:
    run_id = launch(deployment, "tvmaze_daily", DAYS[0])
    run = wait_until_finished(deployment, run_id)
    assert run["status"] == "SUCCESS", deployment.root
    events = [e["__typename"] for e in run["eventConnection"]["events"]]
    # enqueued by the webserver; launched by the daemon (starting); started by the run's own process
    assert events.index("RunEnqueuedEvent") < events.index("RunStartingEvent") < events.index("RunStartEvent"), events
    assert {"key": "tv_assets/source", "value": "tvmaze"} in run["tags"]
    assert schedule_rows(deployment, DAYS[0]) > 0


BACKFILL = """mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) { __typename
    ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }"""
BACKFILL_STATUS = """query($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill {
    status runs(limit: 10) { runId status tags { key value } } } } }"""


def test_a_three_day_backfill_launched_through_graphql_runs_as_one_run(deployment: Deployment) -> None:
    from tv_assets.runs import ALL_ASSETS

    keys = [
        {"path": key.path}
        for a in ALL_ASSETS
        for key in a.keys
        if a.group_names_by_key[key] == "tvmaze" and key.path[0] in ("lake", "raw")
    ]
    days = DAYS[1:4]
    params = {"assetSelection": keys, "partitionNames": days, "fromFailure": False}
    result = deployment.graphql(BACKFILL, p=params)["launchPartitionBackfill"]
    assert result["__typename"] == "LaunchBackfillSuccess", result
    backfill = wait_for(
        lambda: (
            (b := deployment.graphql(BACKFILL_STATUS, id=result["backfillId"])["partitionBackfillOrError"])["status"]
            not in ("REQUESTED", "CANCELING", "FAILING")
            and b
        ),
        300,
        "the backfill to finish",
    )
    assert backfill["status"] in ("COMPLETED", "COMPLETED_SUCCESS"), backfill
    (run,) = backfill["runs"]  # one run for the range: the assets' single-run backfill policy
    tags = {t["key"]: t["value"] for t in run["tags"]}
    assert run["status"] == "SUCCESS"
    assert (tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]) == (
        days[0],
        days[-1],
    )
    assert all(schedule_rows(deployment, day) > 0 for day in days)


def _pids(deployment: Deployment, run_id: str) -> set[int]:
    """The processes of a run: its run worker and each step's, as its event log records them."""
    with deployment.instance() as instance:
        events = [entry.dagster_event for entry in instance.all_logs(run_id) if entry.dagster_event]
        return {event.pid for event in events if event.pid and event.pid != os.getpid()}


def _step_started(deployment: Deployment, run_id: str, step: str) -> bool:
    with deployment.instance() as instance:
        return any(
            e.dagster_event and e.dagster_event.event_type_value == "STEP_START" and e.step_key == step
            for e in instance.all_logs(run_id)
        )


def test_the_daemon_killed_mid_run_then_restarted_leaves_nothing_half_written_and_a_reexecution_succeeds(
    deployment: Deployment, sample_server: SampleServer
) -> None:
    # 1. The daemon dies while a run is under way: the run is the code server's child, not the daemon's,
    #    and finishes; the daemon, started again, goes on starting queued runs.
    sample_server.faults.add(Fault("/tvmaze/schedule", "slow", delay=10, times=1))
    first = launch(deployment, "tvmaze_daily", DAYS[4])
    wait_for(lambda: run_of(deployment, first)["status"] == "STARTED", 120, "the run to start")
    deployment.stop("daemon", signal.SIGKILL)
    assert wait_until_finished(deployment, first)["status"] == "SUCCESS"
    deployment.start_daemon()

    # 2. The daemon and the run's own processes die mid-fetch (the machine lost): run monitoring, in the
    #    restarted daemon, fails the run once it outlives its `dagster/max_runtime`; nothing was written.
    sample_server.faults.add(Fault("/tvmaze/schedule", "slow", delay=25, times=1))
    lost, day = launch(deployment, "tvmaze_daily", DAYS[5], **{"dagster/max_runtime": "20"}), DAYS[5]
    wait_for(lambda: _step_started(deployment, lost, "lake__tvmaze_schedule_payload"), 180, "the fetch to start")
    deployment.stop("daemon", signal.SIGKILL)
    for pid in _pids(deployment, lost):
        with contextlib.suppress(ProcessLookupError):  # a step that already finished: its process is gone
            os.kill(pid, signal.SIGKILL)
    assert run_of(deployment, lost)["status"] == "STARTED"  # nobody has noticed yet
    deployment.start_daemon()
    assert wait_until_finished(deployment, lost, timeout_s=180)["status"] == "FAILURE"
    lake = Path(deployment.env["TV_ASSETS_LAKE_DIR"])
    assert not (lake / lake_key("schedule", day)).exists() and schedule_rows(deployment, day) == 0

    # 3. The failure reached Slack, posted by the failure sensor in the daemon.
    message = wait_for(lambda: [m for m in deployment.slack.messages if lost in m], 120, "the Slack message")[0]
    assert "tvmaze_daily" in message and day in message

    # 4. Re-executed: the day is fetched and loaded whole.
    reexecution = deployment.graphql(
        """mutation($p: ReexecutionParams!) { launchRunReexecution(reexecutionParams: $p) { __typename
            ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }""",
        p={"parentRunId": lost, "strategy": "ALL_STEPS", "extraTags": [{"key": "dagster/max_runtime", "value": "600"}]},
    )["launchRunReexecution"]
    assert reexecution["__typename"] == "LaunchRunSuccess", reexecution
    assert wait_until_finished(deployment, reexecution["run"]["runId"])["status"] == "SUCCESS"
    assert (lake / lake_key("schedule", day)).exists() and schedule_rows(deployment, day) > 0


RELOAD = """mutation { reloadRepositoryLocation(repositoryLocationName: "tv_assets") { __typename
    ... on WorkspaceLocationEntry { locationOrLoadError { __typename } } } }"""


def test_a_restarted_code_server_is_reloaded_by_the_webserver_and_the_next_run_succeeds(
    deployment: Deployment,
) -> None:
    deployment.stop("code_server")
    deployment.start_code_server()
    reloaded = deployment.graphql(RELOAD)["reloadRepositoryLocation"]
    assert reloaded["locationOrLoadError"]["__typename"] == "RepositoryLocation", reloaded
    run_id = launch(deployment, "tvmaze_daily", DAYS[6])
    assert wait_until_finished(deployment, run_id)["status"] == "SUCCESS"


SENSOR = """query($s: SensorSelector!) { sensorOrError(sensorSelector: $s) { ... on Sensor {
    sensorState { ticks(limit: 20) { status runIds } } } } }"""
SENSOR_RUNS = """query($v: String!) { runsOrError(filter: {tags: [{key: "dagster/sensor_name", value: $v}]}) {
    ... on Runs { results { runId status jobName tags { key value } } } } }"""


def test_an_archive_dropped_into_the_landing_folder_is_loaded_once_by_the_sensor_in_the_daemon(
    deployment: Deployment,
) -> None:
    sensor = "letterboxd_landing_sensor"

    def ticks() -> list[dict]:
        state = deployment.graphql(SENSOR, s={**LOCATION, "sensorName": sensor})["sensorOrError"]["sensorState"]
        return state["ticks"]

    # Its sensor ticks every 60 s: wait for a tick after the one that found the drop (and for the daemon's
    # restarts above), so a second run, if any, would be there.
    wait_for(lambda: len(ticks()) >= 2, 180, f"a second tick of {sensor}")
    (run,) = deployment.graphql(SENSOR_RUNS, v=sensor)["runsOrError"]["results"]
    assert run["jobName"] == "letterboxd_drop"
    assert wait_until_finished(deployment, run["runId"])["status"] == "SUCCESS"
    assert [t["runIds"] for t in ticks() if t["runIds"]] == [[run["runId"]]]
    tags = {t["key"]: t["value"] for t in run["tags"]}
    assert tags["tv_assets/landing_key"] == "landing/letterboxd/letterboxd-rehearsal.zip"
