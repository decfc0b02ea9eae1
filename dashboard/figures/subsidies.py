"""Subsidies paid, for the dashboard: payable lines of runs marked paid, counted in the run's month."""

from datetime import date
from decimal import Decimal

from ..models import PaidFact
from . import Scope

TOWNSHIP = "township"  # every paid fact has its township, with or without a workshop
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return (value or Decimal("0")).quantize(CENT)


def paid_by_month_component_and_workshop(scope: Scope, first: date, last_day: date) -> list[tuple]:
    """[(run month, component, workshop_id, township_id, paid)] for the months from `first` to `last_day`:
    the payable lines of paid runs, added up once per run (dashboard.facts.fill_paid; one query over
    those sums); the board adds them up for a period, a township or a month. workshop_id is None for the
    lines without a workshop (loan interest, start-up awards, transport subsidies)."""
    return list(scope.rows(PaidFact.objects.filter(month__gte=first, month__lte=last_day), TOWNSHIP)
                .values_list("month", "component", "workshop_id", "township_id", "amount"))
