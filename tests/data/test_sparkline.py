"""The overview's sparkline: drawn only with two periods or more, named by the trend in words."""

from __future__ import annotations

from lis_data.views.sparkline import sparkline


def test_one_period_draws_no_line():
    assert sparkline((74.3,), ("2024",), "%", 1) is None
    assert sparkline((None, 74.3), ("2023", "2024"), "%", 1) is None


def test_the_words_name_the_span_the_ends_and_the_gaps():
    line = sparkline((70.0, None, 72.5, 71.0), ("2021", "2022", "2023", "2024"), "%", 1)
    assert line is not None
    assert line.words.startswith("Trend of the median over 3 periods, 2021 to 2024: from 70.0% to 71.0%")
    assert "lowest 70.0%, highest 72.5%" in line.words and "1 period without a figure" in line.words
    xs = [float(p.split(",")[0]) for p in line.points.split()]
    ys = [float(p.split(",")[1]) for p in line.points.split()]
    assert xs == sorted(xs) and len(xs) == 3
    assert min(ys) == ys[1] and max(ys) == ys[0]  # highest figure at the top (y down)
