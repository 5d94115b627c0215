"""Trending TV end to end on the sample API: the star schema's joins, the day-over-day arithmetic
against the generator's own numbers, and the graph running without an X token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from tv_assets.defs.tmdb.resource import TMDBResource
from tv_assets.defs.x.resource import XResource
from tv_assets.platform.lake import partition_key
from tv_assets.platform.tracked import tracked_shows
from tv_assets.sample_api.server import Fault, SampleServer
from tv_assets_tests.pipeline import failure_message, run, sample_base, sample_workspace

pytestmark = pytest.mark.integration

DAYS = ("2024-03-03", "2024-03-04", "2024-03-05")
TRENDING = dg.AssetSelection.groups("tmdb", "x", "trending")


@pytest.fixture(scope="module")
def warehouse(sample_server: SampleServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as mp, dg.instance_for_test() as instance:
        resources = sample_workspace(tmp_path_factory.mktemp("trending"), sample_server, mp)
        assert run(resources, instance, DAYS[0], DAYS[-1]).success
        yield resources["warehouse"]


def test_every_fact_row_has_its_dimension_rows(warehouse) -> None:
    for fact in ("fct_tmdb_stat", "fct_tweet_stat"):
        rows = warehouse.query(f"select count(*) from marts.{fact}")[0][0]
        assert rows == len(DAYS) * len(tracked_shows())
        orphans = warehouse.query(
            f"select count(*) from marts.{fact} as f"
            " left join marts.dim_tvshows as s on s.partition_date = f.partition_date and s.tmdb_id = f.tmdb_id"
            " left join marts.dim_date as d on d.partition_date = f.partition_date"
            " where s.tmdb_id is null or d.partition_date is null"
        )[0][0]
        assert orphans == 0, fact
    for dim, column, key in (("dim_genres", "genre_ids", "genre_id"), ("dim_networks", "network_ids", "network_id")):
        listed = warehouse.query(f"select partition_date, {column} from marts.dim_tvshows where {column} is not null")
        known = {(d, k) for d, k in warehouse.query(f"select partition_date, {key} from marts.{dim}")}
        needed = {(d, int(i)) for d, ids in listed for i in ids.split(",")}
        assert needed and needed <= known, dim
    assert warehouse.query("select weekday, weekday_name from marts.dim_date where partition_date = '2024-03-04'") == [
        (1, "Monday")
    ]


def test_day_over_day_arithmetic_matches_the_generator(warehouse, sample_server: SampleServer) -> None:
    tmdb, x = sample_server.app.tmdb, sample_server.app.x
    shows = {s.tmdb_id: s for s in tracked_shows()}
    rows = warehouse.columns(
        "select * from marts.tvshow_trending_daily where partition_date = ? order by tmdb_id", [DAYS[-1]]
    )
    columns, values = rows
    last, prev, first = (date.fromisoformat(d) for d in (DAYS[-1], DAYS[-2], DAYS[0]))
    checked = 0
    for row in values:
        r = dict(zip(columns, row, strict=True))
        show, tid = shows[r["tmdb_id"]], r["tmdb_id"]
        pop, pop_prev, pop_first = (Decimal(str(tmdb.popularity(tid, d))) for d in (last, prev, first))
        assert r["popularity"] == pop and r["prev_popularity"] == pop_prev
        assert r["popularity_change_1d"] == pop - pop_prev
        assert float(r["popularity_change_pct_1d"]) == pytest.approx(
            float(100 * (pop - pop_prev) / pop_prev), abs=0.006
        )
        assert float(r["popularity_vs_trailing_7d"]) == pytest.approx(
            float(pop - (pop_prev + pop_first) / 2), abs=0.0006
        )
        votes = {d: tmdb.votes(tid, d)[0] for d in (last, prev)}
        assert r["votes_added_1d"] == votes[last] - votes[prev]
        mentions = {d: x.daily_count(show.hashtag_query, d) + x.daily_count(show.text_query, d) for d in (last, prev)}
        assert r["mentions"] == mentions[last] and r["mentions_change_1d"] == mentions[last] - mentions[prev]
        checked += 1
    assert checked == len(shows)
    # The day's risers: rank 1 has the largest percentage gain.
    best = max(values, key=lambda row: row[columns.index("popularity_change_pct_1d")])
    assert best[columns.index("riser_rank")] == 1


def test_the_first_recorded_day_has_nothing_to_compare_with(warehouse) -> None:
    rows = warehouse.query(
        "select count(*), count(prev_popularity), count(riser_rank), count(votes_added_1d)"
        " from marts.tvshow_trending_daily where partition_date = ?",
        [DAYS[0]],
    )
    assert rows == [(len(tracked_shows()), 0, 0, 0)]


def test_without_an_x_token_the_x_assets_skip_and_the_rest_runs(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    resources["x"] = XResource(base_url=sample_base("x"), replay=True, bearer_token=None)
    result = run(resources, instance, DAYS[1], selection=TRENDING)
    assert result.success
    assert (tmp_path / "lake" / partition_key("x", "tweet_counts", DAYS[1], "_skipped.json")).exists()
    logs = " ".join(str(e.message) for e in instance.all_logs(result.run_id) if e.level >= 30)
    assert "skipped: X_BEARER_TOKEN is not set" in logs
    warehouse = resources["warehouse"]
    assert warehouse.query("select count(*) from raw.x_tweet_counts")[0][0] == 0
    assert warehouse.query("select count(*), count(mentions) from marts.tvshow_trending_daily") == [
        (len(tracked_shows()), 0)
    ]


def test_a_past_tmdb_day_that_is_not_in_the_lake_fails_clearly(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    resources["tmdb"] = TMDBResource(access_token="live-token")  # live mode: no call is made for a past day
    old = (date.today() - timedelta(days=30)).isoformat()
    result = run(resources, instance, old, selection=["lake/tmdb_tv_details_payload"], raise_on_error=False)
    assert not result.success
    message = failure_message(result)
    assert f"partition {old}" in message and "TMDB serves only today's values" in message and "no copy" in message


def test_a_malformed_x_answer_is_kept_aside_and_fails_the_partition(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    sample_server.faults.add(Fault("/x/2024-03-05/2/tweets/counts/recent", "malformed"))
    result = run(resources, instance, DAYS[1], selection=["lake/x_tweet_counts_payload"], raise_on_error=False)
    assert not result.success
    message = failure_message(result)
    assert f"partition {DAYS[1]}" in message and "malformed JSON" in message and "rejected" in message
    assert list((tmp_path / "lake" / "rejected" / "x" / "tweet_counts").rglob("*.json"))
    assert not (tmp_path / "lake" / partition_key("x", "tweet_counts", DAYS[1], "data.jsonl")).exists()


def test_list_positions_are_tmdbs_own_order_not_a_ranking_by_the_popularity_shown(
    warehouse, sample_server: SampleServer
) -> None:
    day = date.fromisoformat(DAYS[-1])
    for kind in ("popular", "trending"):
        results = [r for page in range(1, 6) for r in sample_server.app.tmdb.page(kind, page, day)["results"]]
        ids = [r["id"] for r in results]
        # The trap: TMDB's order is not the order of the popularity figures its results carry.
        assert ids != [r["id"] for r in sorted(results, key=lambda r: -r["popularity"])], kind
        expected = {tmdb_id: place for place, tmdb_id in enumerate(ids, 1)}
        got = dict(
            warehouse.query(
                f"select tmdb_id, {kind}_position from marts.tvshow_trending_daily"
                f" where partition_date = ? and {kind}_position is not null",
                [DAYS[-1]],
            )
        )
        assert got and got == {i: p for i, p in expected.items() if i in {s.tmdb_id for s in tracked_shows()}}


# ---- present-only days: one rule in every mode, and a day with nothing usable is never stored ----


def _lake_file(tmp_path: Path, source: str, dataset: str, day: str) -> Path:
    return tmp_path / "lake" / partition_key(source, dataset, day, "data.jsonl")


def _calls(sample_server: SampleServer, prefix: str, since: int) -> int:
    return sum(path.startswith(prefix) for _, path in sample_server.app.request_log[since:])


@pytest.mark.parametrize(
    ("source", "dataset", "asset"),
    [("tmdb", "tv_details", "lake/tmdb_tv_details_payload"), ("x", "tweet_counts", "lake/x_tweet_counts_payload")],
)
def test_a_past_day_in_the_lake_is_kept_and_one_not_in_it_fails_against_servers_that_answer_as_the_source_does(
    sample_server: SampleServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    instance: dg.DagsterInstance,
    source: str,
    dataset: str,
    asset: str,
) -> None:
    # The trap: sample mode counted every day as fetchable, so a kept day was fetched again (X answers 400).
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    kept_day, missing_day = DAYS[1], DAYS[0]
    assert run(resources, instance, kept_day, selection=[asset]).success  # replayed: the day as its run saw it
    stored = _lake_file(tmp_path, source, dataset, kept_day).read_bytes()
    # Now as the source answers today: TMDB the present only, X the last 7 days (400 before).
    resources["tmdb"] = TMDBResource(base_url=sample_base("tmdb/3"), access_token="t", calls_per_s=1000)
    resources["x"] = XResource(base_url=sample_base("x"), bearer_token="t", calls_per_15min=10_000)
    if source == "x":
        from tv_assets.platform.http import SourceError

        with pytest.raises(SourceError, match="only the last 7 days"):
            resources["x"].client(kept_day).counts("#GameOfThrones", kept_day)
    since = len(sample_server.app.request_log)
    assert run(resources, instance, kept_day, selection=[asset]).success
    assert _calls(sample_server, f"/{source}", since) == 0
    assert _lake_file(tmp_path, source, dataset, kept_day).read_bytes() == stored
    result = run(resources, instance, missing_day, selection=[asset], raise_on_error=False)
    message = failure_message(result)
    assert not result.success and f"partition {missing_day}" in message and "the lake has no copy" in message
    assert _calls(sample_server, f"/{source}", since) == 0
    assert not _lake_file(tmp_path, source, dataset, missing_day).exists()


def test_a_tmdb_day_where_every_tracked_show_answers_404_fails_stores_nothing_and_a_retry_succeeds(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    day, shows = DAYS[2], len(tracked_shows())
    sample_server.faults.add(Fault(f"/tmdb/3/{day}/tv/", "status", status=404))
    result = run(resources, instance, day, selection=["lake/tmdb_tv_details_payload"], raise_on_error=False)
    message = failure_message(result)
    assert not result.success
    assert f"partition {day}: {shows} of {shows} failed (nothing usable)" in message and "HTTP 404" in message
    assert not _lake_file(tmp_path, "tmdb", "tv_details", day).exists()
    sample_server.faults.clear()
    assert run(resources, instance, day, selection=["lake/tmdb_tv_details_payload"]).success


def test_failures_over_the_threshold_fail_the_day_and_under_it_are_recorded(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    day, ids = DAYS[2], sorted(s.tmdb_id for s in tracked_shows())
    over = ids[: len(ids) // 5]  # 20% of the tracked shows, over the default 10%
    for tmdb_id in over:
        sample_server.faults.add(Fault(f"/tmdb/3/{day}/tv/{tmdb_id}", "status", status=404))
    result = run(resources, instance, day, selection=["lake/tmdb_tv_details_payload"], raise_on_error=False)
    assert f"{len(over)} of {len(ids)} failed (more than 10% failed): {over[0]}: HTTP 404" in failure_message(result)
    assert not _lake_file(tmp_path, "tmdb", "tv_details", day).exists()
    resources["tmdb"] = TMDBResource(
        base_url=sample_base("tmdb/3"), replay=True, access_token="t", calls_per_s=1000, max_failed_share=0.25
    )  # the threshold is configuration
    assert run(resources, instance, day, selection=["lake/tmdb_tv_details_payload"]).success
    record = json.loads((tmp_path / "lake" / partition_key("tmdb", "tv_details", day, "_request.json")).read_text())
    assert sorted(map(int, record["failed"])) == over
    lines = _lake_file(tmp_path, "tmdb", "tv_details", day).read_bytes().splitlines()
    assert len(lines) == len(ids) - len(over)


def test_an_x_day_whose_every_query_is_refused_fails_and_stores_nothing(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    day = DAYS[2]
    now = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    sample_server.faults.add(Fault(f"/x/{now}/2/tweets/counts/recent", "status", status=403))
    result = run(resources, instance, day, selection=["lake/x_tweet_counts_payload"], raise_on_error=False)
    message = failure_message(result)
    queries = len({q for s in tracked_shows() for q in (s.hashtag_query, s.text_query)})
    assert f"partition {day}: {queries} of {queries} failed (nothing usable)" in message and "HTTP 403" in message
    assert not _lake_file(tmp_path, "x", "tweet_counts", day).exists()
