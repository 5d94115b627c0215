"""IMDB's dumps end to end on the sample API: the history by change (`marts.imdb_title_changes`,
`marts.imdb_rating_changes`) and its views row by row against an independent reading of the same files
(Python's csv module, no SQL), the format's traps, and bad downloads."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from tv_assets.defs.imdb.assets import filename
from tv_assets.defs.imdb.client import COLUMNS
from tv_assets.defs.imdb.resource import ImdbResource
from tv_assets.defs.imdb.sample import COMMA_CREDITED, COMMA_NAMES, MALFORMED_ADULT, tconst
from tv_assets.platform.lake import partition_key
from tv_assets.sample_api.server import Fault, SampleServer
from tv_assets_tests.pipeline import failure_message, run, sample_base, sample_workspace, stored_history

pytestmark = pytest.mark.integration

DAYS = ("2024-05-01", "2024-05-02")
IMDB = dg.AssetSelection.groups("imdb")
KEPT = {"movie", "tvMovie", "tvSeries", "tvMiniSeries", "tvSpecial"}
COLUMNS_OUT = (
    "title_key",
    "primary_title",
    "original_title",
    "title_type",
    "directors",
    "writers",
    "genres",
    "has_directors",
    "has_writers",
    "has_ended",
    "num_of_genres",
    "release_year",
    "end_year",
    "average_rating",
    "num_votes",
    "runtime_minutes",
    "num_directors",
    "num_writers",
)


@pytest.fixture(scope="module")
def built(sample_server: SampleServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with pytest.MonkeyPatch.context() as mp, dg.instance_for_test() as instance:
        resources = sample_workspace(tmp_path_factory.mktemp("imdb"), sample_server, mp)
        assert run(resources, instance, DAYS[0], DAYS[-1], selection=IMDB).success
        yield {**resources, "instance": instance}


def _rows(lake_root: str, dataset: str, day: str) -> list[dict[str, str | None]]:
    """A lake file read the way IMDB documents it: tabs, no quoting, no escapes, `\\N` is null."""
    path = Path(lake_root) / partition_key("imdb", dataset, day, filename(dataset))
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        return [{k: (None if v == "\\N" else v) for k, v in zip(header, row, strict=True)} for row in reader]


def expected_titles(lake_root: str, day: str) -> dict[str, tuple]:
    names = {r["nconst"]: r["primaryName"] for r in _rows(lake_root, "name_basics", day)}
    ratings = {r["tconst"]: r for r in _rows(lake_root, "title_ratings", day)}
    crew = {r["tconst"]: r for r in _rows(lake_root, "title_crew", day)}
    out = {}
    for t in _rows(lake_root, "title_basics", day):
        if t["titleType"] not in KEPT or t["isAdult"] != "0":
            continue
        people = crew.get(t["tconst"], {})
        directors = (people.get("directors") or "").split(",") if people.get("directors") else []
        writers = (people.get("writers") or "").split(",") if people.get("writers") else []
        rating = ratings.get(t["tconst"])
        genres = t["genres"].split(",") if t["genres"] else []
        integer = lambda v: None if v is None else int(v)  # noqa: E731
        out[t["tconst"]] = (
            t["tconst"],
            t["primaryTitle"],
            t["originalTitle"],
            t["titleType"],
            ",".join(names[d] for d in directors[:5] if d in names) or None,
            ",".join(names[w] for w in writers[:5] if w in names) or None,
            t["genres"],
            bool(directors),
            bool(writers),
            t["endYear"] is not None,
            len(genres),
            integer(t["startYear"]),
            integer(t["endYear"]),
            Decimal(rating["averageRating"]) if rating else None,
            int(rating["numVotes"]) if rating else None,
            integer(t["runtimeMinutes"]),
            len(directors),
            len(writers),
        )
    return out


def test_imdb_titles_match_an_independent_reading_row_by_row(built) -> None:
    lake_root, warehouse = built["lake"].root, built["warehouse"]
    for day in DAYS:
        expected = expected_titles(lake_root, day)
        got = {
            row[0]: tuple(row)
            for row in warehouse.query(
                f"select {', '.join(COLUMNS_OUT)} from marts.imdb_titles_daily where partition_date = ?", [day]
            )
        }
        assert len(expected) > 250
        assert got.keys() == expected.keys(), day
        mismatched = [k for k in expected if got[k] != expected[k]]
        assert not mismatched, [(got[k], expected[k]) for k in mismatched[:3]]


RATING = (COLUMNS_OUT.index("average_rating"), COLUMNS_OUT.index("num_votes"))


def _split(row: tuple) -> tuple[tuple, tuple]:
    """An expected row as (its description, its rating and votes)."""
    return tuple(v for i, v in enumerate(row) if i not in RATING), tuple(row[i] for i in RATING)


def _diff(old: dict[str, tuple], new: dict[str, tuple]) -> dict[str, str]:
    """key -> change type from one day's values to the next's."""
    changes = {k: "added" for k in new.keys() - old.keys()} | {k: "removed" for k in old.keys() - new.keys()}
    return changes | {k: "changed" for k in new.keys() & old.keys() if new[k] != old[k]}


def expected_changes(lake_root: str) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Per day, title -> change type of its description and of its rating, from the files alone. A rating
    is tracked from the day its title is first listed, whether or not the title stays listed."""
    descriptions: dict[str, dict[str, str]] = {}
    ratings: dict[str, dict[str, str]] = {}
    before: dict[str, tuple] = {}
    rated_before: dict[str, tuple] = {}
    tracked: set[str] = set()
    for day in DAYS:
        now = {k: _split(r)[0] for k, r in expected_titles(lake_root, day).items()}
        tracked |= now.keys()
        rated = {
            r["tconst"]: (Decimal(r["averageRating"]), int(r["numVotes"]))
            for r in _rows(lake_root, "title_ratings", day)
            if r["tconst"] in tracked
        }
        descriptions[day], ratings[day] = _diff(before, now), _diff(rated_before, rated)
        before, rated_before = now, rated
    return descriptions, ratings


