import json

import pytest

from tv_assets.defs.tvmaze.client import PayloadError, parse_schedule, parse_shows_lines, show_ids
from tv_assets.platform.http import as_line

SLOT = {"airdate": "2024-05-01", "airtime": "", "airstamp": "2024-05-01T12:00:00+00:00"}
EPISODE = {"id": 1, **SLOT, "show": {"id": 10, "name": "A", "type": "Scripted"}}
WEB_EPISODE = {"id": 2, **SLOT, "_embedded": {"show": {"id": 20, "name": "B", "type": "Reality"}}}
SHOW = {"name": "S", "type": "Scripted", "genres": [], "rating": {"average": None}, "network": None, "webChannel": None}


def test_schedule_and_web_schedule_find_the_show_where_each_endpoint_puts_it() -> None:
    assert show_ids(parse_schedule(json.dumps([EPISODE]).encode(), "schedule", what="t"), "schedule") == {10}
    web = parse_schedule(json.dumps([WEB_EPISODE]).encode(), "web_schedule", what="t")
    assert show_ids(web, "web_schedule") == {20}


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        (b'[{"id": 1, "show": {"id"', "schedule", "malformed JSON"),
        (b'{"id": 1}', "schedule", "expected a JSON array"),
        (b"[]", "schedule", "empty day"),
        (json.dumps([WEB_EPISODE]).encode(), "schedule", "no `show` object"),
        (json.dumps([EPISODE]).encode(), "web_schedule", "no `_embedded.show` object"),
        (b'[{"name": "no id", "show": {"id": 1}}]', "schedule", "integer id"),
        (b"\xff\xfe", "schedule", "malformed JSON"),
    ],
)
def test_bad_schedules_are_refused_with_a_message_naming_the_partition(body: bytes, kind: str, message: str) -> None:
    with pytest.raises(PayloadError, match=message) as error:
        parse_schedule(body, kind, what="tvmaze schedule, partition 2024-05-01")
    assert "tvmaze schedule, partition 2024-05-01" in str(error.value)


def test_shows_lines_round_trip_and_line_breaks_inside_a_body_do_not_split_it() -> None:
    pretty = json.dumps(
        {**SHOW, "id": 5, "name": "A\nB"}, indent=2
    ).encode()  # JSON escapes the newline inside the string
    lines = as_line(pretty) + b"\n" + as_line(json.dumps({**SHOW, "id": 6}).encode()) + b"\n"
    assert [s["id"] for s in parse_shows_lines(lines, what="t")] == [5, 6]
    assert parse_shows_lines(lines, what="t")[0]["name"] == "A\nB"
    with pytest.raises(PayloadError, match="line 2: not a show object"):
        parse_shows_lines(json.dumps({**SHOW, "id": 1}).encode() + b'\n{"name": "x"}\n', what="t")


def test_a_missing_required_key_is_refused_an_extra_key_is_kept() -> None:
    renamed = {k: v for k, v in EPISODE.items() if k != "airstamp"} | {"airStamp": EPISODE["airstamp"]}
    with pytest.raises(PayloadError, match=r"required fields missing: airstamp \(absent in 1 of 2 items\)"):
        parse_schedule(json.dumps([EPISODE, renamed]).encode(), "schedule", what="t")
    null_is_fine = {**EPISODE, "airstamp": None, "surprise": {"new": True}}
    assert parse_schedule(json.dumps([null_is_fine]).encode(), "schedule", what="t")[0]["surprise"] == {"new": True}
