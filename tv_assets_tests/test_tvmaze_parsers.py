import json

import pytest

from tv_assets.sources.tvmaze import PayloadError, as_line, parse_schedule, parse_shows_lines, show_ids

EPISODE = {"id": 1, "show": {"id": 10}}
WEB_EPISODE = {"id": 2, "_embedded": {"show": {"id": 20}}}


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
    pretty = json.dumps({"id": 5, "name": "A\nB"}, indent=2).encode()  # JSON escapes the newline inside the string
    lines = as_line(pretty) + b"\n" + as_line(b'{"id": 6}') + b"\n"
    assert [s["id"] for s in parse_shows_lines(lines, what="t")] == [5, 6]
    assert parse_shows_lines(lines, what="t")[0]["name"] == "A\nB"
    with pytest.raises(PayloadError, match="line 2: not a show object"):
        parse_shows_lines(b'{"id": 1}\n{"name": "x"}\n', what="t")
