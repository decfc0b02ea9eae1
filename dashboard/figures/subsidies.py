"""Subsidies paid, for the dashboard: payable lines of runs marked paid, counted in the run's month."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from subsidies.choices import LineStatus, RunStatus
from subsidies.models import SubsidyLine

from . import Scope

TOWNSHIP = "workshop__village__township"
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return (value or Decimal("0")).quantize(CENT)


def _paid(scope: Scope):
    return scope.rows(SubsidyLine.objects.filter(run__status=RunStatus.PAID, status=LineStatus.PAYABLE), TOWNSHIP)


def paid_by_month_component_and_workshop(scope: Scope, first: date, last_day: date) -> list[tuple]:
    """[(run month, component, workshop_id, paid)] for the months from `first` to `last_day` (one query):
    the board adds them up for a period, a township or a month."""
    return list(_paid(scope).filter(run__month__gte=first, run__month__lte=last_day)
                .values_list("run__month", "component", "workshop_id").annotate(t=Sum("amount"))
                .values_list("run__month", "component", "workshop_id", "t"))
