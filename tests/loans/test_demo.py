"""The demo's loans: the article's 30 M yuan across some 200 borrowers at scale 1, scaled, deterministic,
within the limits, in every state of the workflow."""

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from accounts.demo import DemoContext
from accounts.permissions import SYSTEM
from industries.choices import Origin
from loans import demo, selectors
from loans.models import Loan, Repayment
from tests.factories import EnterpriseFactory, WorkerFactory, township

pytestmark = pytest.mark.django_db


def county(people=20, firms=10):
    workers = [WorkerFactory(returnee=True) for _ in range(people)]
    enterprises = [EnterpriseFactory(origin=Origin.LOCAL, township=township("511781100")) for _ in range(firms)]
    return workers, enterprises


def seeded(seed=7, scale=0.1):
    ctx = DemoContext(rng=random.Random(seed), scale=scale, log=lambda *_: None)
    demo.seed(ctx)
    return ctx


def test_scale_a_tenth_lends_three_million_to_twenty_borrowers_within_the_limits(county_admin):
    county()
    seeded()
    loans = Loan.objects.all()
    assert loans.count() == 20
    assert loans.aggregate(total=Sum("amount"))["total"] == Decimal("3000000.00")
    assert loans.filter(enterprise__isnull=False).count() == 6
    assert not loans.filter(worker__isnull=False, amount__gt=200000).exists()
    assert not loans.filter(amount__gt=3000000).exists() and not loans.filter(term_months__gt=36).exists()
    statuses = set(loans.values_list("status", flat=True))
    assert {"applied", "approved", "repaying"} <= statuses
    assert Repayment.objects.exists()
    # every loan the rule finds overdue today is stored as overdue (or written off)
    overdue = selectors.overdue_loans(Loan.objects.all())
    assert set(overdue.values_list("status", flat=True)) <= {"overdue"}
    assert selectors.outstanding(user=SYSTEM)["count"] == loans.filter(
        status__in=["disbursed", "repaying", "overdue"]).count()


def test_the_same_seed_gives_the_same_loans():
    county()
    seeded(seed=3)
    first = list(Loan.objects.order_by("id").values_list("worker_id", "enterprise_id", "amount", "status",
                                                         "applied_on"))
    Repayment.objects.all().delete()
    Loan.objects.all().delete()
    seeded(seed=3)
    assert list(Loan.objects.order_by("id").values_list("worker_id", "enterprise_id", "amount", "status",
                                                        "applied_on")) == first
