"""Turning spreadsheet cells into values, with a plain-language problem when they are not."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.dates import month_has_begun, plausible_date
from core.months import parse_month

from ..choices import WorkerCategory

DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
CHUNK = 5000  # ids per IN (...) query: well under SQLite's variable limit


class CellProblem(ValueError):
    pass


@dataclass
class Checked:
    """The outcome of checking a file: valid records (each with its row number) and the problems."""

    total: int = 0
    records: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # {"row", "column", "message"}
    bad_rows: set = field(default_factory=set)
    placements: dict = field(default_factory=dict)  # payroll: the placements the records point to
    # Rows that change a record already registered: {"row", "name", "changes": [{"field", "label", "old",
    # "new"}]} with values as a person reads them (the preview shows "field: old → new").
    updates: list = field(default_factory=list)

    def problem(self, row: int, column: str, message: str):
        self.problems.append({"row": row, "column": column, "message": message})
        self.bad_rows.add(row)


def chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _bounded(value: date, *checks) -> date:
    """The portal's one date bound (accounts.dates), as a cell problem."""
    try:
        for check in checks:
            check(value)
    except ValidationError as exc:
        raise CellProblem(exc.messages[0]) from None
    return value


def to_date(value) -> date:
    if isinstance(value, datetime):
        return _bounded(value.date(), plausible_date)
    if isinstance(value, date):
        return _bounded(value, plausible_date)
    match = DATE_PATTERN.match(text(value))
    if match:
        try:
            parsed = date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
        else:
            return _bounded(parsed, plausible_date)
    raise CellProblem(_("“%(value)s” is not a date; write it as 2026-03-01.") % {"value": text(value)})


def to_month(value) -> date:
    """A month cell: text as people type it (core.months) or a date cell; a number cell is refused,
    since 2026.10 and 2026.1 are the same number."""
    if not isinstance(value, (str, date)):
        value = "" if value is None else text(value)
        if value:
            raise CellProblem(_("“%(value)s” is a number, not a month: write the month as text, e.g. 2026-03.")
                              % {"value": value})
    try:
        month = parse_month(value)
    except ValidationError as exc:
        raise CellProblem(exc.messages[0]) from None
    return _bounded(month, month_has_begun)


def to_money(value) -> Decimal:
    raw = text(value).replace(",", "").replace("，", "").removesuffix("元")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise CellProblem(_("“%(value)s” is not a number.") % {"value": text(value)}) from None
    if not amount.is_finite() or amount < 0:
        raise CellProblem(_("The amount cannot be negative."))
    if amount >= Decimal("1e12"):
        raise CellProblem(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def to_days(value) -> int:
    raw = text(value)
    if not re.fullmatch(r"\d{1,2}", raw):
        raise CellProblem(_("“%(value)s” is not a whole number of days.") % {"value": raw})
    days = int(raw)
    if days > 31:
        raise CellProblem(_("A month has at most 31 days."))
    return days


def to_bool(value) -> bool:
    raw = text(value).lower()
    if raw in ("", "否", "no", "n", "0", "false", "不是"):
        return False
    if raw in ("是", "yes", "y", "1", "true"):
        return True
    raise CellProblem(_("Write yes or no (是 / 否)."))


def category_lookup() -> dict:
    """Category by key, or by its label in Chinese or English."""
    lookup = {}
    for choice in WorkerCategory:
        lookup[choice.value] = choice.value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(choice.label).lower()] = choice.value
    for alias, value in (("脱贫人口", "poverty_alleviated"), ("防返贫监测对象", "monitored"),
                         ("农村低收入人口", "low_income"), ("就业困难人员", "hard_to_employ"),
                         ("脱贫户", "poverty_alleviated"), ("监测对象", "monitored"), ("低收入", "low_income"),
                         ("一般", "general"), ("普通", "general")):
        lookup[alias] = value
    return lookup
