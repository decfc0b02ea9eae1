"""Months are stored as their first day and written `YYYY-MM`."""

import calendar
import re
from datetime import date

MONTH_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def parse_month(value) -> date | None:
    """`2026-10`, `2026/10`, `2026年10月`, or a date/datetime; None when it is not a month."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return date(value.year, value.month, 1)
    match = MONTH_PATTERN.match(str(value or ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1) if 1 <= month <= 12 and 1900 <= year <= 2999 else None


def within_placement(month: date, start_date: date, end_date: date | None) -> bool:
    """The month overlaps the placement's dates."""
    return month_end(month) >= start_date and (end_date is None or month <= end_date)
