"""The rule for sources that serve only the present (TMDB, X, IMDB), as pure functions: when a day can
still be fetched, and when a fetched day is usable enough to store."""

from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from tv_assets.platform.payloads import fetchable, require_usable


def test_replaying_moves_the_present_to_the_partition_day_and_live_keeps_the_real_date() -> None:
    today = datetime.now(UTC).date()
    old, yesterday = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=1)).isoformat()
    assert fetchable(yesterday, False, 1) and not fetchable(old, False, 1) and not fetchable(old, False, 6)
    assert fetchable(old, True, 0)  # the sample serves that day as its own run saw it


def test_a_usable_day_within_the_threshold_passes() -> None:
    require_usable("tmdb tv_details", "2026-11-30", 150, {1: "HTTP 404"}, 149, 0.1)
    require_usable("tmdb popular", "2026-11-30", 5, {}, 100, 0.1)


@pytest.mark.parametrize(
    ("failures", "usable", "why"),
    [
        (
            {i: f"HTTP 404 {i}" for i in range(150)},
            0,
            "150 of 150 failed (nothing usable): 0: HTTP 404 0; 1: HTTP 404 1; 2:",
        ),
        ({i: "HTTP 503" for i in range(16)}, 134, "16 of 150 failed (more than 10% failed): 0: HTTP 503"),
        ({}, 0, "0 of 150 failed (nothing usable)."),
    ],
)
def test_a_day_with_nothing_usable_or_too_many_failures_fails_naming_them(
    failures: dict, usable: int, why: str
) -> None:
    with pytest.raises(dg.Failure) as failure:
        require_usable("tmdb tv_details", "2026-11-30", 150, failures, usable, 0.1)
    assert f"tmdb tv_details, partition 2026-11-30: {why}" in failure.value.description
    assert "Nothing was stored" in failure.value.description
    assert "3:" not in failure.value.description  # the first three errors, not all of them
