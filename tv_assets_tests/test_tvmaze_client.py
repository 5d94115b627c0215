"""The real client code over real HTTP against the sample server, with injected faults."""

import json

import pytest

from tv_assets.defs.tvmaze.client import TVMazeClient
from tv_assets.platform.http import RetryPolicy, SourceError
from tv_assets.sample_api.server import Fault, SampleServer

DAY = "2026-03-03"


def client(server: SampleServer, attempts: int = 4, timeout: float = 5.0) -> TVMazeClient:
    retry = RetryPolicy(max_attempts=attempts, backoff_base=0.01)
    return TVMazeClient.create(f"{server.url}/tvmaze", calls_per_10s=1000, retry=retry, timeout=timeout)


@pytest.mark.parametrize(
    "fault",
    [
        Fault("/tvmaze/schedule", "status", status=429, times=2),
        Fault("/tvmaze/schedule", "status", status=429, times=2, retry_after="0"),
        Fault("/tvmaze/schedule", "status", status=500, times=1),
        Fault("/tvmaze/schedule", "status", status=503, times=2),
        Fault("/tvmaze/schedule", "reset", times=1),
        Fault("/tvmaze/schedule", "slow", delay=1.5, times=1),
    ],
    ids=["429", "429-retry-after", "500", "503", "reset-mid-body", "timeout"],
)
def test_transient_faults_are_retried_until_the_payload_arrives(sample_server: SampleServer, fault: Fault) -> None:
    sample_server.faults.add(fault)
    fetched = client(sample_server, timeout=1.0).schedule(DAY, "schedule", "US")
    assert fetched.status == 200 and fetched.body.startswith(b"[{")
    assert sample_server.faults.hits["/tvmaze/schedule"] >= 2  # it really failed first


def test_a_429_storm_gives_up_with_a_message_naming_source_partition_path_and_status(
    sample_server: SampleServer,
) -> None:
    sample_server.faults.add(Fault("/tvmaze/schedule", "status", status=429))
    with pytest.raises(SourceError) as error:
        client(sample_server, attempts=3).schedule(DAY, "schedule", "US")
    message = str(error.value)
    for part in ("tvmaze", f"partition {DAY}", "GET /schedule?country=US", "HTTP 429", "after 3 attempts"):
        assert part in message
    assert sample_server.faults.hits["/tvmaze/schedule"] == 3


def test_client_errors_are_not_retried(sample_server: SampleServer) -> None:
    with pytest.raises(SourceError, match="HTTP 422.*not retryable"):
        client(sample_server).schedule(DAY, "schedule", "UK")
    assert sample_server.faults.hits["/tvmaze/schedule"] == 1


def test_shows_maps_bodies_by_id_and_lists_404s(sample_server: SampleServer) -> None:
    known = [s.id for s in sample_server.app.tvmaze.shows[:5]]
    bodies, missing = client(sample_server).shows([*known, 999_999_999], partition=DAY)
    assert missing == [999_999_999]
    assert sorted(bodies) == sorted(known)
    assert all(json.loads(body)["id"] == show_id for show_id, body in bodies.items())


def test_a_show_answering_404_or_the_literal_body_null_is_listed_as_missing(sample_server: SampleServer) -> None:
    known = [s.id for s in sample_server.app.tvmaze.shows[:3]]
    sample_server.faults.add(Fault(f"/tvmaze/shows/{known[0]}", "status", status=404))
    sample_server.faults.add(Fault(f"/tvmaze/shows/{known[1]}", "null"))
    bodies, missing = client(sample_server).shows(known, partition=DAY)
    assert missing == sorted(known[:2]) and list(bodies) == [known[2]]


def test_user_agent_is_descriptive(sample_server: SampleServer) -> None:
    assert client(sample_server).http.session.headers["User-Agent"].startswith("tv_assets/")
