"""Maker-checker, immutability of approved money, failure and retry, demo data, dashboard figures."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.choices import Role
from accounts.demo import DemoContext
from accounts.exceptions import Conflict
from accounts.permissions import SYSTEM
from subsidies import demo, selectors, services
from subsidies.choices import RunStatus
from subsidies.models import SubsidyLine, SubsidyRun
from tests.factories import PlacementFactory, certified_workshop, make_user, payroll_months, wy_2026

from .conftest import approve, calculate, months

pytestmark = pytest.mark.django_db


@pytest.fixture
def january():
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    return calculate("2025-01")


def test_the_submitter_cannot_approve_or_reject(january, county_admin):
    services.run_submit(actor=county_admin, run=january)
    with pytest.raises(Conflict):
        services.run_approve(actor=county_admin, run=january)
    with pytest.raises(Conflict):
        services.run_reject(actor=county_admin, run=january, reason="x")
    assert SubsidyRun.objects.get(pk=january.pk).status == RunStatus.SUBMITTED


def test_only_county_roles_act(january, township_officer, county_officer):
    with pytest.raises(PermissionDenied):
        services.run_submit(actor=township_officer, run=january)
    services.run_submit(actor=county_officer, run=january)
    with pytest.raises(PermissionDenied):
        services.run_approve(actor=county_officer, run=january)


def test_an_approved_run_cannot_be_recalculated_edited_or_deleted(january, county_officer, county_admin):
    run = approve(january, county_officer, county_admin)
    lines_before = list(run.lines.values_list("id", "amount", "status"))
    assert services.run_calculate(actor=SYSTEM, run_id=run.pk).status == RunStatus.APPROVED  # a no-op
    again, created = services.run_request(actor=county_admin, month="2025-01", enqueue=False)
    assert created and again.kind == "adjustment" and again.pk != run.pk
    run = SubsidyRun.objects.get(pk=run.pk)
    run.payable_total = Decimal("1")
    with pytest.raises(Conflict):
        run.save()
    with pytest.raises(Conflict):
        SubsidyRun.objects.get(pk=run.pk).delete()
    with pytest.raises(Conflict):
        SubsidyRun.objects.filter(pk=run.pk).delete()
    line = SubsidyLine.objects.filter(run=run).first()
    line.amount = Decimal("99999")
    with pytest.raises(Conflict):
        line.save()
    with pytest.raises(Conflict):
        line.delete()
    with pytest.raises(Conflict):
        SubsidyLine.objects.filter(run=run).delete()
    assert list(SubsidyRun.objects.get(pk=run.pk).lines.values_list("id", "amount", "status")) == lines_before
    assert SubsidyRun.objects.get(pk=run.pk).payable_total == Decimal("800.00")


def test_a_paid_run_never_changes(january, county_officer, county_admin):
    run = approve(january, county_officer, county_admin)
    run = services.run_mark_paid(actor=county_admin, run=run, voucher="PZ-1", paid_on=date(2025, 2, 10))
    run = SubsidyRun.objects.get(pk=run.pk)
    run.voucher = "PZ-2"
    with pytest.raises(Conflict):
        run.save(update_fields=["voucher"])
    with pytest.raises(Conflict):
        services.run_mark_paid(actor=county_admin, run=run, voucher="PZ-3", paid_on=date(2025, 2, 10))


def test_mark_paid_needs_a_voucher_and_a_past_date(january, county_officer, county_admin):
    run = approve(january, county_officer, county_admin)
    with pytest.raises(ValidationError) as error:
        services.run_mark_paid(actor=county_admin, run=run, voucher=" ", paid_on="2999-01-01")
    assert set(error.value.message_dict) == {"voucher", "paid_on"}
    assert SubsidyRun.objects.get(pk=run.pk).status == RunStatus.APPROVED


def test_a_submitted_run_is_not_recalculated(january, county_admin):
    services.run_submit(actor=county_admin, run=january)
    with pytest.raises(Conflict):
        services.run_request(actor=county_admin, month="2025-01", enqueue=False)


def test_the_database_allows_one_regular_run_per_month(january):
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyRun.objects.create(month=date(2025, 1, 1), policy=wy_2026())


def test_a_crash_leaves_the_run_failed_and_a_retry_completes_it(january, county_admin, monkeypatch):
    from subsidies.services import workflow

    real = workflow.compute_lines

    def crash(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(workflow, "compute_lines", crash)
    run = calculate("2025-01")
    assert run.status == RunStatus.FAILED and "database went away" in run.error
    assert run.lines.count() == 2  # the draft's lines were not touched by the failed attempt
    monkeypatch.setattr(workflow, "compute_lines", real)
    services.run_retry(actor=county_admin, run=run)
    run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
    assert run.status == RunStatus.DRAFT and run.error == "" and run.payable_total == Decimal("800.00")


def test_a_stuck_calculation_is_taken_over(january):
    from datetime import timedelta

    from django.utils import timezone

    SubsidyRun.objects.filter(pk=january.pk).update(status=RunStatus.CALCULATING,
                                                    calculation_started_at=timezone.now() - timedelta(hours=2))
    assert services.run_calculate(actor=SYSTEM, run_id=january.pk).status == RunStatus.DRAFT


def test_the_demo_does_nothing_without_labour_data(db):
    ctx = DemoContext(rng=random.Random(1), scale=0.01, log=lambda *a: None)
    demo.seed(ctx)
    assert not SubsidyRun.objects.exists()


def test_the_demo_pays_past_months_and_the_dashboard_sees_them(db):
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-02"))
    demo.seed(DemoContext(rng=random.Random(1), scale=0.01, log=lambda *a: None))
    assert list(SubsidyRun.objects.order_by("month").values_list("status", flat=True)) == ["paid", "paid"]
    figures = selectors.subsidy_figures(user=make_user("viewer", Role.COUNTY_OFFICER))
    assert figures["paid_total"] == Decimal("1600.00")
    assert figures["paid_by_component"]["job_subsidy"] == Decimal("600.00")
    assert figures["paid_by_year"] == {2025: Decimal("1600.00")}


def test_the_demo_pays_up_to_the_articles_total_and_leaves_a_run_at_each_later_step(db):
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-05"))
    # at this scale the article's 12.68 M yuan is 126.80: the first month (800) is paid, no more
    demo.seed(DemoContext(rng=random.Random(1), scale=0.00001, log=lambda *a: None))
    assert list(SubsidyRun.objects.order_by("month").values_list("month", "status")) == [
        (date(2025, 1, 1), "paid"), (date(2025, 2, 1), "approved"), (date(2025, 3, 1), "submitted"),
        (date(2025, 4, 1), "draft")]
    assert selectors.subsidy_figures(user=make_user("viewer", Role.COUNTY_OFFICER))["paid_total"] == Decimal("800.00")


def test_the_demo_county_pays_the_articles_total_with_every_check_applied(db):
    """The whole demo at 1/50 scale pays 1/50 of the article's 12.68 M yuan (within 1 %), and its first
    payroll month, each workshop's first on the portal, is no headcount jump."""
    from importlib import import_module

    from django.db import connection

    from subsidies.models import SubsidyLine

    # seed_demo's steps, in its order. Inside the test's transaction PostgreSQL's autovacuum never sees
    # these rows, so the planner is told about them here, as it would be after a committed import.
    ctx = DemoContext(rng=random.Random(2025), scale=0.02, log=lambda *a: None)
    for app in ("regions", "industries", "workshops", "labor"):
        import_module(f"{app}.demo").seed(ctx)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    demo.seed(ctx)
    # The article's figure counts the four tiers; issue 16's components are paid beside it.
    figures = selectors.subsidy_figures(user=make_user("viewer", Role.COUNTY_OFFICER))
    paid = figures["tiers_paid_total"]
    assert abs(paid - demo.ARTICLE_PAID * Decimal("0.02")) <= demo.ARTICLE_PAID * Decimal("0.0002")
    assert figures["paid_total"] == paid + sum(figures["paid_by_component"][c] for c in demo.BESIDE)
    first = SubsidyRun.objects.order_by("month").first()
    assert first.payable_total > 0
    assert not any("headcount_jump" in flags for flags in SubsidyLine.objects.filter(run=first).values_list(
        "flags", flat=True))


