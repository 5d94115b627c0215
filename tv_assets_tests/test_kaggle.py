"""Kaggle drops end to end: an archive dropped in the landing area is found by the landing sensor's
logic, split (unreadable records quarantined with reason and source text), bulk-loaded, and the five
movie marts are checked against an independent computation from the generated files (Python's csv and
`ast.literal_eval`, no SQL). Bad drops fail clearly and leave the dropped file where it was."""

from __future__ import annotations

import ast
import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from tv_assets.defs.fred import sample as fred_sample
from tv_assets.defs.kaggle.resource import KaggleResource
from tv_assets.defs.kaggle.sample import (
    SPLIT_RECORDS,
    TOP_BY_FEW_VOTES,
    KaggleScale,
    letterboxd_files,
    letterboxd_zip,
    movies_files,
    themes,
    write_archive,
)
from tv_assets.platform.lake import partition_key
from tv_assets.platform.partitions import range_tags
from tv_assets.platform.settings import DBT_PROJECT_DIR
from tv_assets.runs import ALL_ASSETS, drop_archive
from tv_assets.sample_api.server import SampleServer
from tv_assets_tests.pipeline import (
    drop_definitions,
    failure_message,
    sample_base,
    sample_workspace,
)

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date().isoformat()
CPI_MONTHS = ("2016-01-01", "2017-12-01")
MIN_RATINGS, TOP_N = 50, 250


@pytest.fixture(scope="module")
def built(sample_server: SampleServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with pytest.MonkeyPatch.context() as mp, dg.instance_for_test() as instance:
        resources = sample_workspace(tmp_path_factory.mktemp("kaggle"), sample_server, mp)
        defs = drop_definitions(resources)
        assert (
            defs.resolve_job_def("fred_monthly")
            .execute_in_process(instance=instance, tags=range_tags(*CPI_MONTHS))
            .success
        )
        runs = [
            *drop_archive(defs, instance, "letterboxd", "letterboxd.zip", letterboxd_zip(TODAY)),
            # A file on disk, streamed to the landing area, as the real volume's archives are dropped.
            *drop_archive(
                defs,
                instance,
                "movies",
                "the-movies-dataset.zip",
                write_archive("movies", tmp_path_factory.mktemp("drop") / "movies.zip", TODAY, KaggleScale()),
            ),
        ]
        assert len(runs) == 2 and all(r.success for r in runs)
        yield {"resources": resources, "defs": defs, "instance": instance, "runs": runs}


def query(built: dict[str, Any], sql: str) -> list[tuple]:
    with duckdb.connect(built["resources"]["warehouse"].path, read_only=True) as con:
        return con.execute(sql).fetchall()


def half_up(value: Decimal | float, digits: int) -> float:
    return float(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


# ---- the independent reading of the generated files ----


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(), newline="")))


def movies() -> dict[int, dict[str, Any]]:
    """movies_metadata.csv: whole 24-field records with an integer id and a release date, one per id
    (the copy with the most votes, then popularity)."""
    files, kept = movies_files(), {}
    for row in _csv(files["movies_metadata.csv"]):
        if None in row.values() or None in row or not row["id"].isdigit() or not row["release_date"]:
            continue  # the records cut in two: stubs are short, tails have a date in `id`
        key = (float(row["vote_count"] or 0), float(row["popularity"] or 0))
        movie_id = int(row["id"])
        if movie_id not in kept or key > kept[movie_id]["key"]:
            kept[movie_id] = {
                "key": key,
                "title": row["title"],
                "imdb_id": row["imdb_id"] or None,
                "year": int(row["release_date"][:4]),
                "month": int(row["release_date"][5:7]),
                "genres": [g["name"] for g in ast.literal_eval(row["genres"])],
                "revenue": int(float(row["revenue"])) or None,
                "budget": int(row["budget"]) or None,
                **{column: _names(row[column]) for column in LITERAL_LISTS},
            }
    return kept


LITERAL_LISTS = ("production_companies", "production_countries", "spoken_languages")


def _names(literal: str, job: str | None = None) -> str | None:
    """What staging makes of a nested column: its names, comma-joined, read by Python's own parser."""
    names = [d["name"] for d in ast.literal_eval(literal) if job is None or d.get("job") == job]
    return ",".join(names) or None


