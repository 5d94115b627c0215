from datetime import date, datetime

from tv_assets.platform.partitions import days_in_window, window_vars


def test_window_end_is_exclusive() -> None:
    assert days_in_window(datetime(2024, 2, 27), datetime(2024, 3, 1)) == ["2024-02-27", "2024-02-28", "2024-02-29"]
    assert days_in_window(date(2024, 1, 1), date(2024, 1, 1)) == []
    assert window_vars(datetime(2024, 1, 1), datetime(2024, 1, 8)) == {
        "min_date": "2024-01-01",
        "max_date": "2024-01-08",
    }


def test_bar_chart_scales_to_the_largest_value() -> None:
    from tv_assets.platform.metadata import bar_chart

    chart = bar_chart("t", [("a", 10), ("b", 5), ("c", None)], width=10)
    assert "| a | `██████████` | 10 |" in chart
    assert "| b | `█████` | 5 |" in chart
    assert "| c | `` | 0 |" in chart
