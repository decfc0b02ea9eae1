"""Never twice: a calculation holds its run with a claim token and a row lock, and a line's key is
unique, so overlapping calculations leave one set of lines; a run whose worker died is swept to
`failed` with a reason and retried; a redelivered task of a failed run writes nothing."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.permissions import SYSTEM
from core import sweeper
from subsidies import services
from subsidies.choices import ReportStatus, RunStatus
from subsidies.models import SubsidyLine, SubsidyReport, SubsidyRun
from tests.factories import PlacementFactory, certified_workshop, payroll_months

from .conftest import calculate, months

INTERRUPTED = "后台任务中断"


@pytest.fixture
def january(db):
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    return calculate("2025-01")


def lapse(run, **fields):
    SubsidyRun.objects.filter(pk=run.pk).update(status=RunStatus.CALCULATING, lease_token="dead",
                                                lease_expires_at=timezone.now() - timedelta(seconds=1), **fields)


def test_a_second_line_with_the_same_key_is_refused_by_the_database_even_without_placement(january):
    line = january.lines.filter(placement__isnull=True).first() or january.lines.first()
    SubsidyLine.objects.filter(pk=line.pk).update(placement=None, training=None)
    line.refresh_from_db()
    copy = {f.attname: getattr(line, f.attname) for f in SubsidyLine._meta.concrete_fields if f.attname != "id"}
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyLine.objects.bulk_create([SubsidyLine(**copy)])


def test_the_sweeper_fails_a_run_whose_worker_died_with_a_reason_and_the_user_retries_it(january, county_admin):
    lapse(january, error="")  # as a worker leaves it when even recording its failure failed
    assert sweeper.sweep() == {"subsidies.SubsidyRun": 1}
    run = SubsidyRun.objects.get(pk=january.pk)
    assert run.status == RunStatus.FAILED and INTERRUPTED in run.error and run.lease_token == ""
    assert run.lines.count() == 2  # the draft's lines were never touched
    swept = AuditEvent.objects.get(action="subsidyrun.swept", object_id=str(run.pk))
    assert swept.actor is None and swept.changes == {"status": [RunStatus.CALCULATING, RunStatus.FAILED]}
    services.run_retry(actor=county_admin, run=run)
    run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
    assert run.status == RunStatus.DRAFT and run.error == "" and run.payable_total == Decimal("800.00")


def test_the_sweeper_leaves_a_live_lease_alone(january):
    SubsidyRun.objects.filter(pk=january.pk).update(status=RunStatus.CALCULATING, lease_token="live",
                                                    lease_expires_at=timezone.now() + timedelta(minutes=5))
    assert sweeper.sweep() == {}
    assert SubsidyRun.objects.get(pk=january.pk).status == RunStatus.CALCULATING


def test_a_redelivered_task_of_a_failed_run_writes_nothing(january):
    lapse(january)
    sweeper.sweep()
    SubsidyLine.objects.filter(run=january).delete()
    run = services.run_calculate(actor=SYSTEM, run_id=january.pk)  # the dead worker's message, delivered late
    assert run.status == RunStatus.FAILED and run.lines.count() == 0


def test_a_run_stuck_calculating_is_retried_from_the_page_before_the_sweeper_comes(january, county_admin, client):
    lapse(january)
    client.force_login(county_admin)
    page = client.get(f"/subsidies/runs/{january.pk}/").content.decode()
    assert 'id="action-recalculate"' in page
    client.post(f"/subsidies/runs/{january.pk}/recalculate/")
    run = services.run_calculate(actor=SYSTEM, run_id=january.pk)
    assert run.status == RunStatus.DRAFT and run.lines.count() == 2


def test_a_report_whose_worker_died_is_swept_and_asking_again_builds_it(january, county_admin):
    report = services.report_request(actor=county_admin, run=january, enqueue=False)
    SubsidyReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, lease_token="dead",
                                                      lease_expires_at=timezone.now() - timedelta(seconds=1))
    sweeper.sweep()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and INTERRUPTED in report.error
    # redelivered: nothing
    assert services.report_build(actor=SYSTEM, report_id=report.pk).status == ReportStatus.FAILED
    again = services.report_request(actor=county_admin, run=january, enqueue=False)
    assert services.report_build(actor=SYSTEM, report_id=again.pk).status == ReportStatus.DONE


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: SQLite serialises writers; CI runs PG")
def test_two_overlapping_calculations_of_one_run_leave_one_set_of_lines(monkeypatch, county_admin):
    """The first calculation outlives its lease (1 s); a second delivery tries to take the run over
    meanwhile. The row lock keeps it off, and the first one's lines are the only ones."""
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    run, _ = services.run_request(actor=county_admin, month="2025-01", enqueue=False)
    monkeypatch.setenv("WANYUAN_TEST_JOB_PAUSE", "3")  # the first attempt pauses inside its transaction
    outcomes, errors = {}, []

    def calculate_in_thread(name, delay):
        try:
            threading.Event().wait(delay)
            outcomes[name] = services.run_calculate(actor=SYSTEM, run_id=run.pk).status
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    with override_settings(JOB_LEASE_SECONDS=1):
        threads = [threading.Thread(target=calculate_in_thread, args=("first", 0)),
                   threading.Thread(target=calculate_in_thread, args=("second", 1.5))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert errors == []
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and outcomes == {"first": "draft", "second": "calculating"}
    assert run.lines.count() == run.line_count == 2 and run.payable_total == Decimal("800.00")
