"""The WY-2026 subsidy rules as pure functions: no database, unit-tested alone. Services feed them
figures from aggregate queries and write what they return.

The rules that span runs (money integrity, issue 10) are applied by `subsidies.services.calculation`,
whose docstring states each of them, and by `subsidies.services.integrity` (stale runs). In short:
- limits and "once" rules count only payable lines of approved or paid runs of the other months, and a
  month only while the worker's net amount for it is above 0 (`within_month_limit` gets that count);
- one job subsidy and at most `monthly_cap` of social insurance per worker-month, across placements and
  workshops, the placement that started first (then the lower id) first (`share_worker_month`);
- a workshop's yearly cap goes to awards already paid this month, then payable, then withheld ones, each
  in order of placement start (`apply_yearly_cap` takes them in that order);
- a headcount is compared with the workshop's most recent earlier payroll month; none: no jump
  (`headcount_jumped` is not asked);
- a run calculated before another run it reads was approved is stale: refused at submission and
  approval until recalculated."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Month arithmetic is core's (core.months, the portal's one months module); named here for the rules.
from core.months import month_end, months_between, next_month, previous_month  # noqa: F401
from labor.resident_id import age_on

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Misuse checks (DOMAIN.md): a phone on more than 3 workers; a headcount up by more than 50 %
# and by at least 10 workers.
SHARED_PHONE_MAX_WORKERS = 3
HEADCOUNT_JUMP_RATIO = Decimal("1.5")
HEADCOUNT_JUMP_MIN = 10


# --- dates ------------------------------------------------------------------------------------

def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


# --- the policy's figures ---------------------------------------------------------------------

@dataclass(frozen=True)
class RuleTerms:
    categories: frozenset = frozenset()  # empty: every worker
    amount: Decimal | None = None
    monthly_cap: Decimal | None = None
    yearly_workshop_cap: Decimal | None = None
    month_limit: int | None = None
    qualifying_month: int | None = None
    certificate_amounts: dict = field(default_factory=dict)

    def covers(self, category: str) -> bool:
        return not self.categories or category in self.categories


@dataclass(frozen=True)
class StartupTerms:
    """The returnee start-up award: `amount` once per returnee whose enterprise has operated `months`
    months by the month's last day and whose workshops had at least `min_other_workers` workers other
    than the returnee on that month's payroll. Amount 0: not paid."""
    amount: Decimal = Decimal("10000.00")
    months: int = 6
    min_other_workers: int = 1


@dataclass(frozen=True)
class TransportTerms:
    """The cross-province transport subsidy: `amount` once per outbound placement of a poverty-alleviated
    or monitored worker, in the month they complete `months` months in the east job. Amount 0: not paid."""
    amount: Decimal = Decimal("500.00")
    months: int = 3


@dataclass(frozen=True)
class Terms:
    code: str
    min_wage: Decimal
    min_days: int
    min_age: int
    max_age: int
    rules: dict  # component -> RuleTerms
    pays_loan_interest: bool = True  # the amounts are loans' (each loan's share, loans.rules)
    startup: StartupTerms = StartupTerms()
    transport: TransportTerms = TransportTerms()

    def birth_bounds(self, month: date) -> tuple[date, date]:
        """Workers aged min_age..max_age on the month's last day were born after the first date
        and on or before the second."""
        end = month_end(month)
        return years_before(end, self.max_age + 1), years_before(end, self.min_age)


# --- qualifying months and certification -------------------------------------------------------

def age_ok(birth_date: date, month: date, terms: Terms) -> bool:
    return terms.min_age <= age_on(birth_date, month_end(month)) <= terms.max_age


def is_qualifying(*, days_worked: int, wage_paid: Decimal, birth_date: date, certified: bool, month: date,
                  terms: Terms) -> bool:
    """A payroll month counts when days >= min, wage >= the minimum monthly wage, the workshop is
    certified on the month's last day and the worker's age then is within the range."""
    return (certified and days_worked >= terms.min_days and wage_paid >= terms.min_wage
            and age_ok(birth_date, month, terms))


def certified_on(events: Iterable[tuple[date, int, str]], day: date) -> bool:
    """`events` are (effective_date, id, action) of one workshop; the latest effective on or before
    `day` decides (ties: the later-recorded event)."""
    latest = max(((d, i, a) for d, i, a in events if d <= day), default=None)
    return latest is not None and latest[2] == "certified"


# --- amounts ----------------------------------------------------------------------------------

def capped(amount: Decimal, cap: Decimal | None) -> Decimal:
    amount = Decimal(amount).quantize(CENT)
    return min(amount, cap) if cap is not None else amount


def share_worker_month(amounts: list[Decimal], cap: Decimal | None) -> list[Decimal]:
    """One worker's claims on a per-worker-month cap, in placement order (first started first): each
    gets what it asks while the cap allows, the one that reaches it the rest, later ones 0."""
    if cap is None:
        return [Decimal(a).quantize(CENT) for a in amounts]
    return apply_yearly_cap([Decimal(a).quantize(CENT) for a in amounts], ZERO, cap)


def within_month_limit(months_paid: int, limit: int | None) -> bool:
    return limit is None or months_paid < limit


def apply_yearly_cap(amounts: list[Decimal], already_paid: Decimal, cap: Decimal | None) -> list[Decimal]:
    """Award amounts in order against what the workshop already got this year: each is paid in
    full while the cap allows, the one that reaches it gets the remainder, later ones 0."""
    if cap is None:
        return list(amounts)
    remaining = max(cap - already_paid, ZERO)
    paid = []
    for amount in amounts:
        take = min(amount, remaining)
        paid.append(take)
        remaining -= take
    return paid


def training_amount(level: str, certificate_amounts: dict) -> Decimal | None:
    value = certificate_amounts.get(level)
    return Decimal(str(value)).quantize(CENT) if value is not None else None


def startup_award_due(*, operated_months: int, other_workers: int, terms: StartupTerms) -> bool:
    """The start-up award's conditions: operated long enough, and enough other people on the payroll."""
    return bool(terms.amount) and operated_months >= terms.months and other_workers >= terms.min_other_workers


def headcount_jumped(previous: int, current: int) -> bool:
    return current > previous * HEADCOUNT_JUMP_RATIO and current - previous >= HEADCOUNT_JUMP_MIN


def yuan(amount: Decimal) -> str:
    """1000.00 → "1000", 512.50 → "512.50": how a clerk reads an amount aloud."""
    amount = Decimal(amount).quantize(CENT)
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
