from datetime import date
from decimal import Decimal

from labor.models import Payroll
from subsidies.choices import RunKind, RunStatus
from subsidies.models import Policy, SubsidyLine, SubsidyRun

__all__ = ["wy_2026", "payroll_months", "approved_history"]


def wy_2026() -> Policy:
    """The default policy, loaded by the data migration."""
    return Policy.objects.get(code="WY-2026")


def payroll_months(placement, months: list[date], days_worked: int = 22, wage_paid: Decimal = Decimal("3200.00"),
                   employer_social_insurance: Decimal = Decimal("500.00")) -> list[Payroll]:
    """Payroll rows for a placement, one per month, written in one insert."""
    return Payroll.objects.bulk_create([
        Payroll(placement=placement, month=m, days_worked=days_worked, wage_paid=wage_paid,
                employer_social_insurance=employer_social_insurance) for m in months
    ])


def approved_history(*, worker, workshop, component: str, months: list[date], amount: Decimal) -> None:
    """Runs of earlier months that were approved, each holding one paid line for the worker
    (for limits that count months already paid)."""
    policy = wy_2026()
    for month in months:
        run = SubsidyRun.objects.create(month=month, policy=policy, kind=RunKind.REGULAR, status=RunStatus.APPROVED)
        SubsidyLine.objects.bulk_create([SubsidyLine(run=run, worker=worker, workshop=workshop, component=component,
                                                     amount=amount, reason="history")])
