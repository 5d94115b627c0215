"""The X counts client against the sample API: daily totals, the 7-day window, 429 without Retry-After."""

from __future__ import annotations

import time

import pytest
import requests

from tv_assets.defs.x.client import XClient, day_window, parse_counts
from tv_assets.platform.http import RetryPolicy, SourceError, _until
from tv_assets.sample_api.server import Fault, SampleServer

FAST = RetryPolicy(max_attempts=3, backoff_base=0.01)


def _client(server: SampleServer, now: str) -> XClient:
    return XClient.create(f"{server.url}/x/{now}", bearer_token="SECRET-x-token", calls_per_15min=10_000, retry=FAST)


def test_a_day_is_one_utc_window() -> None:
    assert day_window("2024-02-29") == {"start_time": "2024-02-29T00:00:00Z", "end_time": "2024-03-01T00:00:00Z"}


def test_daily_counts_for_hashtags_and_names(sample_server: SampleServer) -> None:
    answers, failures = _client(sample_server, "2024-03-05").many(
        ["#GameOfThrones", '"Game of Thrones"', "#GameOfThrones"], "2024-03-04"
    )
    assert list(answers) == ["#GameOfThrones", '"Game of Thrones"'] and failures == {}  # asked once each
    totals = {q: parse_counts(f.body, what=q) for q, f in answers.items()}
    assert all(n >= 0 for n in totals.values()) and "SECRET" not in "".join(f.request for f in answers.values())


def test_a_partition_older_than_seven_days_fails_clearly(sample_server: SampleServer) -> None:
    with pytest.raises(SourceError, match="partition 2024-02-20: .*only the last 7 days.*in the lake") as error:
        _client(sample_server, "2024-03-05").counts("#GameOfThrones", "2024-02-20")
    assert "SECRET" not in str(error.value)


def test_without_a_token_the_client_refuses_and_the_api_answers_401(sample_server: SampleServer) -> None:
    with pytest.raises(SourceError, match="X_BEARER_TOKEN"):
        XClient.create(f"{sample_server.url}/x", bearer_token="")
    assert requests.get(f"{sample_server.url}/x/2/tweets/counts/recent", timeout=5).status_code == 401


def test_a_429_waits_until_the_reset_header() -> None:
    assert _until(str(int(time.time()) + 30)) in ("30", "31")
    assert _until(str(int(time.time()) - 30)) == "1" and _until(None) is None and _until("soon") is None


def test_a_429_is_retried(sample_server: SampleServer) -> None:
    sample_server.faults.add(Fault("/x/2024-03-05/2/tweets/counts/recent", "status", status=429, times=1))
    fetched = _client(sample_server, "2024-03-05").counts("#Severance", "2024-03-04")
    assert fetched.status == 200 and parse_counts(fetched.body, what="x") >= 0


def test_a_malformed_answer_is_a_payload_error() -> None:
    with pytest.raises(SourceError, match="not an X counts answer"):
        parse_counts(b'{"data": [{"tweet_count": "7"}]}', what="x #a, partition 2024-03-04")
