"""The sample TVMaze is only useful if it is true to the real API's shapes and traps."""

import json
from datetime import date, timedelta

import requests

from tv_assets.defs.tvmaze.sample import TVMazeSample
from tv_assets.sample_api.server import SampleServer

WEEK = [date(2026, 3, 2) + timedelta(days=n) for n in range(7)]  # Monday .. Sunday


def test_same_seed_same_bytes_other_seed_other_data() -> None:
    a, b, c = TVMazeSample(seed=1), TVMazeSample(seed=1), TVMazeSample(seed=2)
    assert json.dumps(a.schedule(WEEK[0])) == json.dumps(b.schedule(WEEK[0]))
    assert json.dumps(a.schedule(WEEK[0])) != json.dumps(c.schedule(WEEK[0]))


def test_volume_is_hundreds_of_episodes_on_a_weekday() -> None:
    sample = TVMazeSample()
    assert 150 <= len(sample.schedule(WEEK[1])) <= 400
    assert len(sample.web_schedule(WEEK[4])) >= 50


def test_web_schedule_nests_the_show_and_schedule_does_not() -> None:
    sample = TVMazeSample()
    web, tv = sample.web_schedule(WEEK[4]), sample.schedule(WEEK[4])
    assert all("show" not in e and "show" in e["_embedded"] for e in web)
    assert all("_embedded" not in e and "show" in e for e in tv)


def test_channel_traps_network_web_both_and_global_without_airtime() -> None:
    shows = [s.payload for s in TVMazeSample().shows]
    assert any(s["network"] and not s["webChannel"] for s in shows)
    assert any(s["webChannel"] and not s["network"] for s in shows)
    assert any(s["network"] and s["webChannel"] for s in shows)
    web = [e for d in WEEK for e in TVMazeSample().web_schedule(d)]
    global_rows = [e for e in web if e["_embedded"]["show"]["webChannel"]["country"] is None]
    assert global_rows and all(e["airtime"] == "" for e in global_rows)
    assert sum(e["airstamp"].endswith("T12:00:00+00:00") for e in global_rows) > len(global_rows) / 2


def test_episode_field_traps() -> None:
    episodes = [e for d in WEEK for e in TVMazeSample().schedule(d)]
    ratings = [e["rating"]["average"] for e in episodes]
    assert sum(r is None for r in ratings) / len(ratings) > 0.9  # almost always null
    specials = [e for e in episodes if e["type"] != "regular"]
    assert specials and all(e["number"] is None for e in specials)
    assert any(e["season"] >= 2000 for e in episodes)  # daily shows number seasons by year
    assert any(e["summary"] is None for e in episodes) and any(e["summary"] == "" for e in episodes)
    assert any("&amp;" in (e["summary"] or "") and "<p>" in (e["summary"] or "") for e in episodes)
    # overnight slots: programming day one day before the listed date
    assert any(e["airdate"] < d.isoformat() for d in WEEK for e in TVMazeSample().schedule(d))
    assert any(s["genres"] == [] for s in (e["show"] for e in episodes))


def test_server_speaks_tvmaze_errors() -> None:
    with SampleServer() as server:
        base = f"{server.url}/tvmaze"
        uk = requests.get(f"{base}/schedule", params={"country": "UK", "date": "2026-03-02"}, timeout=5)
        assert uk.status_code == 422 and uk.json()["message"] == "Not a valid ISO country code"
        assert requests.get(f"{base}/schedule", params={"date": "2026-02-30"}, timeout=5).status_code == 422
        missing = requests.get(f"{base}/shows/999999999", timeout=5)
        assert missing.status_code == 404 and missing.json()["name"] == "Not Found"
        some_show = TVMazeSample().shows[0].payload
        assert requests.get(f"{base}/shows/{some_show['id']}", timeout=5).json() == some_show
