"""Keeping the dashboard's monthly facts (dashboard.models) in step with the payroll and the paid runs.

`refresh()` runs at the start of every dashboard build: one query finds the months the payroll triggers
logged since the last refresh (usually none) and recomputes only those (three grouped queries over those
months' payroll); `fill_paid()` adds up, once, each run that has become paid (one query finds them). A
refresh takes a transaction-scoped advisory lock on PostgreSQL, so two requests never compute the same
months at once; a change committed while a refresh runs stays logged and is taken by the next one."""

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum

from labor.models import Payroll
from subsidies.choices import LineStatus, RunStatus
from subsidies.models import SubsidyLine, SubsidyRun

from .models import PaidFact, PaidRun, PayrollChange, PayrollFact, PeopleFact

LOCK_KEY = 0x7761_6E79  # "wany": the advisory lock of the payroll facts
DELETE_CHUNK = 5000


def refresh() -> list:
    """Recompute the facts of every payroll month changed since the last refresh; returns those months."""
    if not PayrollChange.objects.exists():
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        changes = list(PayrollChange.objects.values_list("pk", "month"))  # committed before this statement
        months = sorted({month for _pk, month in changes})
        if months:
            recompute(months)
        pks = [pk for pk, _month in changes]
        for start in range(0, len(pks), DELETE_CHUNK):
            PayrollChange.objects.filter(pk__in=pks[start:start + DELETE_CHUNK]).delete()
    return months


def recompute(months: list) -> None:
    """The facts of `months` from the payroll as it is now (three grouped queries)."""
    PayrollFact.objects.filter(month__in=months).delete()
    PeopleFact.objects.filter(month__in=months).delete()
    payroll = Payroll.objects.filter(month__in=months).order_by()
    PayrollFact.objects.bulk_create([
        PayrollFact(month=month, workshop_id=workshop, payslips=payslips, wages=wages)
        for month, workshop, payslips, wages in payroll.values_list("month", "placement__workshop_id")
        .annotate(n=Count("pk"), w=Sum("wage_paid")).values_list("month", "placement__workshop_id", "n", "w")])
    township = "placement__workshop__village__township"
    by_township = (payroll.values_list("month", township).annotate(p=Count("placement__worker", distinct=True))
                   .values_list("month", township, "p"))
    county = payroll.values_list("month").annotate(p=Count("placement__worker", distinct=True)).values_list(
        "month", "p")
    PeopleFact.objects.bulk_create(
        [PeopleFact(month=month, township_id=code, people=people) for month, code, people in by_township]
        + [PeopleFact(month=month, township_id=None, people=people) for month, people in county])


def fill_paid() -> list:
    """Add up the payable lines of each paid run not added up yet (paid is final); returns their ids."""
    missing = list(SubsidyRun.objects.filter(status=RunStatus.PAID, dashboard_facts__isnull=True)
                   .values_list("pk", "month"))
    filled = []
    for pk, month in missing:
        try:
            with transaction.atomic():
                marker = PaidRun.objects.create(run_id=pk)
                # By workshop and township: a line without a workshop counts under its township.
                sums = (SubsidyLine.objects.filter(run_id=pk, status=LineStatus.PAYABLE).order_by()
                        .values_list("component", "workshop_id", "township_id").annotate(t=Sum("amount"))
                        .values_list("component", "workshop_id", "township_id", "t"))
                PaidFact.objects.bulk_create([PaidFact(paid_run=marker, month=month, component=component,
                                                       workshop_id=workshop, township_id=township, amount=amount)
                                              for component, workshop, township, amount in sums])
        except IntegrityError:  # another request added it up first
            continue
        filled.append(pk)
    return filled


def rebuild() -> None:
    """Every fact again from scratch (after restoring a backup made without this app's tables, say)."""
    with transaction.atomic():
        PaidRun.objects.all().delete()
        PayrollChange.objects.all().delete()
        months = sorted(set(Payroll.objects.order_by().values_list("month", flat=True).distinct()))
        PayrollFact.objects.all().delete()
        PeopleFact.objects.all().delete()
        recompute(months)
    fill_paid()