def ratings_by_tmdb() -> dict[int, tuple[int, float]]:
    files = movies_files()
    links = {int(r["movieId"]): int(float(r["tmdbId"])) for r in _csv(files["links.csv"]) if r["tmdbId"]}
    totals: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for r in _csv(files["ratings.csv"]):
        if int(r["movieId"]) in links:
            total = totals[links[int(r["movieId"])]]
            total[0] += 1
            total[1] += float(r["rating"])
    return {k: (int(n), s) for k, (n, s) in totals.items()}


# ---- the marts, row by row ----


def test_movies_top_rated_matches_a_vote_weighted_ranking_computed_in_python(built: dict[str, Any]) -> None:
    films, rated = movies(), ratings_by_tmdb()
    mean = sum(s for _, s in rated.values()) / sum(n for n, _ in rated.values())
    scored = sorted(
        ((-(s + MIN_RATINGS * mean) / (n + MIN_RATINGS), -n, tmdb) for tmdb, (n, s) in rated.items() if tmdb in films)
    )[:TOP_N]
    expected = [
        (rank, tmdb, rated[tmdb][0], half_up(Decimal(rated[tmdb][1]) / rated[tmdb][0], 3), -score)
        for rank, (score, _, tmdb) in enumerate(scored, start=1)
    ]
    actual = query(
        built,
        f"select rank, tmdb_id, num_ratings, avg_rating, weighted_score from marts.movies_top_rated"
        f" where partition_date = '{TODAY}' order by rank",
    )
    assert [row[:4] for row in actual] == [row[:4] for row in expected]
    assert all(abs(a[4] - e[4]) < 1e-4 for a, e in zip(actual, expected, strict=True))
    # The trap: three perfect ratings must not top the list.
    ((rank, num, avg),) = query(
        built, f"select rank, num_ratings, avg_rating from marts.movies_top_rated where tmdb_id = {TOP_BY_FEW_VOTES}"
    )
    assert (num, avg) == (3, 5.0) and rank > 10


def test_movies_genre_popularity_counts_ratings_through_links(built: dict[str, Any]) -> None:
    films, rated = movies(), ratings_by_tmdb()
    per_genre: dict[str, list] = defaultdict(lambda: [0, 0, 0.0])
    for tmdb, film in films.items():
        if tmdb in rated:
            for genre in film["genres"]:
                per_genre[genre][0] += 1
                per_genre[genre][1] += rated[tmdb][0]
                per_genre[genre][2] += rated[tmdb][1]
    expected = sorted((g, m, n, half_up(Decimal(s) / n, 3)) for g, (m, n, s) in per_genre.items())
    actual = query(
        built, "select genre, num_movies, num_ratings, avg_rating from marts.movies_genre_popularity order by 1"
    )
    assert actual == expected and len(actual) >= 15


