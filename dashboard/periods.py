"""The dashboard's period: a month, a quarter, a year or a range of months, kept in the URL.

`?period=` takes `2026-02` (a month), `2026-Q1` (a quarter), `2026` (a year) or `2025-12..2026-02` (a range
of whole months, both ends included). The previous period is the one of the same length just before.
Months are plain `date` objects (the first day of the month).
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.months import add_months, month_end, parse_month

MAX_MONTHS = 120  # a range longer than ten years is refused rather than charted
TREND_MONTHS = 12  # a shorter period's trend shows the twelve months up to its end

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


def month_count(first: date, last: date) -> int:
    """How many months from `first` to `last`, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "year" or "range"
    first: date  # the first month
    last: date  # the last month

    @property
    def start(self) -> date:
        return self.first

    @property
    def end(self) -> date:
        """The period's last day."""
        return month_end(self.last)

    @property
    def length(self) -> int:
        return month_count(self.first, self.last)

    def as_of(self, today: date) -> date:
        """The day stocks (certified workshops, people in work) are counted on: the period's last day,
        or today while the period is running."""
        return min(self.end, today)

    @property
    def months(self) -> list[date]:
        return [add_months(self.first, i) for i in range(self.length)]

    @property
    def trend_months(self) -> list[date]:
        """The months the trend charts show: the period's, or the twelve up to its end when shorter."""
        first = min(self.first, add_months(self.last, 1 - TREND_MONTHS))
        return [add_months(first, i) for i in range(month_count(first, self.last))]

    def previous(self) -> "Period":
        kind = self.kind
        first, last = add_months(self.first, -self.length), add_months(self.first, -1)
        return Period(kind, first, last)

    @property
    def value(self) -> str:
        """The `?period=` value that selects this period."""
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first.year}"
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)s-%(month)02d") % {"year": self.first.year, "month": self.first.month}
        if self.kind == "quarter":
            return _("%(year)s Q%(quarter)s") % {"year": self.first.year,
                                                   "quarter": (self.first.month - 1) // 3 + 1}
        if self.kind == "year":
            return _("Year %(year)s") % {"year": self.first.year}
        return _("%(first)s to %(last)s") % {"first": f"{self.first:%Y-%m}", "last": f"{self.last:%Y-%m}"}


def _month(text: str) -> date | None:
    """A month in a period value, by the portal's one month contract (core.months); None when unreadable."""
    try:
        return parse_month(text)
    except ValidationError:
        return None


def parse_period(value: str | None) -> Period | None:
    """The period a `?period=` value names; None when it names none."""
    value = (value or "").strip()
    if not value:
        return None
    if ".." in value:
        first, _sep, last = value.partition("..")
        first, last = _month(first), _month(last)
        if not first or not last or last < first or month_count(first, last) > MAX_MONTHS:
            return None
        return Period("range", first, last)
    if month := _month(value):
        return Period("month", month, month)
    if match := _QUARTER.match(value):
        first = _month(f"{match[1]}-{3 * int(match[2]) - 2}")
        return Period("quarter", first, add_months(first, 2)) if first else None
    if match := _YEAR.match(value):
        first = _month(f"{match[1]}-1")
        return Period("year", first, date(first.year, 12, 1)) if first else None
    return None


def default_period(today: date) -> Period:
    """Without a choice: the calendar year so far's year (the current year)."""
    return Period("year", date(today.year, 1, 1), date(today.year, 12, 1))


def period_from(params, today: date) -> tuple[Period, bool]:
    """The period a request asks for: `?period=`, else `?from=YYYY-MM&to=YYYY-MM` (the range form);
    returns (period, valid) where an unreadable choice falls back to the default with valid False."""
    if params.get("from") or params.get("to"):
        first, last = _month(params.get("from", "")), _month(params.get("to", ""))
        if first and last and first <= last and month_count(first, last) <= MAX_MONTHS:
            return (Period("month", first, first) if first == last else Period("range", first, last)), True
        return default_period(today), False
    raw = params.get("period")
    if not raw:
        return default_period(today), True
    period = parse_period(raw)
    return (period, True) if period else (default_period(today), False)


def choices(today: date) -> list[tuple[str, str]]:
    """The presets the period selector offers: this and the last two years, the last eight quarters and
    the last twelve months."""
    this_month = date(today.year, today.month, 1)
    years = [Period("year", date(y, 1, 1), date(y, 12, 1)) for y in range(today.year, today.year - 3, -1)]
    quarter_first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = [Period("quarter", add_months(quarter_first, -3 * i), add_months(quarter_first, -3 * i + 2))
                for i in range(8)]
    months = [Period("month", add_months(this_month, -i), add_months(this_month, -i)) for i in range(12)]
    return [(p.value, p.label) for p in years + quarters + months]
