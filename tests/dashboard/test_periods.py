"""The period a URL names, and the one before it."""

from datetime import date

import pytest

from dashboard.periods import Period, parse_period, period_from


@pytest.mark.parametrize("value, first, last, previous_first, previous_last", [
    ("2026-02", date(2026, 2, 1), date(2026, 2, 1), date(2026, 1, 1), date(2026, 1, 1)),
    ("2026-01", date(2026, 1, 1), date(2026, 1, 1), date(2025, 12, 1), date(2025, 12, 1)),
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 1), date(2025, 10, 1), date(2025, 12, 1)),
    ("2025-q4", date(2025, 10, 1), date(2025, 12, 1), date(2025, 7, 1), date(2025, 9, 1)),
    ("2025", date(2025, 1, 1), date(2025, 12, 1), date(2024, 1, 1), date(2024, 12, 1)),
    ("2025-12..2026-02", date(2025, 12, 1), date(2026, 2, 1), date(2025, 9, 1), date(2025, 11, 1)),
])
def test_a_period_and_the_one_before_it_have_the_same_length(value, first, last, previous_first, previous_last):
    period = parse_period(value)
    assert (period.first, period.last) == (first, last)
    assert (period.previous().first, period.previous().last) == (previous_first, previous_last)
    assert parse_period(period.value) == period


def test_the_period_ends_on_its_last_day_and_counts_stocks_no_later_than_today():
    period = parse_period("2024-02")
    assert period.end == date(2024, 2, 29)
    assert period.as_of(date(2026, 1, 5)) == date(2024, 2, 29)
    assert parse_period("2026").as_of(date(2026, 5, 3)) == date(2026, 5, 3)


def test_a_short_periods_trend_shows_the_twelve_months_up_to_its_end():
    assert parse_period("2026-02").trend_months[0] == date(2025, 3, 1)
    assert len(parse_period("2026-02").trend_months) == 12
    assert len(parse_period("2024-01..2026-02").trend_months) == 26


@pytest.mark.parametrize("value", ["", "2026-13", "2026-Q5", "26", "2026-02..2025-01", "1900", "x..y",
                                   "2000-01..2026-12"])
def test_what_is_not_a_period_is_refused(value):
    assert parse_period(value) is None


def test_the_url_falls_back_to_this_year_and_says_so():
    today = date(2026, 7, 9)
    assert period_from({}, today) == (Period("year", date(2026, 1, 1), date(2026, 12, 1)), True)
    assert period_from({"period": "nonsense"}, today) == (Period("year", date(2026, 1, 1), date(2026, 12, 1)), False)
    assert period_from({"from": "2026-01", "to": "2026-03"}, today) == (
        Period("range", date(2026, 1, 1), date(2026, 3, 1)), True)
    assert period_from({"from": "2026-04", "to": "2026-04"}, today)[0] == Period("month", date(2026, 4, 1),
                                                                                 date(2026, 4, 1))
