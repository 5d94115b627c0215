"""Every fault against every source's fetch and load assets (TVMaze, TMDB lists and details, X, IMDB, the
Kaggle drops, FRED): recovery, or a clean failure that names source, partition, path and cause and leaves
the lake and the warehouse exactly as they were.

All cases share one workspace, established once with every source: a case that recovers rewrites
identical bytes (the sample sources are deterministic), a case that fails must change nothing, so each
case starts from, and is checked against, the same good state: every lake file byte for byte (the
request records too, unless the case recovered and so fetched again) and every raw table's rows. The
results table is printed and written to `tv_assets_tests/artifacts/reliability.md`.
"""

import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from tv_assets.defs.kaggle.sample import letterboxd_files, letterboxd_zip, movies_files, movies_zip
from tv_assets.defs.tvmaze.assets import lake_key
from tv_assets.platform.lake import partition_key
from tv_assets.platform.partitions import range_tags
from tv_assets.sample_api.server import Fault, SampleServer
from tv_assets_tests.pipeline import ALL_ASSETS, SAMPLE_CALLS_PER_10S, failure_message, run, sample_base

pytestmark = pytest.mark.integration

DAY = "2026-03-11"
DATASETS = ("schedule", "web_schedule", "shows")
FIELD = {"schedule": "airstamp", "web_schedule": "airstamp", "shows": "type"}
# Secrets configured for the whole module: none may show up anywhere the pipeline writes.
SECRETS = {
    "SLACK_WEBHOOK_URL": "http://127.0.0.1:9/hooks/SECRET-webhook-4f2a",
    "SLACK_BOT_TOKEN": "xoxb-SECRET-token-91c3",
    "DAGSTER_PG_PASSWORD": "SECRET-pg-password-77d0",
    "TMDB_ACCESS_TOKEN": "SECRET-tmdb-token-3e17",
    "X_BEARER_TOKEN": "SECRET-x-bearer-c0a9",
    "FRED_API_KEY": "secretfredapikey0000000000008812",  # FRED's format: 32 lower-case letters and digits
}
TODAY = datetime.now(UTC).date().isoformat()  # the Kaggle drops' arrival day
MONTH = "2024-06-01"  # the CPI's month
REQUEST_RECORD = "_request.json"
RECOVERED, FAILED = "recovered", "failed cleanly"
TIMEOUT_S = 3.0  # the clients' read timeout; a "slow" fault waits a second longer


