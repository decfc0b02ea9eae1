"""Months, once for the whole portal. A month is stored as its first day (`date(2026, 10, 1)`) and
written `YYYY-MM`.

`parse_month` is the one way in. It takes what people type — `2026-10`, `2026-1`, `2026/10`,
`2026.10`, `2026年10月` (full-width digits too) — or a date or datetime (its month), and returns the
month's first day; anything else raises `django.core.exceptions.ValidationError` with a message in the
user's language (code `invalid_month`). The same contract serves a page form (`MonthFormField`), a list
filter (`MonthFilter`) and the API (`MonthSerializerField`: a "YYYY-MM" string in the schema).

The year bound is the portal's one bound on dates people type (`accounts.dates.plausible_date`): no
month before 1950-01 and none more than a year ahead (code `implausible_date`). The programme's months
are payroll and subsidy months of living workers, so an earlier or farther month is a typing slip
(`2062-10` for `2026-10`) or a probe, never a fact; using the very bound that model validation already
applies to `Payroll.month` means a month accepted here is never refused later for being implausible,
and the user reads the same message everywhere. Whether a month has begun is not the parser's
business: that check stays where the rule lives (payroll entry and import, the subsidy calculation).
"""

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.dates import plausible_date

# After NFKC (full-width digits and separators become ASCII): a four-digit year, a separator, a month
# of one or two digits, an optional 月.
MONTH_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", re.ASCII)
SHOWN_CHARS = 20  # of a refused value, quoted back in the message


def parse_month(value) -> date:
    """The month `value` names, as its first day; ValidationError for anything else."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = value.replace(day=1)
    else:
        month = _from_text(value)
    plausible_date(month)
    return month


def _from_text(value) -> date:
    if isinstance(value, str):
        match = MONTH_PATTERN.fullmatch(unicodedata.normalize("NFKC", value).strip())
        if match:
            year, month = int(match[1]), int(match[2])
            if year >= 1 and 1 <= month <= 12:
                return date(year, month, 1)
    shown = "" if value is None else str(value).strip()
    if not shown:
        raise ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-10."), code="invalid_month")
    if len(shown) > SHOWN_CHARS:
        shown = shown[:SHOWN_CHARS] + "…"
    raise ValidationError(_("“%(value)s” is not a month; write it as YYYY-MM, e.g. 2026-10."),
                          code="invalid_month", params={"value": shown})


def format_month(month: date) -> str:
    return f"{month:%Y-%m}"


# --- arithmetic -------------------------------------------------------------------------------

def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: date, n: int) -> date:
    """The month `n` months after `month`'s (before it when `n` is negative)."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def previous_month(month: date) -> date:
    return add_months(month, -1)


def next_month(month: date) -> date:
    return add_months(month, 1)


def months_between(first: date, last: date) -> list[date]:
    """The months from `first`'s to `last`, both included."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def within_placement(month: date, start_date: date, end_date: date | None) -> bool:
    """The month overlaps the dates from `start_date` to `end_date` (None: still open)."""
    return month_end(month) >= start_date and (end_date is None or month <= end_date)


# --- the three front doors --------------------------------------------------------------------

class MonthFormField(forms.Field):
    """A form field typed as text (`2026-10`, `2026年10月`, …); cleaned to the month's first day."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Month (YYYY-MM)"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "2026-10")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_month(value)

    def prepare_value(self, value):
        return format_month(value) if isinstance(value, date) else value


class MonthFilter(django_filters.CharFilter):
    """`?month=2026-10` (or any form `parse_month` takes): rows of that month. A value that is not a
    month is the filter form's field error (a page shows it and lists nothing; the API answers 400)."""

    field_class = MonthFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Month (YYYY-MM)"))
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-03"})
class MonthSerializerField(serializers.Field):
    """A month in the API: written "YYYY-MM"; read as anything `parse_month` takes."""

    def to_internal_value(self, data):
        try:
            return parse_month(data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None

    def to_representation(self, value):
        return format_month(value)


# --- whole months from a day (a placement's 3-month mark, a firm's 6 months operated) ---------------

def months_after(start: date, months: int) -> date:
    """`start` plus whole months, on the same day of the month or the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def latest_start_due_by(day: date, months: int) -> date:
    """The latest start date whose `months`-month mark falls on or before `day` (the marks never go back
    as the start moves on, so "due by `day`" is `start_date <= this`)."""
    candidate = months_after(day, -months)
    while months_after(candidate + timedelta(days=1), months) <= day:
        candidate += timedelta(days=1)
    return candidate


def whole_months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end`: the largest n whose mark (`months_after(start, n)`) is on or
    before `end` (15 Jan → 14 Jul is 5, → 15 Jul is 6; 31 Jan → 28 Feb is 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if min(start.day, month_end(end).day) > end.day:
        months -= 1
    return max(months, 0)