def test_a_day_holds_only_what_changed_in_the_dump(built) -> None:
    lake_root, warehouse = built["lake"].root, built["warehouse"]
    descriptions, ratings = expected_changes(lake_root)
    for table, expected in (("imdb_title_changes", descriptions), ("imdb_rating_changes", ratings)):
        for day in DAYS:
            got = dict(
                warehouse.query(f"select title_key, change_type from marts.{table} where partition_date = ?", [day])
            )
            assert got == expected[day], (table, day)
        assert set(expected[DAYS[0]].values()) == {"added"}  # the first dump: every title is new
        # the sample's churn shows every kind of change in a day (tv_assets.defs.imdb.sample.Churn), and few
        assert set(expected[DAYS[1]].values()) == {"added", "changed", "removed"}, table
        assert len(expected[DAYS[1]]) < len(expected[DAYS[0]]) / 5, table
    (counts,) = warehouse.query(
        "select titles_listed, titles_added, titles_changed, titles_removed, rating_changes"
        " from marts.imdb_snapshots where partition_date = ?",
        [DAYS[1]],
    )
    kinds = list(descriptions[DAYS[1]].values())
    listed = len(expected_titles(lake_root, DAYS[1]))
    changed = (kinds.count("added"), kinds.count("changed"), kinds.count("removed"), len(ratings[DAYS[1]]))
    assert counts == (listed, *changed)


def test_the_current_state_is_the_newest_dump_with_when_each_title_was_first_seen_and_changed(built) -> None:
    lake_root, warehouse = built["lake"].root, built["warehouse"]
    first, second = (expected_titles(lake_root, day) for day in DAYS)
    got = {
        row[0]: row
        for row in warehouse.query(
            f"select {', '.join(COLUMNS_OUT)}, first_seen_on::varchar, last_changed_on::varchar,"
            " last_seen_on::varchar from marts.imdb_titles"
        )
    }
    assert got.keys() == second.keys()
    for key, row in got.items():
        assert row[: len(COLUMNS_OUT)] == second[key], key
        seen = DAYS[0] if key in first else DAYS[1]
        changed = seen if key not in first or first[key] == second[key] else DAYS[1]
        assert row[len(COLUMNS_OUT) :] == (seen, changed, DAYS[1]), (key, row)


def test_a_range_in_one_run_gives_what_its_days_in_order_give(built, sample_server, tmp_path, monkeypatch) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    with dg.instance_for_test() as instance:
        for day in DAYS:
            assert run(resources, instance, day, selection=IMDB).success
    assert history(resources["warehouse"]) == history(built["warehouse"])