def test_box_office_leaves_unknown_revenue_out_and_groups_by_release_period(built: dict[str, Any]) -> None:
    groups: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0])
    for film in movies().values():
        if film["revenue"]:
            g = groups[(film["year"], (film["month"] - 1) // 3 + 1, film["month"])]
            g[0], g[1] = g[0] + 1, g[1] + film["revenue"]
            g[2], g[3] = g[2] + (film["budget"] or 0), g[3] + (film["budget"] is not None)
    expected = sorted((*k, n, rev, budget or None, with_budget) for k, (n, rev, budget, with_budget) in groups.items())
    actual = query(
        built,
        "select release_year, release_quarter, release_month, movies_with_revenue, total_revenue_usd,"
        " total_budget_usd, movies_with_budget from marts.movies_box_office_by_release_period order by 1, 2, 3",
    )
    assert actual == expected and len(actual) > 10


def test_genre_earnings_are_deflated_with_the_cpi_of_the_release_year(built: dict[str, Any]) -> None:
    values = fred_sample.series(datetime(2017, 12, 1).date())
    yearly = {
        y: sum(float(v) for m, v in values.items() if m.startswith(str(y)) and v != ".") / 12 for y in (2016, 2017)
    }
    sums: dict[tuple[str, int], int] = defaultdict(int)
    for film in movies().values():
        for genre in film["genres"] if film["revenue"] else []:
            sums[(genre, film["year"])] += film["revenue"]
    actual = {
        (g, y): (rev, base, real)
        for g, y, rev, base, real in query(
            built,
            "select genre, release_year, revenue_usd, cpi_base_year, revenue_real_usd from marts.movies_genre_earnings_real",
        )
    }
    assert {k: v[0] for k, v in actual.items()} == dict(sums)
    for (_genre, year), (revenue, base, real) in actual.items():
        assert base == 2017  # the latest year of the CPI loaded
        if year in yearly:
            assert real == pytest.approx(revenue * yearly[2017] / yearly[year], abs=1.0)
        else:
            assert real is None  # no CPI for that year: no real figure, never a guess


def test_letterboxd_movies_by_year_theme_matches_the_files_and_the_seed(built: dict[str, Any]) -> None:
    files = letterboxd_files()
    with open(DBT_PROJECT_DIR / "seeds" / "letterboxd" / "letterboxd_theme_groups.csv", newline="") as handle:
        group_of = {r["theme"]: r["theme_group"] for r in csv.DictReader(handle)}
    films = {}
    for row in _csv(files["movies.csv"]):
        if row["date"]:  # "1999.0" and "1999" alike
            films[int(row["id"])] = (int(float(row["date"])), int(float(row["minute"])) if row["minute"] else None)
    groups: dict[int, set[str]] = defaultdict(set)
    for row in _csv(files["themes.csv"]):
        groups[int(row["id"])].add(group_of[row["theme"]])
    cells: dict[tuple[int, str], list] = defaultdict(list)
    for movie_id, (year, minutes) in films.items():
        for group in groups.get(movie_id) or {"No theme"}:
            cells[(year, group)].append(minutes)
    expected = sorted(
        (
            y,
            g,
            len(m),
            sum(x for x in m if x is not None) if any(x is not None for x in m) else None,
            half_up(Decimal(sum(x for x in m if x is not None)) / sum(x is not None for x in m), 1)
            if any(x is not None for x in m)
            else None,
        )
        for (y, g), m in cells.items()
    )
    actual = query(
        built,
        "select release_year, theme_group, movie_count, total_minutes, avg_minutes"
        " from marts.letterboxd_movies_by_year_theme order by 1, 2",
    )
    assert actual == expected
    assert len(themes()) == 110 and len(set(group_of.values())) == 18


# ---- the traps and the quarantine ----


def test_records_cut_by_a_line_break_are_quarantined_with_reason_line_and_text(built: dict[str, Any]) -> None:
    rows = query(
        built,
        "select file, line_number, reason, source_line from staging.stg_kaggle__quarantine"
        " where source = 'movies' order by line_number",
    )
    assert [r[2] for r in rows] == ["expected 24 fields, found 10", "expected 24 fields, found 15"] * 3
    text = movies_files()["movies_metadata.csv"].decode().split("\n")
    for file, line, _, source_line in rows:  # the line number and the text are the file's own
        assert file == "movies_metadata.csv" and text[line - 1] == source_line
    stubs = [next(csv.reader([r[3]]))[5] for r in rows[0::2]]
    tails = [r[3] for r in rows[1::2]]
    assert stubs == [str(stub) for stub, _ in SPLIT_RECORDS]
    assert all(date in tail for (_, date), tail in zip(SPLIT_RECORDS, tails, strict=True))
    archive = built["runs"][1].asset_materializations_for_node("lake__movies_archive")[0]
    assert archive.metadata["quarantined_rows"].value == 6
    assert archive.metadata["quarantined_per_file"].value == {
        "movies_metadata.csv": 6,
        "ratings.csv": 0,
        "links.csv": 0,
        "credits.csv": 0,
        "keywords.csv": 0,
    }
    # Nothing else vanished: every other record of every file reached raw.
    counts = dict(
        query(
            built,
            "select 'metadata', count(*) from raw.movies_metadata union all "
            "select 'ratings', count(*) from raw.movies_ratings",
        )
    )
    files = movies_files()
    assert counts["metadata"] == len(_csv(files["movies_metadata.csv"])) - 6
    assert counts["ratings"] == files["ratings.csv"].count(b"\n") - 1


def test_movies_traps_duplicates_zero_money_links_and_literals(built: dict[str, Any]) -> None:
    ((dupes,),) = query(built, "select count(*) - count(distinct tmdb_id) from staging.stg_movies__metadata")
    assert dupes == 0
    ((zero_budget,),) = query(
        built, "select count(*) from staging.stg_movies__metadata where budget_usd = 0 or revenue_usd = 0"
    )
    assert zero_budget == 0
    links = dict(
        query(built, "select movielens_id, imdb_id from staging.stg_movies__links where movielens_id in (1, 2)")
    )
    assert links == {1: "tt0114709", 2: "tt0114806"}  # `0114709` with its zero and `tt` put back
    assert query(built, "select count(*) from staging.stg_movies__links where tmdb_id is null")[0][0] > 0
    ((shared,),) = query(built, "select count(*) from staging.stg_movies__links where tmdb_id = 862")
    assert shared == 2  # two MovieLens ids, one film: their ratings add up in the marts
    companies = query(
        built, "select production_companies from raw.movies_metadata where production_companies like '%Kids%' limit 1"
    )
    assert '"Kids\' Pictures"' in companies[0][0]  # the Python literal kept as written
    ((genres,),) = query(built, "select genres from staging.stg_movies__metadata where tmdb_id = 862")
    assert genres.split(",") == movies()[862]["genres"]
    ((directors,),) = query(built, "select directors from staging.stg_movies__credits where tmdb_id = 862")
    assert directors == "Ana Costa"


def test_literal_names_with_an_apostrophe_an_escaped_quote_both_quote_kinds_or_a_backslash_are_read_whole(
    built: dict[str, Any],
) -> None:
    # repr writes "director's cut" in double quotes, 'say "it\'s" twice' with an escape, 'AC\\DC' doubled.
    files, films = movies_files(), movies()
    metadata = query(built, f"select tmdb_id, {', '.join(LITERAL_LISTS)} from staging.stg_movies__metadata")
    assert {row[0]: row[1:] for row in metadata} == {
        tmdb: tuple(film[column] for column in LITERAL_LISTS) for tmdb, film in films.items()
    }
    assert any("Kids' Pictures" in (row[1] or "") for row in metadata)
    credits = {int(r["id"]): (_names(r["cast"]), _names(r["crew"], "Director")) for r in _csv(files["credits.csv"])}
    assert (
        dict(
            (r[0], r[1:])
            for r in query(built, "select tmdb_id, cast_names, directors from staging.stg_movies__credits")
        )
        == credits
    )
    keywords = {(int(r["id"]), _names(r["keywords"])) for r in _csv(files["keywords.csv"])}
    assert set(query(built, "select tmdb_id, keywords from staging.stg_movies__keywords")) == keywords
    written = {name for _, name in keywords if name} | {n for c in credits.values() for n in c if n}
    for trap in ("director's cut", 'say "it\'s" twice', "AC\\DC", "Zoë O'Neil", 'Seán "Bud" O\'Brien'):
        assert any(trap in names for names in written), trap


def test_a_zero_average_with_no_votes_is_null_not_a_rating(built: dict[str, Any]) -> None:
    ((unvoted, averaged),) = query(
        built, "select count(*), count(tmdb_vote_average) from staging.stg_movies__metadata where tmdb_vote_count = 0"
    )
    assert unvoted > 0 and averaged == 0
    ((voted,),) = query(
        built,
        "select count(*) from staging.stg_movies__metadata where tmdb_vote_count > 0"
        " and (tmdb_vote_average is null or tmdb_vote_average = 0)",
    )
    assert voted == 0


def test_letterboxd_traps_float_years_empty_ratings_and_multiline_text(built: dict[str, Any]) -> None:
    rows = dict(
        query(
            built,
            "select movie_id, release_year from staging.stg_letterboxd__movies where movie_id in (1000002, 1000003)",
        )
    )
    assert rows == {1000002: 1960, 1000003: int(_csv(letterboxd_files()["movies.csv"])[2]["date"])}  # 1960.0 -> 1960
    ((rated, total),) = query(built, "select count(average_rating), count(*) from staging.stg_letterboxd__movies")
    assert 0 < rated < total / 2
    ((description,),) = query(built, "select description from staging.stg_letterboxd__movies where movie_id = 1000003")
    assert description.startswith('"') and "\n" in description
    ((duplicates,),) = query(built, "select count(*) - count(distinct movie_id) from staging.stg_letterboxd__movies")
    assert duplicates == 0
    ((unmapped,),) = query(
        built, "select count(*) from marts.letterboxd_movies_by_year_theme where theme_group = 'Unmapped'"
    )
    assert unmapped == 0


def test_every_file_of_an_archive_that_is_not_loaded_is_listed_with_the_reason(built: dict[str, Any]) -> None:
    # The trap: The Movies Dataset's `_small` files and Letterboxd's posters are in the real archives.
    expected = {
        "letterboxd": {"posters.csv", "posters/1000001.jpg"},
        "movies": {"links_small.csv", "ratings_small.csv"},
    }
    lake = built["resources"]["lake"]
    for run, (source, files) in zip(built["runs"], expected.items(), strict=True):
        metadata = run.asset_materializations_for_node(f"lake__{source}_archive")[0].metadata
        table = metadata["ignored_files"].value
        record = json.loads(lake.get(partition_key(source, "archive", TODAY, "_request.json")))
        assert {m["file"] for m in record["ignored"]} == files
        for member in record["ignored"]:
            assert member["reason"] != "" and f"| {member['file']} |" in table and member["reason"] in table


def test_an_unexpected_file_in_a_drop_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    import zipfile

    from tv_assets.defs.kaggle.client import ARCHIVES, UNEXPECTED, ignored_members

    path = tmp_path / "drop.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in {**movies_files(), "README.txt": b"notes", "extra/posters/x.jpg": b"x"}.items():
            archive.writestr(f"the-movies-dataset/{name}", data)
    ignored = {m["file"].split("/", 1)[1]: m for m in ignored_members(path, ARCHIVES["movies"])}
    assert set(ignored) == {"links_small.csv", "ratings_small.csv", "README.txt", "extra/posters/x.jpg"}
    assert ignored["README.txt"]["reason"] == UNEXPECTED and ignored["README.txt"]["bytes"] == 5
    assert "not a subset of ratings.csv" in ignored["ratings_small.csv"]["reason"]
    letterboxd = tmp_path / "letterboxd.zip"
    with zipfile.ZipFile(letterboxd, "w") as archive:
        for name, data in letterboxd_files().items():
            archive.writestr(name, data)
    reasons = {m["file"]: m["reason"] for m in ignored_members(letterboxd, ARCHIVES["letterboxd"])}
    assert reasons == {
        "posters.csv": ARCHIVES["letterboxd"].ignored["posters.csv"],
        "posters/1000001.jpg": ARCHIVES["letterboxd"].ignored["posters/"],
    }


def test_the_dropped_archive_is_kept_as_received(built: dict[str, Any]) -> None:
    lake = built["resources"]["lake"]
    assert lake.get(partition_key("letterboxd", "archive", TODAY, "letterboxd.zip")) == lake.get(
        "landing/letterboxd/letterboxd.zip"
    )
    record = json.loads(lake.get(partition_key("letterboxd", "archive", TODAY, "_request.json")))
    assert record["dropped_file"].endswith("landing/letterboxd/letterboxd.zip") and record["rows"]["movies"] == len(
        _csv(letterboxd_files()["movies.csv"])
    )


def test_re_running_the_partition_replaces_exactly_it(built: dict[str, Any]) -> None:
    before = query(
        built,
        "select count(*) from raw.letterboxd_movies union all select count(*) from marts.letterboxd_movies_by_year_theme",
    )
    job = built["defs"].resolve_job_def("letterboxd_drop")
    assert job.execute_in_process(partition_key=TODAY, instance=built["instance"]).success  # no tag: the day's drop
    assert (
        query(
            built,
            "select count(*) from raw.letterboxd_movies union all "
            "select count(*) from marts.letterboxd_movies_by_year_theme",
        )
        == before
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<html>Kaggle login</html>", "not a zip archive"),
        (None, "the archive lacks ratings.csv, links.csv"),
    ],
)
def test_a_bad_drop_fails_clearly_and_stays_in_the_landing_area(
    built: dict[str, Any], body: bytes | None, expected: str
) -> None:
    if body is None:  # a zip without two of its CSVs
        files = {k: v for k, v in movies_files().items() if k not in ("ratings.csv", "links.csv")}
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        body = buffer.getvalue()
    lake = built["resources"]["lake"]
    stored = lake.get(partition_key("movies", "archive", TODAY, "movies.zip"))
    (result,) = drop_archive(built["defs"], built["instance"], "movies", "bad.zip", body, raise_on_error=False)
    message = failure_message(result)
    assert not result.success and expected in message
    assert f"partition {TODAY}" in message and "landing/movies/bad.zip" in message
    assert lake.get("landing/movies/bad.zip") == body  # the drop is still there
    assert lake.get(partition_key("movies", "archive", TODAY, "movies.zip")) == stored  # unchanged


def test_with_kaggle_credentials_today_s_archive_is_downloaded_into_the_landing_area(
    sample_server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = sample_workspace(tmp_path, sample_server, monkeypatch)
    resources["kaggle"] = KaggleResource(base_url=sample_base("kaggle"), username="analyst", key="k" * 32)
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            ALL_ASSETS,
            selection=["lake/letterboxd_archive"],
            partition_key=TODAY,
            resources=resources,
            instance=instance,
        )
    assert result.success
    lake = resources["lake"]
    assert [o.key for o in lake.list("landing/letterboxd/")] == [f"landing/letterboxd/kaggle-{TODAY}.zip"]
    assert lake.exists(partition_key("letterboxd", "movies", TODAY, "movies.csv.gz"))
    assert "k" * 32 not in lake.get(partition_key("letterboxd", "archive", TODAY, "_request.json")).decode()


# ---- the splitter and the archive check, as pure functions ----


def test_split_keeps_records_verbatim_and_numbers_lines_across_quoted_line_breaks() -> None:
    from tv_assets.defs.kaggle.client import ARCHIVES, split_csv

    spec = ARCHIVES["letterboxd"].files["movies"]
    text = (
        "id,name,date,tagline,description,minute,rating\n"
        '1000001,A,2001.0,,"two\nlines, ""quoted""",90.0,\n'
        "1000002,B,2002,,fine,abc,\n"  # a length that is not a number
        "x1000003,C,2003,,fine,90,\n"  # an id that is not an integer
        "1000004,D,2004,,fine,90\n"  # a field short
        '1000005,E,2005,,"three\nline\nbreaks",95,3.5'
    )  # no line end at the end of the file
    good = io.StringIO()
    split = split_csv(io.StringIO(text, newline=""), spec, good, "letterboxd movies.csv")
    assert split.rows == 2
    assert [(r["line"], r["reason"]) for r in split.rejected] == [
        (4, "minute 'abc' is not a number"),
        (5, "id 'x1000003' is not an integer"),
        (6, "expected 7 fields, found 6"),
    ]
    assert [r["source_line"] for r in split.rejected] == text.split("\n")[3:6]
    assert good.getvalue() == "\n".join(text.split("\n")[:3] + text.split("\n")[6:]) + "\n"
    # A header that changed is the file's shape changing: the whole drop is refused, not every record.
    from tv_assets.defs.kaggle.client import DropError

    with pytest.raises(DropError, match="header is"):
        split_csv(io.StringIO("id,title,year\n1,A,2001\n"), spec, io.StringIO(), "letterboxd movies.csv")


def test_an_archive_is_checked_for_every_csv_it_must_hold(tmp_path: Path) -> None:
    import zipfile

    from tv_assets.defs.kaggle.client import ARCHIVES, DropError, archive_members

    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        for name, data in letterboxd_files().items():
            archive.writestr(f"letterboxd/{name}", data)
    assert archive_members(nested, ARCHIVES["letterboxd"], "t")["themes"].filename == "letterboxd/themes.csv"
    with pytest.raises(DropError, match="the archive lacks movies_metadata.csv, ratings.csv"):
        archive_members(nested, ARCHIVES["movies"], "t")
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04 cut short")
    with pytest.raises(DropError, match="not a zip archive"):
        archive_members(tmp_path / "x.zip", ARCHIVES["letterboxd"], "t")


@pytest.mark.parametrize("line_end", ["", "\n"])
@pytest.mark.parametrize(
    ("source", "table", "member"),
    [
        ("movies", "ratings", "ratings.csv"),
        ("movies", "metadata", "movies_metadata.csv"),  # records cut by a line break
        ("letterboxd", "movies", "movies.csv"),  # quoted descriptions over two lines
        ("letterboxd", "actors", "actors.csv"),  # quoted roles on one line
    ],
)
def test_the_fast_path_splits_exactly_as_record_by_record_whatever_the_block_size(
    monkeypatch: pytest.MonkeyPatch, source: str, table: str, member: str, line_end: str
) -> None:
    from tv_assets.defs.kaggle import client as kaggle

    spec = kaggle.ARCHIVES[source].files[table]
    text = {"movies": movies_files, "letterboxd": letterboxd_files}[source]()[member].decode()
    lines = text.split("\n")
    # a bad record halfway, after many good blocks (at a record's start: an even count of quotes
    # before it), and a last line without its line end
    at = next(i for i in range(len(lines) // 2, len(lines)) if "\n".join(lines[:i]).count('"') % 2 == 0)
    text = "\n".join(lines[:at] + ["12,x,3.5,99"] + lines[at:]).rstrip("\n") + line_end

    def split(block: int, fast: bool) -> tuple:
        monkeypatch.setattr(kaggle, "BLOCK_CHARS", block)
        if not fast:
            monkeypatch.setattr(kaggle, "record_pattern", lambda spec: kaggle.re.compile("(?!)"))
        good = io.StringIO()
        result = kaggle.split_csv(io.StringIO(text, newline=""), spec, good, member)
        monkeypatch.undo()
        return result.rows, result.rejected, good.getvalue()

    expected = split(1 << 22, fast=False)
    assert expected[2].endswith("\n")
    assert "12,x,3.5,99" in [r["source_line"] for r in expected[1]]  # the bad record, set aside
    assert expected[0] + len(expected[1]) == len(list(csv.reader(io.StringIO(text, newline="")))) - 1
    for block in (7, 64, 4096, 1 << 22):
        assert split(block, fast=True) == expected, block


def test_the_fast_path_takes_quoted_fields_and_leaves_the_rest_to_the_csv_module() -> None:
    from tv_assets.defs.kaggle.client import ARCHIVES, record_pattern

    actors = record_pattern(ARCHIVES["letterboxd"].files["actors"])
    for record in [
        '1000001,Ana Costa,"Guard, Night"',
        '1000001,"Sami ""Red"" Varga",',
        "1000001,,",
        '1000001,Ana Costa,"Guard,\nNight"',  # a line break inside quotes, as the csv module reads it
    ]:
        assert actors.fullmatch(record), record
    for record in [
        '1000001,Ana Costa,"Guard, Night',  # a quote never closed
        '1000001,Ana "Red" Costa,x',  # a quote inside an unquoted field: the csv module decides
        '1000001,"Ana"Costa,x',
        '"1000001",Ana,x',  # a quoted id
        "1000001,Ana",
        "1000001,Ana,x\n1000002,Ben,y",  # two records
    ]:
        assert not actors.fullmatch(record), record


def test_only_a_record_the_expression_does_not_take_is_read_by_the_csv_module(monkeypatch: pytest.MonkeyPatch) -> None:
    from tv_assets.defs.kaggle import client as kaggle

    read: list[list[str]] = []
    problem = kaggle.problem
    monkeypatch.setattr(kaggle, "problem", lambda spec, fields: read.append(fields) or problem(spec, fields))
    lines = [f'{1000000 + i},Film {i},2001,,"A film,\nover two lines.",90,' for i in range(1000)]
    lines[500] = '1000500,Film 500,2001,,A "film",90,'  # a quote in an unquoted field
    text = "id,name,date,tagline,description,minute,rating\n" + "\n".join(lines) + "\n"
    good = io.StringIO()
    split = kaggle.split_csv(io.StringIO(text, newline=""), kaggle.ARCHIVES["letterboxd"].files["movies"], good, "t")
    assert (split.rows, split.rejected, good.getvalue()) == (1000, [], text)
    assert read == [["1000500", "Film 500", "2001", "", 'A "film"', "90", ""]]


@pytest.mark.parametrize("line_end", ["", "\n"])
def test_a_clean_file_goes_through_the_fast_path_whole(line_end: str) -> None:
    from tv_assets.defs.kaggle.client import ARCHIVES, split_csv

    text = movies_files()["ratings.csv"].decode().rstrip("\n") + line_end
    good = io.StringIO()
    split = split_csv(io.StringIO(text, newline=""), ARCHIVES["movies"].files["ratings"], good, "ratings.csv")
    assert (split.rows, split.rejected) == (text.count("\n") + (not line_end) - 1, [])
    assert good.getvalue() == text.rstrip("\n") + "\n"
