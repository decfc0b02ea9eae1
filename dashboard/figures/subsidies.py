"""Subsidies paid, for the dashboard: payable lines of runs marked paid, counted in the run's month."""

from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from subsidies.choices import LineStatus, RunStatus
from subsidies.models import SubsidyLine

from . import Scope

TOWNSHIP = "workshop__village__township"
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return (value or Decimal("0")).quantize(CENT)


def _paid(scope: Scope):
    return scope.rows(SubsidyLine.objects.filter(run__status=RunStatus.PAID, status=LineStatus.PAYABLE), TOWNSHIP)


def _within(period) -> Q:
    return Q(run__month__gte=period.start, run__month__lte=period.end)


def paid(scope: Scope, period, previous) -> dict:
    """{"current": Decimal, "previous": Decimal} paid for the months of each period (one query)."""
    sums = _paid(scope).aggregate(current=Sum("amount", filter=_within(period)),
                                  previous=Sum("amount", filter=_within(previous)))
    return {key: money(value) for key, value in sums.items()}


def by_township(scope: Scope, period) -> dict[int, Decimal]:
    """{township_id: paid for the period's months} (one query)."""
    rows = _paid(scope).filter(_within(period)).values_list(TOWNSHIP).annotate(t=Sum("amount")) \
        .values_list(TOWNSHIP, "t")
    return {township: money(total) for township, total in rows}


def by_month_and_component(scope: Scope, first: date, last_day: date) -> list[tuple[date, str, Decimal]]:
    """[(month, component, paid)] for the months from `first` to `last_day` (one query)."""
    rows = _paid(scope).filter(run__month__gte=first, run__month__lte=last_day) \
        .values_list("run__month", "component").annotate(t=Sum("amount")).values_list("run__month", "component", "t")
    return [(month, component, money(total)) for month, component, total in rows]