def test_lists_use_imdbs_comma_without_a_space_and_a_name_with_a_comma_stays_whole(built) -> None:
    ((directors, genres, count),) = built["warehouse"].query(
        "select directors, genres, num_directors from marts.imdb_titles_daily where title_key = ? and partition_date = ?",
        [tconst(COMMA_CREDITED + 1), DAYS[0]],
    )
    assert directors == ",".join(COMMA_NAMES.values()) == "Smith, John,Doe, Jane" and count == 2
    assert genres is None or ", " not in genres
    spaced = built["warehouse"].query("select count(*) from marts.imdb_title_changes where genres like '%, %'")
    assert spaced == [(0,)]


def test_a_title_is_kept_only_when_is_adult_is_0_and_those_left_out_are_counted(built) -> None:
    lake_root, warehouse = built["lake"].root, built["warehouse"]
    rows = [t for t in _rows(lake_root, "title_basics", DAYS[0]) if t["titleType"] in KEPT]
    malformed = [t for t in rows if t["isAdult"] not in ("0", "1")]
    adult = [t for t in rows if t["isAdult"] == "1"]
    assert [t["tconst"] for t in malformed] == [tconst(MALFORMED_ADULT + 1)] and adult
    kept = {
        k
        for (k,) in warehouse.query("select title_key from marts.imdb_titles_daily where partition_date = ?", [DAYS[0]])
    }
    assert not kept & {t["tconst"] for t in malformed + adult}
    # The run covered both days; each day's materialization counts that day's titles left out.
    for day in DAYS:
        (record,) = (
            built["instance"]
            .fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey(["marts", "imdb_title_changes"]), asset_partitions=[day]),
                limit=1,
            )
            .records
        )
        metadata = record.asset_materialization.metadata
        titles = [t for t in _rows(lake_root, "title_basics", day) if t["titleType"] in KEPT]
        assert metadata["left_out/is_adult_not_0_or_1"].value == sum(t["isAdult"] not in ("0", "1") for t in titles)
        assert metadata["left_out/adult"].value == sum(t["isAdult"] == "1" for t in titles) > 0


def test_the_format_traps_survive(built) -> None:
    rows = dict(
        built["warehouse"].query(
            "select title_key, primary_title from marts.imdb_titles_daily where partition_date = ?", [DAYS[0]]
        )
    )
    # Raw quotes, an unbalanced quote at the start, literal NA/None/null, a backslash: all kept as text.
    for title in ('"Weird" Nights', '12" Vinyl', '"Unbalanced Start', "NA", "None", "null", "Back\\Slash", "Amélie"):
        assert title in rows.values(), title
    # Ids of 7 and of 8 digits, the newest title of the day included.
    assert any(len(key) == 10 for key in rows) and any(len(key) == 9 for key in rows)
    assert "tt31001582" in rows  # 2024-05-01's premiere (the generator's day number 1582)
    ozark = built["warehouse"].query(
        "select directors, num_directors, writers, num_writers, has_ended from marts.imdb_titles_daily"
        " where primary_title = 'Ozark' and partition_date = ?",
        [DAYS[0]],
    )[0]
    assert len(ozark[0].split(",")) == 5 and ozark[1] == 41  # names capped at 5, the count is not
    assert ozark[3] == 7 and ozark[4] is True
    missions = built["warehouse"].query(
        "select release_year, runtime_minutes from marts.imdb_titles_daily where primary_title like 'Mission: Impossible%'"
        " and partition_date = ? order by release_year",
        [DAYS[0]],
    )
    assert missions == [(1966, 50), (1996, 110), (2000, 123), (2018, 147)]
    excluded = built["warehouse"].query(
        "select count(*) from marts.imdb_title_changes where primary_title in ('Adults Only', 'Pilot', 'A Short Film')"
    )
    assert excluded == [(0,)]
    # An empty profession is an empty string in the file, null once staged.
    assert built["warehouse"].query("select count(*) from raw.imdb_name_basics where primaryProfession = ''")[0][0] > 0
    assert (
        built["warehouse"].query("select count(*) from staging.stg_imdb__name_basics where primary_profession = ''")[0][
            0
        ]
        == 0
    )


HISTORY = ("marts.imdb_title_changes", "marts.imdb_rating_changes", "marts.imdb_snapshots")


def history(warehouse: Any) -> dict[str, list[tuple]]:
    return stored_history(warehouse, HISTORY)


