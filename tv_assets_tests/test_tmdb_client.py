"""The TMDB client against the sample API on 127.0.0.1: auth, pages, details, 404s, the rate limit."""

from __future__ import annotations

import json

import pytest

from tv_assets.defs.tmdb.client import PAGE_CAP, TMDBClient, page_numbers, parse_details, parse_page
from tv_assets.platform.http import RetryPolicy, SourceError
from tv_assets.sample_api.server import Fault, SampleServer

DAY = "2024-03-04"
FAST = RetryPolicy(max_attempts=2, backoff_base=0.01)


def _client(server: SampleServer, **kwargs) -> TMDBClient:
    options = {"access_token": "sample-token", "calls_per_s": 1000, "retry": FAST, **kwargs}
    return TMDBClient.create(f"{server.url}/tmdb/3/{DAY}", **options)


@pytest.mark.parametrize(
    ("total", "limit", "expected"), [(9000, PAGE_CAP, 500), (3, PAGE_CAP, 3), (0, PAGE_CAP, 1), (9000, 5, 5), (2, 5, 2)]
)
def test_pages_stop_at_the_hard_cap_the_limit_or_the_list(total: int, limit: int, expected: int) -> None:
    assert page_numbers(total, limit) == list(range(1, expected + 1))


def test_credentials_are_required_and_an_api_key_never_shows(sample_server: SampleServer) -> None:
    with pytest.raises(SourceError, match="TMDB_ACCESS_TOKEN"):
        TMDBClient.create(f"{sample_server.url}/tmdb/3")
    client = _client(sample_server, access_token=None, api_key="0123456789abcdef-secret")
    pages = client.pages("/tv/popular", partition=DAY, max_pages=2)
    assert len(pages) == 2 and all("secret" not in p.request for p in pages)
    sample_server.faults.add(Fault(f"/tmdb/3/{DAY}/tv/popular", "status", status=503, times=5))
    with pytest.raises(SourceError) as error:
        client.pages("/tv/popular", partition=DAY)
    assert "partition 2024-03-04" in str(error.value) and "secret" not in str(error.value)


def test_a_list_is_fetched_page_by_page_within_the_limit(sample_server: SampleServer) -> None:
    pages = _client(sample_server).pages("/trending/tv/day", partition=DAY, max_pages=4)
    parsed = [parse_page(p.body, what="test") for p in pages]
    assert [p["page"] for p in parsed] == [1, 2, 3, 4]
    assert all(len(p["results"]) == 20 and p["results"][0]["media_type"] == "tv" for p in parsed)
    ids = [r["id"] for p in parsed for r in p["results"]]
    assert len(set(ids)) == len(ids)
    # TMDB ranks trending by its trend score: the popularity figures shown are not in order.
    popularity = [r["popularity"] for p in parsed for r in p["results"]]
    assert popularity != sorted(popularity, reverse=True)


def test_page_501_is_refused_by_the_api(sample_server: SampleServer) -> None:
    client = _client(sample_server)
    with pytest.raises(SourceError, match="HTTP 400.*Invalid page"):
        client._get("/tv/popular", {"page": 501}, DAY)  # noqa: SLF001 (the cap exists because of this answer)


def test_details_carry_external_ids_and_unknown_ids_are_listed(sample_server: SampleServer) -> None:
    bodies, failures = _client(sample_server).details([1399, 66732, 999_999_999, 1399], partition=DAY)
    assert sorted(bodies) == [1399, 66732] and list(failures) == [999_999_999]
    assert failures[999_999_999].startswith("HTTP 404") and '"status_code":34' in failures[999_999_999].replace(" ", "")
    details = parse_details(bodies[1399], what="test")
    assert details["id"] == 1399 and "external_ids" in details and isinstance(details["number_of_seasons"], int)


def test_values_move_from_day_to_day(sample_server: SampleServer) -> None:
    days = ["2024-03-04", "2024-03-05"]
    values = []
    for day in days:
        client = TMDBClient.create(f"{sample_server.url}/tmdb/3/{day}", access_token="t", calls_per_s=1000, retry=FAST)
        values.append(json.loads(client.details([1399], partition=day)[0][1399]))
    assert values[0]["popularity"] != values[1]["popularity"]
    assert values[1]["vote_count"] >= values[0]["vote_count"]


def test_concurrent_details_never_exceed_the_rate_limit(sample_server: SampleServer) -> None:
    start = len(sample_server.app.request_log)
    _client(sample_server, calls_per_s=20, workers=8).details(range(1, 61), partition=DAY)
    times = sorted(t for t, path in sample_server.app.request_log[start:] if path.startswith("/tmdb/"))
    assert len(times) == 60
    busiest = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
    assert busiest <= 20
    assert times[-1] - times[0] >= 2.0  # 60 calls at 20/s need at least two full windows after the first
