"""Automation, freshness checks and Slack alerts, evaluated with Dagster's own test utilities."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import dagster as dg
import pytest

from tv_assets.defs.operations.alerts import SlackNotifier, failure_text, slack_from_env, slack_on_run_failure
from tv_assets.platform.partitions import daily_partitions
from tv_assets.runs import ALL_ASSETS, DAILY, DAILY_ASSETS, materialize_range
from tv_assets.sample_api.server import Fault, SampleServer
from tv_assets_tests.pipeline import FRESHNESS_CHECKS, MART_KEYS, failure_message

# What the daily jobs run: every source's fetch and load, and the seeds the day's models read.
LAKE_AND_RAW = (dg.AssetSelection.key_prefixes(["lake"], ["raw"]) & DAILY) | dg.AssetSelection.assets(
    ["staging", "tracked_shows"]
)
DBT_KEYS = {k for a in DAILY_ASSETS for k in a.keys if k.path[0] in ("staging", "marts")} - {
    dg.AssetKey(["staging", "tracked_shows"])
}


@pytest.mark.integration
def test_dbt_models_follow_new_inputs_for_the_newest_partition_only(
    resources: dict[str, Any], instance: dg.DagsterInstance
) -> None:
    keys = daily_partitions.get_partition_keys()
    latest, older = keys[-1], keys[-4]
    defs = dg.Definitions(assets=ALL_ASSETS, resources=resources)
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert first.total_requested == 0  # nothing to follow yet: the inputs are missing

    materialize_range(resources, instance, older, selection=LAKE_AND_RAW)  # a backfill of history
    materialize_range(resources, instance, latest, selection=LAKE_AND_RAW)  # the daily schedule's run
    second = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)

    requested = {key for key in DBT_KEYS if second.get_requested_partitions(key)}
    assert requested == DBT_KEYS
    assert all(second.get_requested_partitions(key) == {latest} for key in DBT_KEYS)
    lake_and_raw = {k for a in DAILY_ASSETS for k in a.keys} - DBT_KEYS
    assert not any(second.get_requested_partitions(k) for k in lake_and_raw)


def _run_freshness_checks(instance: dg.DagsterInstance, resources: dict[str, Any]) -> dict[str, bool]:
    result = dg.materialize(
        [*ALL_ASSETS, *FRESHNESS_CHECKS],
        selection=dg.AssetSelection.checks(*FRESHNESS_CHECKS),
        instance=instance,
        resources=resources,
    )
    return {e.asset_key.to_user_string(): e.passed for e in result.get_asset_check_evaluations()}


def test_mart_freshness_fails_without_the_newest_partition_and_passes_with_it(
    instance: dg.DagsterInstance, resources: dict[str, Any]
) -> None:
    assert len(MART_KEYS) == 21  # 5 TVMaze, 7 trending, 6 IMDB (history, dump days, 3 views), 3 titles; not the drops
    stale = _run_freshness_checks(instance, resources)
    assert set(stale) == {k.to_user_string() for k in MART_KEYS} and not any(stale.values())
    # the newest partitions the deadline can ask for, whatever the hour the test runs at
    for key in MART_KEYS:
        for partition in daily_partitions.get_partition_keys()[-2:]:
            instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key, partition=partition))
    assert all(_run_freshness_checks(instance, resources).values())


class _Capture(BaseHTTPRequestHandler):
    posts: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.posts.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        reply = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slack_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    _Capture.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Capture.posts
    server.shutdown()


@pytest.fixture
def failed_run(resources: dict[str, Any], instance: dg.DagsterInstance, sample_server: SampleServer):
    sample_server.faults.add(Fault("/tvmaze/schedule", "malformed"))
    result = materialize_range(
        resources, instance, "2026-03-05", selection=["lake/tvmaze_schedule_payload"], raise_on_error=False
    )
    assert not result.success and "malformed JSON" in failure_message(result)
    return instance, instance.get_run_by_id(result.run_id), result.get_run_failure_event()


def _evaluate(failed_run, slack: SlackNotifier) -> None:
    instance, run, event = failed_run
    context = dg.build_run_status_sensor_context(
        sensor_name="slack_on_run_failure",
        dagster_event=event,
        dagster_instance=instance,
        dagster_run=run,
        resources={"slack": slack},
    ).for_run_failure()
    slack_on_run_failure(context)


@pytest.mark.integration
def test_a_failed_run_is_posted_to_the_webhook(failed_run, slack_server, monkeypatch: pytest.MonkeyPatch) -> None:
    url, posts = slack_server
    monkeypatch.setenv("SLACK_WEBHOOK_URL", f"{url}/services/T000/B000/secret-part")
    _evaluate(failed_run, slack_from_env())  # the URL reaches the resource only through dg.EnvVar
    assert len(posts) == 1 and posts[0]["path"] == "/services/T000/B000/secret-part"
    text = posts[0]["body"]["text"]
    _, run, _ = failed_run
    assert run.run_id in text and "(partitions 2026-03-05)" in text
    assert "lake__tvmaze_schedule_payload: tvmaze schedule, partition 2026-03-05: malformed JSON" in text
    assert "secret-part" not in text


@pytest.mark.integration
def test_a_failed_run_is_posted_with_a_bot_token_and_channel(failed_run, slack_server, monkeypatch) -> None:
    url, posts = slack_server
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_CHANNEL", "#tv-assets-alerts")
    monkeypatch.setenv("SLACK_API_URL", url)
    _evaluate(failed_run, slack_from_env())
    assert posts[0]["path"] == "/chat.postMessage" and posts[0]["auth"] == "Bearer xoxb-test-token"
    assert posts[0]["body"]["channel"] == "#tv-assets-alerts"
    assert "xoxb-test-token" not in posts[0]["body"]["text"]


@pytest.mark.integration
def test_without_slack_configuration_nothing_is_posted(failed_run, slack_server) -> None:
    _evaluate(failed_run, SlackNotifier())
    assert slack_server[1] == []


def test_failure_text_names_the_range_and_links_the_run() -> None:
    run = dg.DagsterRun(
        job_name="tvmaze_daily",
        run_id="abc",
        tags={"dagster/asset_partition_range_start": "2026-01-01", "dagster/asset_partition_range_end": "2026-01-07"},
    )
    text = failure_text(run, "line 1\nline 2", "http://dagster.example:3000/")
    assert "*tvmaze_daily* (partitions 2026-01-01 .. 2026-01-07)" in text
    assert "<http://dagster.example:3000/runs/abc|open in Dagster>" in text and "line 2" in text


@pytest.mark.integration
def test_an_unreachable_slack_fails_without_quoting_the_webhook(failed_run) -> None:
    secret = "http://127.0.0.1:9/services/T000/B000/SECRET-part"
    with pytest.raises(RuntimeError) as error:
        _evaluate(failed_run, SlackNotifier(webhook_url=secret))
    import traceback

    from dagster._utils.error import serializable_error_info_from_exc_info

    assert "could not be reached: ConnectionError" in str(error.value)
    printed = "".join(traceback.format_exception(error.value))  # what a log handler prints
    logged = serializable_error_info_from_exc_info(
        (type(error.value), error.value, error.tb)
    ).to_string()  # what Dagster stores
    assert "SECRET-part" not in printed and "SECRET-part" not in logged