def test_each_day_is_its_own_snapshot_and_a_rerun_replaces_only_it(built, sample_server) -> None:
    warehouse = built["warehouse"]
    counts = dict(warehouse.query("select partition_date::varchar, count(*) from marts.imdb_titles_daily group by 1"))
    votes = dict(
        warehouse.query("select partition_date::varchar, sum(num_votes) from marts.imdb_titles_daily group by 1")
    )
    assert set(counts) == set(DAYS) and votes[DAYS[-1]] > votes[DAYS[0]]  # votes grow day to day
    before = history(warehouse)
    with dg.instance_for_test() as instance:
        assert run(built, instance, DAYS[1], selection=IMDB).success
    assert history(warehouse) == before


def test_a_truncated_download_is_kept_aside_and_fails_clearly(tmp_path, sample_server, monkeypatch) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    path = f"/imdb/{DAYS[0]}/title.ratings.tsv.gz"
    sample_server.faults.add(Fault(path, "malformed"))  # half the gzip body, then the end
    with dg.instance_for_test() as instance:
        result = run(resources, instance, DAYS[0], selection=["lake/imdb_title_ratings_payload"], raise_on_error=False)
    message = failure_message(result)
    assert "imdb title.ratings, partition 2024-05-01" in message and "truncated" in message
    assert "rejected" in message
    lake = Path(resources["lake"].root)
    assert list((lake / "rejected/imdb/title_ratings").rglob("*.tsv.gz"))  # kept as received
    assert not (lake / partition_key("imdb", "title_ratings", DAYS[0], filename("title_ratings"))).exists()


def test_a_connection_reset_mid_file_is_retried(tmp_path, sample_server, monkeypatch) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    resources["imdb"] = ImdbResource(base_url=sample_base("imdb"), replay=True, backoff_base_s=0.01)
    path = f"/imdb/{DAYS[0]}/title.crew.tsv.gz"
    sample_server.faults.add(Fault(path, "reset", times=1))
    with dg.instance_for_test() as instance:
        assert run(resources, instance, DAYS[0], selection=["lake/imdb_title_crew_payload"]).success
    record = json.loads(resources["lake"].get(partition_key("imdb", "title_crew", DAYS[0], "_request.json")))
    assert record["rows"] == 3_001 and sample_server.faults.hits[path] == 2


def test_a_dump_served_from_a_file_on_disk_is_fetched_and_stored_as_it_is(tmp_path, sample_server, monkeypatch) -> None:
    """The benchmarks serve their full-size files this way: the fetch streams and checks them like any dump."""
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    day, dataset = "2024-06-02", "title_ratings"
    on_disk = tmp_path / "generated.tsv.gz"
    on_disk.write_bytes(gzip.compress(b"tconst\taverageRating\tnumVotes\n" + b"tt0000001\t5.7\t2100\n" * 250_000))
    path = f"/imdb/{day}/{filename(dataset)}"
    sample_server.app.files[path] = on_disk
    try:
        with dg.instance_for_test() as instance:
            assert run(resources, instance, day, selection=[f"lake/imdb_{dataset}_payload"]).success
    finally:
        sample_server.app.files.pop(path, None)
    lake = resources["lake"]
    assert lake.get(partition_key("imdb", dataset, day, filename(dataset))) == on_disk.read_bytes()
    assert json.loads(lake.get(partition_key("imdb", dataset, day, "_request.json")))["rows"] == 250_000


def test_a_past_day_not_in_the_lake_cannot_be_fetched(tmp_path, sample_server, monkeypatch) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    resources["imdb"] = ImdbResource()  # the real site: never reached, the day is long gone
    with dg.instance_for_test() as instance:
        result = run(
            resources, instance, "2021-03-01", selection=["lake/imdb_title_basics_payload"], raise_on_error=False
        )
    message = failure_message(result)
    assert "imdb title_basics, partition 2021-03-01: IMDB publishes only today's dump" in message
    assert "the lake has no copy of it" in message


def _file_replaced(lake, record_key: str, file_key: str, record: dict) -> str:
    """The lake file swapped for a valid one with its last row gone, the download's record kept."""
    text = gzip.decompress(lake.get(file_key))
    lake.put(file_key, gzip.compress(text[: text.rstrip(b"\n").rfind(b"\n") + 1]))
    return "is not the file downloaded (its SHA-256 differs); the warehouse reads"


