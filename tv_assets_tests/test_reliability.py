"""Every fault against every fetch and load asset: recovery, or a clean failure that names source,
partition, path and cause and leaves the lake and the warehouse exactly as they were.

All cases share one workspace, established once: a case that recovers rewrites identical bytes (the
sample source is deterministic), a case that fails must change nothing, so each case starts from, and
is checked against, the same good state. The results table is printed and written to
`tv_assets_tests/artifacts/reliability.md`.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from tv_assets.assets.tvmaze import lake_key
from tv_assets.sample_api.server import Fault, SampleServer
from tv_assets_tests.pipeline import failure_message, partition_counts, run

pytestmark = pytest.mark.integration

DAY = "2026-03-11"
DATASETS = ("schedule", "web_schedule", "shows")
FIELD = {"schedule": "airstamp", "web_schedule": "airstamp", "shows": "type"}
# Secrets configured for the whole module: none may show up anywhere the pipeline writes.
SECRETS = {
    "SLACK_WEBHOOK_URL": "http://127.0.0.1:9/hooks/SECRET-webhook-4f2a",
    "SLACK_BOT_TOKEN": "xoxb-SECRET-token-91c3",
    "DAGSTER_PG_PASSWORD": "SECRET-pg-password-77d0",
}
RECOVERED, FAILED = "recovered", "failed cleanly"


@dataclass
class Workspace:
    resources: dict[str, Any]
    instance: dg.DagsterInstance
    server: SampleServer
    lake_root: Path
    good_payloads: dict[str, bytes] = field(default_factory=dict)
    good_counts: dict[str, int] = field(default_factory=dict)
    results: list[tuple[str, str, str, int]] = field(default_factory=list)  # fault, asset, outcome, rows lost
    messages: list[str] = field(default_factory=list)

    def payload(self, dataset: str) -> bytes:
        return (self.lake_root / lake_key(dataset, DAY)).read_bytes()

    def counts(self) -> dict[str, int]:
        return {t: n for t, n in partition_counts(self.resources["warehouse"].path, DAY).items() if t.startswith("raw.")}

    def assert_untouched(self) -> int:
        """Rows lost against the good state (asserted zero), with the lake byte-identical and no temp files."""
        counts = self.counts()
        lost = sum(max(0, n - counts.get(t, 0)) for t, n in self.good_counts.items())
        assert counts == self.good_counts
        assert all(self.payload(d) == self.good_payloads[d] for d in DATASETS)
        assert not list(self.lake_root.rglob("*.tmp"))
        return lost


@pytest.fixture(scope="module")
def ws(sample_server: SampleServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("reliability")
    with pytest.MonkeyPatch.context() as mp, dg.instance_for_test() as instance:
        for name, value in {
            **SECRETS,
            "TV_ASSETS_SOURCES": "sample",
            "TV_ASSETS_SAMPLE_URL": sample_server.url,
            "TV_ASSETS_LAKE_DIR": str(root / "lake"),
            "TV_ASSETS_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        }.items():
            mp.setenv(name, value)
        from tv_assets.resources import SAMPLE_CALLS_PER_10S, TVMazeResource, build_resources
        from tv_assets.settings import load_settings

        resources = build_resources(load_settings())
        resources["tvmaze"] = TVMazeResource(
            use_sample=True, calls_per_10s=SAMPLE_CALLS_PER_10S, backoff_base_s=0.01, max_attempts=3, timeout_s=1.0
        )
        workspace = Workspace(resources, instance, sample_server, root / "lake")
        run(resources, instance, DAY, selection=dg.AssetSelection.key_prefixes(["lake"], ["raw"]))
        workspace.good_payloads = {d: workspace.payload(d) for d in DATASETS}
        workspace.good_counts = workspace.counts()
        assert all(workspace.good_counts.values())
        yield workspace
        _report(workspace, root)


def _endpoint(ws: Workspace, dataset: str) -> str:
    if dataset == "shows":  # one show of the day: a single flaky call among hundreds
        first = json.loads(ws.good_payloads["shows"].splitlines()[0])["id"]
        return f"/tvmaze/shows/{first}"
    return {"schedule": "/tvmaze/schedule", "web_schedule": "/tvmaze/schedule/web"}[dataset]


def _asset_selection(dataset: str, load_only: bool = False) -> list[str]:
    return [f"raw/tvmaze_{dataset}"] if load_only else [f"lake/tvmaze_{dataset}_payload", f"raw/tvmaze_{dataset}"]


# (name, fault for an endpoint path and the dataset's required field, expected outcome, words of the cause)
FETCH_FAULTS: list[tuple[str, Callable[[str, str], Fault], str, str]] = [
    ("429 twice, no Retry-After", lambda p, f: Fault(p, "status", status=429, times=2), RECOVERED, ""),
    ("429 twice, Retry-After: 0", lambda p, f: Fault(p, "status", status=429, times=2, retry_after="0"), RECOVERED, ""),
    ("429 storm, no Retry-After", lambda p, f: Fault(p, "status", status=429), FAILED, "HTTP 429"),
    ("429 storm, Retry-After: 0", lambda p, f: Fault(p, "status", status=429, retry_after="0"), FAILED, "HTTP 429"),
    ("500 once", lambda p, f: Fault(p, "status", status=500, times=1), RECOVERED, ""),
    ("500 storm", lambda p, f: Fault(p, "status", status=500), FAILED, "HTTP 500"),
    ("502 twice", lambda p, f: Fault(p, "status", status=502, times=2), RECOVERED, ""),
    ("502 storm", lambda p, f: Fault(p, "status", status=502), FAILED, "HTTP 502"),
    ("503 twice", lambda p, f: Fault(p, "status", status=503, times=2), RECOVERED, ""),
    ("503 storm", lambda p, f: Fault(p, "status", status=503), FAILED, "HTTP 503"),
    ("slow past the timeout, once", lambda p, f: Fault(p, "slow", delay=1.5, times=1), RECOVERED, ""),
    ("slow past the timeout, always", lambda p, f: Fault(p, "slow", delay=1.5), FAILED, "Timeout"),
    ("connection reset mid-body, once", lambda p, f: Fault(p, "reset", times=1), RECOVERED, ""),
    ("connection reset mid-body, always", lambda p, f: Fault(p, "reset"), FAILED, "ChunkedEncodingError"),
    ("truncated gzip body", lambda p, f: Fault(p, "truncated_gzip"), FAILED, "malformed JSON"),
    ("malformed JSON", lambda p, f: Fault(p, "malformed"), FAILED, "malformed JSON"),
    ("empty body", lambda p, f: Fault(p, "empty"), FAILED, ""),
    ("renamed field", lambda p, f: Fault(p, "rename", field=f, rename_to=f + "_v2"), FAILED, "required fields missing"),
    ("missing field", lambda p, f: Fault(p, "drop", field=f), FAILED, "required fields missing"),
]


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("name", "make", "expected", "cause"), FETCH_FAULTS, ids=[f[0] for f in FETCH_FAULTS])
def test_fetch_fault(ws: Workspace, dataset: str, name: str, make, expected: str, cause: str) -> None:
    path = _endpoint(ws, dataset)
    ws.server.faults.clear()
    ws.server.faults.add(make(path, FIELD[dataset]))
    result = run(ws.resources, ws.instance, DAY, selection=_asset_selection(dataset), raise_on_error=False)
    ws.server.faults.clear()
    if expected == RECOVERED:
        assert result.success, failure_message(result)
    else:
        assert not result.success
        message = failure_message(result)
        ws.messages.append(message)
        assert f"partition {DAY}" in message and "tvmaze" in message and cause in message, message
        if cause.startswith(("HTTP", "Timeout", "Chunked")):  # the call that gave up, by path
            assert f"GET {path.removeprefix('/tvmaze')}" in message, message
    ws.results.append((name, f"lake/tvmaze_{dataset}_payload", expected, ws.assert_untouched()))


def _drop_field(body: bytes, dataset: str) -> bytes:
    if dataset == "shows":
        return b"".join(json.dumps({k: v for k, v in json.loads(line).items() if k != FIELD[dataset]}).encode() + b"\n"
                        for line in body.splitlines())
    return json.dumps([{k: v for k, v in e.items() if k != FIELD[dataset]} for e in json.loads(body)]).encode()


LOAD_FAULTS: list[tuple[str, Callable[[bytes, str], bytes | None], str]] = [
    ("lake file truncated", lambda body, d: body[: len(body) // 2], "malformed JSON"),
    ("lake file missing", lambda body, d: None, "is not in the lake"),
    ("lake file lacks a required field", _drop_field, "required fields missing"),
]


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("name", "corrupt", "cause"), LOAD_FAULTS, ids=[f[0] for f in LOAD_FAULTS])
def test_load_fault(ws: Workspace, dataset: str, name: str, corrupt, cause: str) -> None:
    target = ws.lake_root / lake_key(dataset, DAY)
    good = ws.good_payloads[dataset]
    broken = corrupt(good, dataset)
    target.unlink() if broken is None else target.write_bytes(broken)
    try:
        result = run(ws.resources, ws.instance, DAY, selection=_asset_selection(dataset, load_only=True), raise_on_error=False)
        assert not result.success
        message = failure_message(result)
        ws.messages.append(message)
        assert f"partition {DAY}" in message and cause in message and "tvmaze" in message, message
    finally:
        target.write_bytes(good)  # the lake's good payload back; the warehouse must not have moved
    ws.results.append((name, f"raw/tvmaze_{dataset}", FAILED, ws.assert_untouched()))


@pytest.mark.parametrize("dataset", DATASETS)
def test_an_extra_field_is_kept_in_raw_and_ignored_by_staging(ws: Workspace, dataset: str) -> None:
    ws.server.faults.add(Fault(_endpoint(ws, dataset), "extra", field="added_by_source"))
    try:
        assert run(ws.resources, ws.instance, DAY, selection=_asset_selection(dataset)).success
    finally:
        ws.server.faults.clear()
    kept = ws.resources["warehouse"].query(
        f"select count(*) from raw.tvmaze_{dataset} where partition_date = ? and json_exists(payload, '$.added_by_source')", [DAY])
    assert kept[0][0] >= 1
    run(ws.resources, ws.instance, DAY, selection=_asset_selection(dataset))  # the source is back to normal
    ws.results.append(("extra field", f"lake/tvmaze_{dataset}_payload", RECOVERED + " (field kept in raw)", ws.assert_untouched()))


KILL_SCRIPT = """
import json, sys
from tv_assets.resources import DuckDBWarehouse
path, big = sys.argv[1], sys.argv[2]
print("loading", flush=True)
DuckDBWarehouse(path=path).replace_json_partition("tvmaze_schedule", sys.argv[3], big, "array", -1)
"""


def test_a_load_killed_midway_leaves_the_partition_intact_and_the_next_run_succeeds(ws: Workspace, tmp_path: Path) -> None:
    episode = json.loads(ws.good_payloads["schedule"])[0]
    big = tmp_path / "big.json"
    big.write_text(json.dumps([episode] * 150_000))  # big enough that the insert is still running when killed
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, ws.resources["warehouse"].path, str(big), DAY],
                               stdout=subprocess.PIPE, env=os.environ.copy())
    assert process.stdout.readline().strip() == b"loading"
    time.sleep(1.0)
    assert process.poll() is None, "the load finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert ws.counts() == ws.good_counts  # the uncommitted delete+insert is gone
    result = run(ws.resources, ws.instance, DAY, selection=_asset_selection("schedule", load_only=True))
    assert result.success
    ws.results.append(("process killed mid-load (SIGKILL)", "raw/tvmaze_schedule", RECOVERED + " (next run)", ws.assert_untouched()))


def _leaks(ws: Workspace, control: tuple[str, ...] = ()) -> int:
    """Occurrences of a configured secret in error messages, the run logs, metadata and the lake."""
    texts = [*ws.messages, *control]
    for run_record in ws.instance.get_runs():
        texts += [dg.serialize_value(entry) for entry in ws.instance.all_logs(run_record.run_id)]
        texts.append(dg.serialize_value(run_record))
    texts += [p.read_bytes().decode("utf-8", "replace") for p in ws.lake_root.rglob("*") if p.is_file()]
    return sum(text.count(secret) for text in texts for secret in SECRETS.values())


def _report(ws: Workspace, root: Path) -> None:
    leaked = _leaks(ws)
    assert leaked == 0, f"{leaked} secret occurrences found"
    assert _leaks(ws, (f"a message quoting {SECRETS['SLACK_BOT_TOKEN']}",)) == 1  # the search does find one
    recovered = sum(1 for r in ws.results if r[2].startswith(RECOVERED))
    failed = sum(1 for r in ws.results if r[2] == FAILED)
    lines = ["| fault | asset | outcome | rows lost |", "|---|---|---|---|"]
    lines += [f"| {name} | `{asset}` | {outcome} | {lost} |" for name, asset, outcome, lost in ws.results]
    lines += ["", f"**{len(ws.results)} faults tried: {recovered} partitions recovered, {failed} failed cleanly, "
              f"{sum(r[3] for r in ws.results)} rows lost, {leaked} secrets leaked** "
              f"(searched: {len(ws.messages)} error messages, every run's event log, every lake file)."]
    table = "\n".join(lines)
    artifacts = Path(__file__).parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "reliability.md").write_text(table + "\n")
    print("\n" + table)
