"""Schedules and executor settings, evaluated with Dagster's own test utilities."""

import json
import os
import sys
from datetime import UTC, datetime

import dagster as dg
import pytest

from tv_assets.definitions import defs
from tv_assets.runs import ALL_ASSETS


def test_the_daily_schedule_runs_yesterdays_partition_at_six_utc() -> None:
    tvmaze_daily_schedule = defs.resolve_schedule_def("tvmaze_daily_schedule")
    assert tvmaze_daily_schedule.cron_schedule == "0 6 * * *"
    assert tvmaze_daily_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 10, 6, 0, tzinfo=UTC))
    requests = list(tvmaze_daily_schedule.evaluate_tick(context).run_requests or [])
    assert [r.partition_key for r in requests] == ["2026-03-09"]


def test_every_warehouse_writer_is_serialized_on_duckdb() -> None:
    from tv_assets.definitions import executor_config

    writers = {
        key.to_user_string()
        for a in ALL_ASSETS
        for key in a.keys
        if a.op.tags.get("tv_assets/warehouse_writer") == "true"
    }
    loads_and_models = {
        k.to_user_string() for a in ALL_ASSETS for k in a.keys if k.path[0] in ("raw", "staging", "marts")
    }
    assert writers == loads_and_models
    assert executor_config("duckdb")["tag_concurrency_limits"] == [
        {"key": "tv_assets/warehouse_writer", "value": "true", "limit": 1}
    ]
    assert executor_config("snowflake")["tag_concurrency_limits"] == []
    # step processes fork from one that imported the code location once (bench/bench_step_processes.py)
    for warehouse in ("duckdb", "snowflake"):
        assert executor_config(warehouse)["start_method"] == {
            "forkserver": {"preload_modules": ["tv_assets.definitions"]}
        }


def test_instance_yaml_is_sqlite_by_default_and_postgres_when_configured(tmp_path, monkeypatch) -> None:
    import yaml

    from tv_assets.deploy import instance_yaml, write_instance_yaml

    sqlite = yaml.safe_load(instance_yaml({}))
    assert "storage" not in sqlite and sqlite["run_coordinator"]["config"]["max_concurrent_runs"] == 1
    env = {
        "DAGSTER_PG_HOST": "db",
        "DAGSTER_PG_USERNAME": "u",
        "DAGSTER_PG_PASSWORD": "pw-secret",
        "DAGSTER_PG_DB": "d",
    }
    text = instance_yaml({**env, "DAGSTER_PG_PORT": "6432"})
    postgres = yaml.safe_load(text)["storage"]["postgres"]["postgres_db"]
    assert postgres["password"] == {"env": "DAGSTER_PG_PASSWORD"} and postgres["port"] == 6432
    assert "pw-secret" not in text
    # the SQLite file is what a fresh DAGSTER_HOME gets, and Dagster loads it
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    for name in env:
        monkeypatch.delenv(name, raising=False)
    write_instance_yaml()
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"


def test_postgres_instance_yaml_queues_one_run_on_duckdb_and_eight_on_snowflake_with_monitoring() -> None:
    import yaml

    from tv_assets.deploy import instance_yaml
    from tv_assets.platform.jobs import SOURCE_TAG

    pg = {name: "x" for name in ("DAGSTER_PG_HOST", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB")}

    def config(**extra: str) -> dict:
        return yaml.safe_load(instance_yaml({**pg, **extra}))

    duckdb, snowflake = config(), config(TV_ASSETS_WAREHOUSE="snowflake")
    assert duckdb["run_coordinator"]["config"]["max_concurrent_runs"] == 1
    assert snowflake["run_coordinator"]["config"]["max_concurrent_runs"] == 8
    assert config(TV_ASSETS_MAX_CONCURRENT_RUNS="3")["run_coordinator"]["config"]["max_concurrent_runs"] == 3
    with pytest.raises(ValueError, match="TV_ASSETS_MAX_CONCURRENT_RUNS"):
        config(TV_ASSETS_MAX_CONCURRENT_RUNS="0")
    (limit,) = snowflake["run_coordinator"]["config"]["tag_concurrency_limits"]
    assert limit == {"key": SOURCE_TAG, "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    assert snowflake["run_monitoring"]["enabled"] and snowflake["storage"]["postgres"]["postgres_db"]["scheme"] == (
        "postgresql+psycopg2"  # the driver dagster-postgres installs
    )


def test_every_source_job_names_its_source_and_scheduled_runs_carry_a_max_runtime() -> None:
    from dagster._core.storage.tags import MAX_RUNTIME_SECONDS_TAG

    from tv_assets.platform.jobs import SCHEDULED_MAX_RUNTIME_S, SOURCE_TAG

    sources = {"tvmaze", "tmdb", "x", "imdb", "fred", "letterboxd", "movies"}
    tagged = {job.name: job.tags.get(SOURCE_TAG) for job in defs.jobs or [] if SOURCE_TAG in job.tags}
    assert set(tagged.values()) == sources and all(name.startswith(source) for name, source in tagged.items())
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 20, 7, 0, tzinfo=UTC))
    for name in (s.name for s in defs.schedules or []):
        schedule = defs.resolve_schedule_def(name)
        assert defs.resolve_job_def(schedule.job_name).tags[SOURCE_TAG] in sources
        requests = schedule.evaluate_tick(context).run_requests or []
        assert requests and all(r.tags[MAX_RUNTIME_SECONDS_TAG] == str(SCHEDULED_MAX_RUNTIME_S) for r in requests)


