"""lis_data.ingest.periods: every ISO 8601 form the ONS publishes, and the forms it must refuse."""

from datetime import date

import pytest

from lis_data.ingest.periods import Period, PeriodError, parse_period


@pytest.mark.parametrize(
    "text, start, end, label, frequency",
    [
        # a date: a snapshot
        ("2026-01-01", date(2026, 1, 1), date(2026, 1, 1), "1 Jan 2026", "snapshot"),
        ("2010-03-15", date(2010, 3, 15), date(2010, 3, 15), "15 Mar 2010", "snapshot"),
        # date/P1Y: calendar year
        ("2023-01-01/P1Y", date(2023, 1, 1), date(2023, 12, 31), "2023", "annual"),
        ("2004-01-01/P1Y", date(2004, 1, 1), date(2004, 12, 31), "2004", "annual"),
        # financial year (04-01)
        ("2023-04-01/P1Y", date(2023, 4, 1), date(2024, 3, 31), "2023/24", "annual"),
        ("1999-04-01/P1Y", date(1999, 4, 1), date(2000, 3, 31), "1999/00", "annual"),
        # academic years (08-01 and 09-01)
        ("2024-08-01/P1Y", date(2024, 8, 1), date(2025, 7, 31), "2024/25", "annual"),
        ("2016-09-01/P1Y", date(2016, 9, 1), date(2017, 8, 31), "2016/17", "annual"),
        # other year starts published upstream (gas and electricity, obesity)
        ("2012-05-15/P1Y", date(2012, 5, 15), date(2013, 5, 14), "2012/13", "annual"),
        ("2015-11-16/P1Y", date(2015, 11, 16), date(2016, 11, 15), "2015/16", "annual"),
        # a year starting on a day some months lack
        ("2012-05-31/P1Y", date(2012, 5, 31), date(2013, 5, 30), "2012/13", "annual"),
        # date/P3M: a quarter
        ("2023-10-01/P3M", date(2023, 10, 1), date(2023, 12, 31), "Oct–Dec 2023", "quarterly"),
        ("2023-01-01/P3M", date(2023, 1, 1), date(2023, 3, 31), "Jan–Mar 2023", "quarterly"),
        ("2023-12-01/P3M", date(2023, 12, 1), date(2024, 2, 29), "Dec 2023–Feb 2024", "quarterly"),
        # monthly
        ("2023-07-01/P1M", date(2023, 7, 1), date(2023, 7, 31), "Jul 2023", "monthly"),
        ("2024-02-01/P1M", date(2024, 2, 1), date(2024, 2, 29), "Feb 2024", "monthly"),
        ("2023-02-01/P1M", date(2023, 2, 1), date(2023, 2, 28), "Feb 2023", "monthly"),
        # other spans of months
        ("2023-01-01/P6M", date(2023, 1, 1), date(2023, 6, 30), "Jan–Jun 2023", "months"),
        # date/P3Y: pooled years
        ("2021-01-01/P3Y", date(2021, 1, 1), date(2023, 12, 31), "2021–2023", "multi-year"),
        ("2019-01-01/P3Y", date(2019, 1, 1), date(2021, 12, 31), "2019–2021", "multi-year"),
        ("2018-04-01/P3Y", date(2018, 4, 1), date(2021, 3, 31), "2018/19–2020/21", "multi-year"),
        # plain year (older releases)
        ("1998", date(1998, 1, 1), date(1998, 12, 31), "1998", "annual"),
        ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023", "annual"),
    ],
)
def test_known_forms(text, start, end, label, frequency):
    p = parse_period(text)
    assert p == Period(text, start, end, label, frequency)


def test_surrounding_space_is_ignored_and_text_kept_as_published():
    p = parse_period(" 2023-04-01/P1Y ")
    assert p.text == "2023-04-01/P1Y"
    assert p.label == "2023/24"


def test_days_span():
    p = parse_period("2024-01-01/P7D")
    assert (p.start, p.end, p.frequency) == (date(2024, 1, 1), date(2024, 1, 7), "days")


def test_labels_sort_like_starts():
    """Start dates order periods: a financial year sorts after the calendar year it starts in."""
    texts = ["2023-04-01/P1Y", "2022", "2023-01-01/P1Y", "2021-01-01/P3Y", "2023-10-01/P3M"]
    starts = [parse_period(t).start for t in texts]
    assert sorted(starts) == [date(2021, 1, 1), date(2022, 1, 1), date(2023, 1, 1), date(2023, 4, 1), date(2023, 10, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2023/24",
        "FY2023",
        "2023-13-01",          # not a real month
        "2023-02-30",          # not a real day
        "2023-02-30/P1Y",
        "2023-01-01/P0Y",      # zero duration
        "2023-01-01/P1W",      # weeks: not a form the ONS uses here
        "2023-01-01/P1Y2M",
        "2023-01-01/2023-12-31",
        "23-01-01",
        "2023-1-1",
        "Q4 2023",
        "199",
        "19988",
        "2023-01-01P1Y",
    ],
)
def test_unknown_forms_raise(text):
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    assert repr(text.strip()) in str(exc.value)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("9999-01-01/P1Y", "outside 1900 to 2100"),           # the end overflowed date arithmetic
        ("9999", "outside 1900 to 2100"),                     # pandas cannot hold it
        ("9999-12-31", "outside 1900 to 2100"),
        ("0001-01-01/P1Y", "outside 1900 to 2100"),
        ("2020-01-01/P99999999999Y", "longer than 100 years"),  # OverflowError in date arithmetic
        ("2020-01-01/P99999999999D", "longer than 100 years"),
        ("2020-01-01/P" + "9" * 5000 + "M", "longer than 100 years"),  # int() refuses > 4300 digits
        ("2020-01-01/P101Y", "longer than 100 years"),
        ("٢٠٢٣", "other than ASCII"),                          # Arabic-Indic digits
        ("٢٠٢٣-01-01/P1Y", "other than ASCII"),
        ("2023-٠١-01", "other than ASCII"),
        ("2023-01-01/P١Y", "other than ASCII"),
        ("２０２３", "other than ASCII"),                        # full-width digits
    ],
)
def test_out_of_range_and_non_ascii_periods_are_refused_with_a_reason(text, reason):
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    assert reason in str(exc.value)
    assert repr(text[:60]) in str(exc.value) or len(text) > 60


def test_bounds_themselves_are_accepted():
    assert parse_period("1900").start == date(1900, 1, 1)
    assert parse_period("2100-01-01/P100Y").end == date(2199, 12, 31)
    assert parse_period("2020-01-01/P1200M").end == date(2119, 12, 31)