@dataclass
class Workspace:
    resources: dict[str, Any]
    instance: dg.DagsterInstance
    server: SampleServer
    lake_root: Path
    good_payloads: dict[str, bytes] = field(default_factory=dict)
    good_counts: dict[str, int] = field(default_factory=dict)
    good_lake: dict[str, bytes] = field(default_factory=dict)
    results: list[tuple[str, str, str, int]] = field(default_factory=list)  # fault, asset, outcome, rows lost
    messages: list[str] = field(default_factory=list)

    def payload(self, dataset: str) -> bytes:
        return (self.lake_root / lake_key(dataset, DAY)).read_bytes()

    def counts(self) -> dict[str, int]:
        """Rows of every raw table, every partition."""
        with duckdb.connect(self.resources["warehouse"].path, read_only=True) as con:
            tables = [
                t
                for (t,) in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
                ).fetchall()
            ]
            return {f"raw.{t}": con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables}

    def lake(self) -> dict[str, bytes]:
        """Every file of the lake's partitions (not the landing area, not rejected payloads kept aside)."""
        return {
            str(p.relative_to(self.lake_root)): p.read_bytes()
            for p in sorted(self.lake_root.rglob("*"))
            if p.is_file() and p.relative_to(self.lake_root).parts[0] not in ("landing", "rejected")
        }

    def check(self, result: dg.ExecuteInProcessResult, expected: str, *words: str) -> str:
        """A recovered case succeeded; a failed one failed with every one of `words` in its message, which
        is kept for the secret search and returned."""
        if expected == RECOVERED:
            assert result.success, failure_message(result)
            return ""
        assert not result.success
        message = failure_message(result)
        self.messages.append(message)
        assert all(word in message for word in words), message
        return message

    def assert_untouched(self, refetched: bool = False) -> int:
        """Rows lost against the good state (asserted zero), with every lake file byte-identical (a request
        record may be rewritten only by a case that fetched again) and no temporary files."""
        counts = self.counts()
        lost = sum(max(0, n - counts.get(t, 0)) for t, n in self.good_counts.items())
        assert counts == self.good_counts
        lake = now = self.lake()
        good = self.good_lake
        if refetched:
            lake, good = ({k: v for k, v in files.items() if not k.endswith(REQUEST_RECORD)} for files in (lake, good))
        assert lake.keys() == good.keys() and [k for k in lake if lake[k] != good[k]] == []
        assert not list(self.lake_root.rglob("*.tmp"))
        self.good_lake = now  # a refetch's new request records are the good state from here on
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

        from tv_assets.definitions import build_resources
        from tv_assets.defs.fred.resource import FredResource
        from tv_assets.defs.imdb.resource import ImdbResource
        from tv_assets.defs.tmdb.resource import TMDBResource
        from tv_assets.defs.tvmaze.resource import TVMazeResource
        from tv_assets.defs.x.resource import XResource
        from tv_assets.platform.settings import load_settings

        resources = build_resources(load_settings())
        # The production retry logic with millisecond backoff, so the storms give up quickly. The timeout
        # leaves a loaded 2-core machine room to answer (a 1 s timeout once cut off a good answer).
        fast = {"backoff_base_s": 0.01, "max_attempts": 3, "timeout_s": TIMEOUT_S}
        resources["tvmaze"] = TVMazeResource(base_url=sample_base("tvmaze"), calls_per_10s=SAMPLE_CALLS_PER_10S, **fast)
        resources["tmdb"] = TMDBResource(
            base_url=sample_base("tmdb/3"),
            replay=True,
            access_token=dg.EnvVar("TMDB_ACCESS_TOKEN"),
            calls_per_s=1000,
            max_pages=3,
            **fast,
        )
        resources["x"] = XResource(
            base_url=sample_base("x"),
            replay=True,
            bearer_token=dg.EnvVar("X_BEARER_TOKEN"),
            calls_per_15min=100_000,
            **fast,
        )
        resources["imdb"] = ImdbResource(base_url=sample_base("imdb"), replay=True, **fast)
        resources["fred"] = FredResource(
            graph_url=sample_base("fred"),
            api_url=sample_base("fred-api"),
            api_key=dg.EnvVar("FRED_API_KEY"),
            calls_per_s=100,
            max_attempts=3,
            timeout_s=TIMEOUT_S,
        )
        workspace = Workspace(resources, instance, sample_server, root / "lake")
        run(resources, instance, DAY, selection=dg.AssetSelection.key_prefixes(["lake"], ["raw"]))
        assert _materialize(workspace, FRED, tags=range_tags(MONTH)).success
        for source, make in (("letterboxd", letterboxd_zip), ("movies", movies_zip)):
            resources["lake"].put(f"landing/{source}/{source}.zip", make(TODAY))
            assert _materialize(workspace, KAGGLE[source], partition_key=TODAY).success
        workspace.good_payloads = {d: workspace.payload(d) for d in DATASETS}
        workspace.good_counts, workspace.good_lake = workspace.counts(), workspace.lake()
        assert all(n for t, n in workspace.good_counts.items() if not t.endswith("_quarantine")), workspace.good_counts
        yield workspace
        _report(workspace, root)


FRED = ["lake/fred_cpi_payload", "raw/fred_cpi"]
KAGGLE = {
    source: dg.AssetSelection.groups(group) & dg.AssetSelection.key_prefixes(["lake"], ["raw"])
    for source, group in (("letterboxd", "letterboxd"), ("movies", "movies"))
}


def _materialize(ws: Workspace, selection: Any, **partition: Any) -> dg.ExecuteInProcessResult:
    """A run of the drops' or the CPI's assets (partitioned by arrival day and by month, not daily)."""
    tags = partition.pop("tags", None)
    return dg.materialize(
        ALL_ASSETS,
        selection=selection,
        resources=ws.resources,
        instance=ws.instance,
        tags=tags,
        raise_on_error=False,
        **partition,
    )


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
    ("slow past the timeout, once", lambda p, f: Fault(p, "slow", delay=TIMEOUT_S + 1, times=1), RECOVERED, ""),
    ("slow past the timeout, always", lambda p, f: Fault(p, "slow", delay=TIMEOUT_S + 1), FAILED, "Timeout"),
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
    message = ws.check(result, expected, f"partition {DAY}", "tvmaze", cause)
    if cause.startswith(("HTTP", "Timeout", "Chunked")):  # the call that gave up, by path
        assert f"GET {path.removeprefix('/tvmaze')}" in message, message
    ws.results.append((name, f"lake/tvmaze_{dataset}_payload", expected, ws.assert_untouched(expected == RECOVERED)))


# ---- every other source: its own endpoints and traps, the same assertions ----

