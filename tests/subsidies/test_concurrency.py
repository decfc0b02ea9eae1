"""Simultaneous requests for one month, on PostgreSQL (the database CI and production run)."""

import threading

import pytest
from django.db import connection, connections

from accounts.choices import Role
from accounts.permissions import SYSTEM
from subsidies import services
from subsidies.models import SubsidyRun
from tests.factories import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; CI runs this on PG"),
]


def test_two_requests_for_a_month_at_once_make_one_run():
    officers = [make_user(f"officer-{n}", Role.COUNTY_OFFICER) for n in range(4)]
    start, results, errors = threading.Barrier(len(officers)), [], []

    def request(user):
        try:
            start.wait()
            run, created = services.run_request(actor=user, month="2025-03", enqueue=False)
            results.append((run.pk, created))
        except Exception as exc:  # reported below: every request must succeed
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request, args=(user,)) for user in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert SubsidyRun.objects.filter(month="2025-03-01").count() == 1
    assert len({pk for pk, _created in results}) == 1 and sum(created for _pk, created in results) == 1


def test_two_months_approved_at_the_same_moment_never_pay_a_thirteenth_month():
    """December and January approved by two administrators at once, for a worker with 11 months
    paid: the approvals take turns, the first makes the other month stale, and that one is refused."""
    from datetime import date
    from decimal import Decimal

    from accounts.exceptions import Conflict
    from subsidies.choices import LOCKED_STATUSES, Component
    from subsidies.models import SubsidyLine
    from tests.factories import PlacementFactory, approved_history, certified_workshop, payroll_months

    from .conftest import months

    placement = PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1)), start_date=date(2024, 1, 1))
    approved_history(worker=placement.worker, workshop=placement.workshop, component=Component.JOB_SUBSIDY,
                     months=months("2024-01", "2024-11"), amount=Decimal("300"))
    payroll_months(placement, months("2024-12", "2025-01"), employer_social_insurance=Decimal("0"))
    maker = make_user("maker", Role.COUNTY_OFFICER)
    checkers = [make_user(f"checker-{n}", Role.COUNTY_ADMIN) for n in range(2)]
    runs = []
    for month in ("2024-12", "2025-01"):
        run, _created = services.run_request(actor=maker, month=month, enqueue=False)
        runs.append(services.run_submit(actor=maker, run=services.run_calculate(actor=SYSTEM, run_id=run.pk)))
    start, approved, refused, errors = threading.Barrier(2), [], [], []

    def approve(user, run):
        try:
            start.wait()
            approved.append(services.run_approve(actor=user, run=run).pk)
        except Conflict as exc:
            refused.append(exc.code)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(checkers, runs, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(approved) == 1 and refused == ["run_stale"]
    paid = SubsidyLine.objects.filter(worker=placement.worker, component=Component.JOB_SUBSIDY,
                                      run__status__in=LOCKED_STATUSES, amount__gt=0)
    assert paid.values("run__month").distinct().count() == 12