def _env_names(text: str) -> set[str]:
    import re

    return set(re.findall(r"\{env: ([A-Z_]+)\}", text))


def test_the_compose_and_helm_files_pass_every_variable_and_secret_the_code_and_instance_read() -> None:
    import re

    import yaml

    from tv_assets.platform.jobs import SOURCE_TAG
    from tv_assets.platform.settings import PROJECT_ROOT

    deploy = PROJECT_ROOT / "deploy"
    compose = yaml.safe_load((deploy / "docker-compose.yaml").read_text())["services"]
    helm = yaml.safe_load((deploy / "helm" / "values.yaml").read_text())
    # Every {env: ...} of the instance and the workspace is set for each Dagster service.
    needed = _env_names((deploy / "dagster.postgres.yaml").read_text()) | _env_names(
        (deploy / "workspace.yaml").read_text()
    )
    assert {"DAGSTER_PG_PASSWORD", "TV_ASSETS_CODE_SERVER_HOST"} <= needed
    for name in ("tv_assets", "webserver", "daemon"):
        assert needed <= set(compose[name]["environment"]), name
    # Every secret the code reads (dg.EnvVar) is listed for both deployments, which pass the whole list.
    code = "\n".join(p.read_text() for p in (PROJECT_ROOT / "tv_assets").rglob("*.py"))
    secrets = set(re.findall(r'(?:EnvVar|secret)\("([A-Z_]+)"\)', code))
    listed = {line.split("=")[0] for line in (deploy / "secrets.env.example").read_text().splitlines() if "=" in line}
    assert {"SNOWFLAKE_PASSWORD", "TMDB_ACCESS_TOKEN", "SLACK_WEBHOOK_URL"} <= secrets <= listed
    assert compose["tv_assets"]["env_file"] == ".env"
    (user_code,) = helm["dagster-user-deployments"]["deployments"]
    secret_ref = [{"name": "tv-assets-secrets"}]
    assert user_code["envSecrets"] == helm["runLauncher"]["config"]["k8sRunLauncher"]["envSecrets"] == secret_ref
    # The same code server everywhere: the image's command, Compose's and Helm's, on the same port.
    cmd = re.search(r"^CMD (\[.*\])$", (PROJECT_ROOT / "Dockerfile").read_text(), re.M)
    image_command = json.loads(cmd.group(1)) if cmd else []
    assert (
        image_command[:3] == ["dagster", "code-server", "start"] and image_command[-2:] == user_code["codeServerArgs"]
    )
    assert compose["tv_assets"]["command"][-1].endswith(" ".join(image_command))
    assert str(user_code["port"]) == image_command[image_command.index("-p") + 1]
    # Helm's run queue has the per-source limit that dagster.postgres.yaml has.
    queue = helm["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert {"key": SOURCE_TAG, "value": {"applyLimitPerUniqueValue": True}, "limit": 1} in queue["tagConcurrencyLimits"]
    assert helm["runLauncher"]["type"] == "K8sRunLauncher" and helm["postgresql"]["enabled"] is False


@pytest.mark.integration
def test_the_images_install_and_manifest_commands_are_the_ones_make_runs_and_they_parse_both_targets() -> None:
    """Docker cannot pull a base image here, so the image is not built; its RUN is checked instead: the
    pinned install is `make install`'s, and its manifest commands, run here as written, parse both targets."""
    import re
    import subprocess

    from tv_assets.platform.settings import PROJECT_ROOT

    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    run = re.search(r"^RUN (.*?)(?<!\\)\n", dockerfile, re.M | re.S)
    assert run
    commands = [c.strip() for c in run.group(1).replace("\\\n", " ").split("&&")]
    assert commands[0] == "pip install -c constraints.txt -e ."
    assert "pip install --quiet -c constraints.txt -e '.[dev]'" in (PROJECT_ROOT / "Makefile").read_text()
    manifests = [c for c in commands if "tv_assets.platform.dbt" in c]
    assert [c.split()[-1] for c in manifests] == ["duckdb", "snowflake"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNOWFLAKE_")}
    for command in manifests:
        # python here is this environment's; the image's is its own
        result = subprocess.run(
            ["sh", "-c", command.replace("python ", f"{sys.executable} ", 1)],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        target = command.split()[-1]
        assert (PROJECT_ROOT / "dbt" / "target" / target / "manifest.json").exists(), target