NEXT = (date.fromisoformat(DAY) + timedelta(days=1)).isoformat()  # when the daily schedule fetches DAY from X
POPULAR, DETAILS = f"/tmdb/3/{DAY}/tv/popular", f"/tmdb/3/{DAY}/tv/"  # DETAILS: every tracked show
X_COUNTS, RATINGS = f"/x/{NEXT}/2/tweets/counts/recent", f"/imdb/{DAY}/title.ratings.tsv.gz"
FRED_API = "/fred-api/fred/series/observations"
SELECTIONS = {
    "tmdb popular": ["lake/tmdb_popular_payload", "raw/tmdb_popular"],
    "tmdb tv_details": ["lake/tmdb_tv_details_payload", "raw/tmdb_tv_details"],
    "x tweet_counts": ["lake/x_tweet_counts_payload", "raw/x_tweet_counts"],
    "imdb title.ratings": ["lake/imdb_title_ratings_payload", "raw/imdb_title_ratings"],
    "fred": FRED,
}
# (fault, source, fault, expected outcome, words of the cause)
SOURCE_FAULTS: list[tuple[str, str, Fault, str, str]] = [
    ("429 twice, no Retry-After", "tmdb popular", Fault(POPULAR, "status", status=429, times=2), RECOVERED, ""),
    ("503 storm", "tmdb popular", Fault(POPULAR, "status", status=503), FAILED, "HTTP 503"),
    ("connection reset mid-body, once", "tmdb popular", Fault(POPULAR, "reset", times=1), RECOVERED, ""),
    ("malformed JSON", "tmdb popular", Fault(POPULAR, "malformed"), FAILED, "malformed JSON"),
    (
        "renamed field",
        "tmdb popular",
        Fault(POPULAR, "rename", field="results", rename_to="items"),
        FAILED,
        "not a TMDB list page",
    ),
    ("500 once", "tmdb tv_details", Fault(DETAILS, "status", status=500, times=1), RECOVERED, ""),
    ("404 for every tracked show", "tmdb tv_details", Fault(DETAILS, "status", status=404), FAILED, "nothing usable"),
    ("503 storm", "tmdb tv_details", Fault(DETAILS, "status", status=503), FAILED, "HTTP 503"),
    ("malformed JSON", "tmdb tv_details", Fault(DETAILS, "malformed"), FAILED, "malformed JSON"),
    ("missing field", "tmdb tv_details", Fault(DETAILS, "drop", field="id"), FAILED, "integer `id`"),
    ("429 twice, no Retry-After", "x tweet_counts", Fault(X_COUNTS, "status", status=429, times=2), RECOVERED, ""),
    ("503 storm", "x tweet_counts", Fault(X_COUNTS, "status", status=503), FAILED, "nothing usable"),
    ("connection reset mid-body, once", "x tweet_counts", Fault(X_COUNTS, "reset", times=1), RECOVERED, ""),
    ("malformed JSON", "x tweet_counts", Fault(X_COUNTS, "malformed"), FAILED, "malformed JSON"),
    ("missing field", "x tweet_counts", Fault(X_COUNTS, "drop", field="data"), FAILED, "not an X counts answer"),
    ("connection reset mid-file, once", "imdb title.ratings", Fault(RATINGS, "reset", times=1), RECOVERED, ""),
    ("connection reset mid-file, always", "imdb title.ratings", Fault(RATINGS, "reset"), FAILED, "GET /title.ratings"),
    ("truncated gzip", "imdb title.ratings", Fault(RATINGS, "malformed"), FAILED, "truncated download"),
    (
        "changed header",
        "imdb title.ratings",
        Fault(RATINGS, "gzip_text", field="averageRating", rename_to="rating"),
        FAILED,
        "header is",
    ),
    ("a header and no rows", "imdb title.ratings", Fault(RATINGS, "gzip_head"), FAILED, "no rows after the header"),
    ("500 once", "fred", Fault(FRED_API, "status", status=500, times=1), RECOVERED, ""),
    ("malformed body", "fred", Fault(FRED_API, "malformed"), FAILED, "malformed JSON"),
    ("503 storm", "fred", Fault(FRED_API, "status", status=503), FAILED, "HTTP 503"),
]