def _count_without_checksum(lake, record_key: str, file_key: str, record: dict) -> str:
    """A record of an older download (no checksum) whose count is not what the reader reads."""
    lake.put(
        record_key,
        json.dumps({k: v for k, v in record.items() if k != "sha256"} | {"rows": record["rows"] + 1}).encode(),
    )
    return "the download counted"


@pytest.mark.parametrize("tamper", [_file_replaced, _count_without_checksum])
def test_a_load_that_reads_other_than_the_rows_downloaded_holds_the_mart_back(built, tamper) -> None:
    lake, warehouse = built["lake"], built["warehouse"]
    record_key = partition_key("imdb", "title_ratings", DAYS[0], "_request.json")
    file_key = partition_key("imdb", "title_ratings", DAYS[0], "title.ratings.tsv.gz")
    original, original_file = lake.get(record_key), lake.get(file_key)
    record = json.loads(original)
    assert len(record["sha256"]) == 64  # the download recorded what it counted
    complaint = tamper(lake, record_key, file_key, record)
    before = history(warehouse)
    try:
        with dg.instance_for_test() as instance:
            result = run(
                built, instance, DAYS[0], selection=IMDB - dg.AssetSelection.key_prefixes("lake"), raise_on_error=False
            )
        failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
        assert [(e.asset_key.to_user_string(), e.check_name) for e in failed] == [
            ("raw/imdb_title_ratings", "rows_match_download")
        ]
        (mismatch,) = failed[0].metadata["mismatched"].data.values()
        assert complaint in mismatch.pop("problem")
        read = warehouse.query("select count(*) from raw.imdb_title_ratings where partition_date = ?", [DAYS[0]])[0][0]
        assert (
            mismatch == {"rows": read, "downloaded_rows": json.loads(lake.get(record_key))["rows"]}
            and read != mismatch["downloaded_rows"]
        )
        started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
        assert "daily_dbt_models" not in started  # held back by the blocking check
        assert history(warehouse) == before
    finally:
        lake.put(record_key, original)
        lake.put(file_key, original_file)


@pytest.mark.parametrize(
    "body, complaint",
    [
        (b"tconst\taverageRating\n" + b"tt0000001\t7.1\n", "header is"),
        (b"tconst\taverageRating\tnumVotes\ntt0000001\t7.1\n", "wrong number of fields"),
        (b"tconst\taverageRating\tnumVotes\n", "no rows"),
    ],
)
def test_the_stream_check_names_what_is_wrong(body: bytes, complaint: str) -> None:
    from tv_assets.defs.imdb.client import check_tsv_gz
    from tv_assets.platform.http import PayloadError

    with pytest.raises(PayloadError, match=complaint):
        check_tsv_gz([gzip.compress(body)], COLUMNS["title_ratings"][1], "imdb title.ratings, partition x")


def test_the_stream_check_counts_across_chunks_and_gzip_members() -> None:
    from tv_assets.defs.imdb.client import check_tsv_gz

    text = b"tconst\taverageRating\tnumVotes\n" + b"".join(b"tt%07d\t7.%d\t%d\n" % (i, i % 10, i) for i in range(5000))
    packed = gzip.compress(text[:70_000]) + gzip.compress(
        text[70_000:] + b"tt9999999\t1.0\t5"
    )  # two members, no final LF
    chunks = [packed[i : i + 777] for i in range(0, len(packed), 777)]
    summary = check_tsv_gz(chunks, COLUMNS["title_ratings"][1], "x")
    assert summary.rows == 5001 and summary.compressed_bytes == len(packed)
    assert summary.text_bytes == len(text) + len(b"tt9999999\t1.0\t5")


def test_the_daily_job_records_each_days_dump_and_leaves_the_models_to_automation() -> None:
    from tv_assets.definitions import defs
    from tv_assets.defs.imdb.definitions import job as imdb_daily_job
    from tv_assets_tests.pipeline import ALL_ASSETS

    imdb_daily_schedule = defs.resolve_schedule_def("imdb_daily_schedule")
    assert imdb_daily_schedule.cron_schedule == "20 6 * * *"
    assert imdb_daily_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    keys = {k.to_user_string() for k in imdb_daily_job.selection.resolve(ALL_ASSETS)}
    assert keys == {
        f"{layer}/imdb_{d}{suffix}" for d in COLUMNS for layer, suffix in (("lake", "_payload"), ("raw", ""))
    }
