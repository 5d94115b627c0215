"""The Kaggle archives' generator: written row by row to files (real volume, bounded memory) it gives the
same archive as in memory (the demo's), and its scale sets the files' proportions."""

import csv
import io
import zipfile
from pathlib import Path

import pytest

from tv_assets.defs.kaggle.sample import (
    CREW_ROLES,
    KaggleScale,
    letterboxd_zip,
    movies_files,
    movies_zip,
    write_archive,
)

DAY = "2026-11-20"


@pytest.mark.parametrize(("source", "in_memory"), [("letterboxd", letterboxd_zip), ("movies", movies_zip)])
def test_an_archive_written_to_files_holds_the_same_members_as_the_one_built_in_memory(
    tmp_path: Path, source: str, in_memory
) -> None:
    written = zipfile.ZipFile(write_archive(source, tmp_path / f"{source}.zip", DAY, KaggleScale()))
    built = zipfile.ZipFile(io.BytesIO(in_memory(DAY)))
    assert written.namelist() == built.namelist()
    for name in built.namelist():
        assert written.read(name) == built.read(name), name
        assert written.getinfo(name).date_time == (2026, 11, 20, 0, 0, 0)


def _rows(archive: zipfile.ZipFile, member: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.TextIOWrapper(archive.open(member), encoding="utf-8", newline="")))


def test_the_scale_sets_each_film_s_actors_and_crew(tmp_path: Path) -> None:
    scale = KaggleScale(letterboxd_movies=30, actors_per_film=7, crew_per_film=6)
    archive = zipfile.ZipFile(write_archive("letterboxd", tmp_path / "l.zip", DAY, scale))
    generated = {str(1_000_001 + n) for n in range(30)}
    actors = [r for r in _rows(archive, "actors.csv") if r["id"] in generated]
    crew = [r for r in _rows(archive, "crew.csv") if r["id"] in generated]
    assert len(actors) == 30 * 7 and len({(r["id"], r["name"]) for r in actors}) == 30 * 7  # 7 different people
    assert len(crew) == 30 * 6
    assert all([r["role"] for r in crew if r["id"] == film] == CREW_ROLES[:6] for film in generated)


def test_ratings_stay_in_user_and_film_order_with_the_few_added_after_the_generated_ones(tmp_path: Path) -> None:
    scale = KaggleScale(movies=40, users=25, ratings_per_user=12)
    archive = zipfile.ZipFile(write_archive("movies", tmp_path / "m.zip", DAY, scale))
    ratings = _rows(archive, "ratings.csv")
    keys = [(int(r["userId"]), int(r["movieId"])) for r in ratings]
    assert keys == sorted(keys)
    assert [(r["userId"], r["rating"]) for r in ratings if r["movieId"] == "2"] == [
        ("1", "5.0"),
        ("2", "5.0"),
        ("3", "5.0"),
    ]
    assert archive.read("ratings.csv") == movies_files(scale, day=DAY)["ratings.csv"]
    # Each user rated `ratings_per_user` generated films (MovieLens ids 1..movies + 1), less the few-votes film.
    per_user = [
        sum(1 for u, movie in keys if u == user and movie <= scale.movies + 1 and movie != 2) for user in range(1, 26)
    ]
    assert all(scale.ratings_per_user - 1 <= n <= scale.ratings_per_user for n in per_user), per_user