def test_each_transition_is_audited_with_its_status_old_and_new(january, county_officer, county_admin):
    from accounts.models import AuditEvent

    checker = make_user("checker", Role.COUNTY_ADMIN)
    services.run_submit(actor=county_officer, run=january)
    services.run_reject(actor=checker, run=january, reason="核对人数")
    services.run_submit(actor=county_officer, run=january)
    services.run_approve(actor=checker, run=january)
    services.run_mark_paid(actor=checker, run=january, voucher="WY-001", paid_on=date(2025, 2, 10))
    history = [(e.action, e.actor, e.changes["status"]) for e in AuditEvent.objects.filter(
        object_type="subsidies.subsidyrun", object_id=str(january.pk)).order_by("id")]
    assert history == [
        ("subsidy_run.request", None, [None, "queued"]),  # calculate() asks as the system
        ("subsidy_run.calculate", None, ["calculating", "draft"]),
        ("subsidy_run.submit", county_officer, ["draft", "submitted"]),
        ("subsidy_run.reject", checker, ["submitted", "draft"]),
        ("subsidy_run.submit", county_officer, ["draft", "submitted"]),
        ("subsidy_run.approve", checker, ["submitted", "approved"]),
        ("subsidy_run.mark_paid", checker, ["approved", "paid"]),
    ]


def test_the_beat_calculates_as_the_system(county_admin):
    from accounts.models import AuditEvent
    from subsidies.tasks import calculate_previous_month

    wy_2026()
    run = SubsidyRun.objects.get(pk=calculate_previous_month.delay().get())
    event = AuditEvent.objects.get(action="subsidy_run.request", object_id=str(run.pk))
    assert event.actor is None and run.created_by is None