@pytest.mark.parametrize(
    ("name", "source", "fault", "expected", "cause"), SOURCE_FAULTS, ids=[f"{f[1]}: {f[0]}" for f in SOURCE_FAULTS]
)
def test_source_fault(ws: Workspace, name: str, source: str, fault: Fault, expected: str, cause: str) -> None:
    ws.server.faults.clear()
    ws.server.faults.add(Fault(**{**fault.__dict__}))  # a fresh copy: `times` counts down
    if source == "fred":
        result, partition = _materialize(ws, FRED, tags=range_tags(MONTH)), MONTH
    else:
        result, partition = run(ws.resources, ws.instance, DAY, selection=SELECTIONS[source], raise_on_error=False), DAY
    ws.server.faults.clear()
    ws.check(result, expected, f"partition {partition}", source.split()[0], cause)
    ws.results.append((name, SELECTIONS[source][0], expected, ws.assert_untouched(expected == RECOVERED)))


def test_a_cpi_month_not_yet_published_fails_cleanly(ws: Workspace) -> None:
    month = date.today().replace(day=1).isoformat()  # the sample publishes through last month, as BLS does
    result = _materialize(ws, FRED, tags=range_tags(month))
    ws.check(result, FAILED, f"partition {month}: FRED has not published this month yet")
    ws.results.append(("a month not yet published", FRED[0], FAILED, ws.assert_untouched()))


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _only_bad_records(files: dict[str, bytes]) -> dict[str, bytes]:
    header, *rows = files["links.csv"].decode().splitlines()
    return {**files, "links.csv": "\n".join([header] + [f"x{row}" for row in rows]).encode()}


