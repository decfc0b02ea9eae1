"""Pure rules of guarantee loans (no database): the limits, the instalment schedule and the county's
monthly interest subsidy (贴息). Money is Decimal yuan, rounded half-up to the fen."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
MONTHS_A_YEAR = Decimal("12")


def fen(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    return f"{fen(value):,.2f}"


def limit_problems(*, kind: str, amount: Decimal, term_months: int, policy) -> dict:
    """{field: message} for each limit of `policy` the loan exceeds; each message names the limit."""
    problems = {}
    if kind == "individual":
        limit, message = policy.individual_max, _(
            "An individual may borrow at most %(limit)s yuan under policy %(policy)s.")
    else:
        limit, message = policy.firm_max, _("A small firm may borrow at most %(limit)s yuan under policy %(policy)s.")
    if amount is not None and amount > limit:
        problems["amount"] = message % {"limit": yuan(limit), "policy": policy.code}
    if term_months is not None and term_months > policy.max_term_months:
        problems["term_months"] = _("The term may be at most %(months)s months under policy %(policy)s.") % {
            "months": policy.max_term_months, "policy": policy.code}
    return problems


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ScheduledInstalment:
    number: int
    due_on: date
    principal: Decimal
    cumulative_principal: Decimal


def schedule(*, amount: Decimal, term_months: int, disbursed_on: date) -> list[ScheduledInstalment]:
    """Equal principal monthly: instalment k (1..term) falls due k months after disbursement, with the
    cumulative principal due fen(amount × k / term) (so the last is the whole amount)."""
    rows, before = [], Decimal("0.00")
    for k in range(1, term_months + 1):
        cumulative = fen(Decimal(amount) * k / term_months) if k < term_months else fen(amount)
        rows.append(ScheduledInstalment(k, add_months(disbursed_on, k), cumulative - before, cumulative))
        before = cumulative
    return rows


def days_held(*, month_start: date, month_end: date, disbursed_on: date, repaid_on: date | None) -> int:
    """Days of the month the loan is out: from the disbursement day (counted) to the day it is repaid
    in full (not counted), "算头不算尾"."""
    first = max(month_start, disbursed_on)
    last = month_end if repaid_on is None else min(month_end, date.fromordinal(repaid_on.toordinal() - 1))
    return max(0, (last - first).days + 1)


def monthly_interest_subsidy(*, principal: Decimal, annual_rate: Decimal, subsidy_share: Decimal, days: int,
                             days_in_month: int) -> Decimal:
    """The county's interest subsidy for one loan and month:

        fen( principal × annual_rate% / 12 × subsidy_share% × days / days_in_month )

    `principal` is the principal outstanding at the start of the month (the amount lent, less the
    principal repaid before the month's first day); `days` the days of the month it is out
    (days_held). Rounded once, half-up, to the fen."""
    if days <= 0 or principal <= 0:
        return Decimal("0.00")
    value = (Decimal(principal) * Decimal(annual_rate) / HUNDRED / MONTHS_A_YEAR * Decimal(subsidy_share) / HUNDRED
             * Decimal(days) / Decimal(days_in_month))
    return fen(value)