# (fault, source, the dropped file's bytes, words of the cause)
DROP_FAULTS: list[tuple[str, str, Callable[[], bytes], str]] = [
    (
        "truncated zip",
        "letterboxd",
        lambda: letterboxd_zip(TODAY)[: len(letterboxd_zip(TODAY)) // 2],
        "not a zip archive",
    ),
    (
        "a CSV whose header changed",
        "letterboxd",
        lambda: _zip(
            {
                **letterboxd_files(),
                "genres.csv": letterboxd_files()["genres.csv"].replace(b"id,genre", b"film,genre", 1),
            }
        ),
        "header is",
    ),
    (
        "a CSV of only bad records",
        "movies",
        lambda: _zip(_only_bad_records(movies_files())),
        "links.csv has no readable record",
    ),
    ("an empty CSV (no bytes)", "movies", lambda: _zip({**movies_files(), "keywords.csv": b""}), "header is missing"),
    (
        "a CSV with a header and no records",
        "movies",
        lambda: _zip({**movies_files(), "keywords.csv": b"id,keywords\n"}),
        "keywords.csv has no readable record",
    ),
]


@pytest.mark.parametrize(("name", "source", "body", "cause"), DROP_FAULTS, ids=[f"{f[1]}: {f[0]}" for f in DROP_FAULTS])
def test_drop_fault(ws: Workspace, name: str, source: str, body: Callable[[], bytes], cause: str) -> None:
    lake, landing = ws.resources["lake"], f"landing/{source}/bad-{name.replace(' ', '-')}.zip"
    lake.put(landing, body())
    try:
        result = _materialize(ws, KAGGLE[source], partition_key=TODAY)
        ws.check(result, FAILED, f"partition {TODAY}", source, landing, cause)
    finally:
        (ws.lake_root / landing).unlink()  # the drop is left where it was; take it away for the next case
    ws.results.append((name, f"lake/{source}_archive", FAILED, ws.assert_untouched()))


def _drop_field(body: bytes, dataset: str) -> bytes:
    if dataset == "shows":
        return b"".join(
            json.dumps({k: v for k, v in json.loads(line).items() if k != FIELD[dataset]}).encode() + b"\n"
            for line in body.splitlines()
        )
    return json.dumps([{k: v for k, v in e.items() if k != FIELD[dataset]} for e in json.loads(body)]).encode()


# Load faults of every source: the day's lake file broken, the load run alone. raw table -> (the lake file
# it reads, the source's name in messages).
LOAD_FILES = {
    **{f"raw/tvmaze_{d}": (lake_key(d, DAY), "tvmaze") for d in DATASETS},
    "raw/tmdb_popular": (partition_key("tmdb", "popular", DAY, "data.jsonl"), "tmdb"),
    "raw/tmdb_tv_details": (partition_key("tmdb", "tv_details", DAY, "data.jsonl"), "tmdb"),
    "raw/x_tweet_counts": (partition_key("x", "tweet_counts", DAY, "data.jsonl"), "x"),
    "raw/imdb_title_ratings": (partition_key("imdb", "title_ratings", DAY, "title.ratings.tsv.gz"), "imdb"),
}
LOAD_FAULTS: list[tuple[str, Callable[[bytes, str], bytes | None], str]] = [
    ("lake file truncated", lambda body, d: body[: len(body) // 2], ""),
    ("lake file missing", lambda body, d: None, "is not in the lake"),
]
# TVMaze's loads also check the keys staging reads.
LOAD_CASES = [(asset, *fault) for asset in LOAD_FILES for fault in LOAD_FAULTS] + [
    (f"raw/tvmaze_{d}", "lake file lacks a required field", _drop_field, "required fields missing") for d in DATASETS
]


@pytest.mark.parametrize(("asset", "name", "corrupt", "cause"), LOAD_CASES, ids=[f"{c[0]}: {c[1]}" for c in LOAD_CASES])
def test_load_fault(ws: Workspace, asset: str, name: str, corrupt, cause: str) -> None:
    path, source = LOAD_FILES[asset]
    target = ws.lake_root / path
    good = target.read_bytes()
    broken = corrupt(good, asset.removeprefix("raw/tvmaze_"))
    target.unlink() if broken is None else target.write_bytes(broken)
    try:
        result = run(ws.resources, ws.instance, DAY, selection=[asset], raise_on_error=False)
        ws.check(result, FAILED, f"partition {DAY}", source, cause)
    finally:
        target.write_bytes(good)  # the lake's good payload back; the warehouse must not have moved
    ws.results.append((name, asset, FAILED, ws.assert_untouched()))


@pytest.mark.parametrize("dataset", DATASETS)
def test_an_extra_field_is_kept_in_raw_and_ignored_by_staging(ws: Workspace, dataset: str) -> None:
    ws.server.faults.add(Fault(_endpoint(ws, dataset), "extra", field="added_by_source"))
    try:
        assert run(ws.resources, ws.instance, DAY, selection=_asset_selection(dataset)).success
    finally:
        ws.server.faults.clear()
    kept = ws.resources["warehouse"].query(
        f"select count(*) from raw.tvmaze_{dataset} where partition_date = ? and json_exists(payload, '$.added_by_source')",
        [DAY],
    )
    assert kept[0][0] >= 1
    run(ws.resources, ws.instance, DAY, selection=_asset_selection(dataset))  # the source is back to normal
    ws.results.append(
        (
            "extra field",
            f"lake/tvmaze_{dataset}_payload",
            RECOVERED + " (field kept in raw)",
            ws.assert_untouched(refetched=True),
        )
    )


KILL_SCRIPT = """
import sys, time
from tv_assets.platform import warehouse
from tv_assets.platform.warehouse import DuckDBWarehouse

swap = warehouse.swap_partition

def paused_after_insert(execute, *args):
    # The real swap, held still once its insert has run inside the open transaction: the test kills it there.
    def step(sql, *params):
        result = execute(sql, *params)
        if sql.startswith("insert"):
            print("inserted", flush=True)
            time.sleep(600)
        return result
    return swap(step, *args)

warehouse.swap_partition = paused_after_insert
path, big = sys.argv[1], sys.argv[2]
DuckDBWarehouse(path=path).replace_json_partition("tvmaze_schedule", sys.argv[3], big, "array", 20_000)
"""


def test_a_load_killed_midway_leaves_the_partition_intact_and_the_next_run_succeeds(
    ws: Workspace, tmp_path: Path
) -> None:
    episode = json.loads(ws.good_payloads["schedule"])[0]
    big = tmp_path / "big.json"
    big.write_text(json.dumps([episode] * 20_000))
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, ws.resources["warehouse"].path, str(big), DAY],
        stdout=subprocess.PIPE,
        env=os.environ.copy(),
    )
    # Killed where it hurts most, whatever the machine's speed: the old rows deleted and the new ones
    # inserted, not yet committed.
    assert process.stdout.readline().strip() == b"inserted"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert ws.counts() == ws.good_counts  # the uncommitted delete+insert is gone
    result = run(ws.resources, ws.instance, DAY, selection=_asset_selection("schedule", load_only=True))
    assert result.success
    ws.results.append(
        ("process killed mid-load (SIGKILL)", "raw/tvmaze_schedule", RECOVERED + " (next run)", ws.assert_untouched())
    )


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
    lines += [
        "",
        f"**{len(ws.results)} faults tried: {recovered} partitions recovered, {failed} failed cleanly, "
        f"{sum(r[3] for r in ws.results)} rows lost, {leaked} secrets leaked** "
        f"(searched: {len(ws.messages)} error messages, every run's event log, every lake file).",
    ]
    table = "\n".join(lines)
    artifacts = Path(__file__).parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "reliability.md").write_text(table + "\n")
    print("\n" + table)
