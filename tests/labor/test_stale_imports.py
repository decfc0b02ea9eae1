"""Never backwards: an import applies only if the rows it checked have not changed since; a stale
one (replayed after a newer import of the same months) changes nothing and ends failed naming the
rows; a retry checks the file again against the data as it is now."""

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from labor.imports import services as imports
from labor.models import ImportJob, Payroll
from labor.tasks import apply_import
from tests.factories import PlacementFactory
from tests.labor import importing
from tests.workers import needs_worker_setup, wait_until

from .test_imports import xlsx

HEADER = ["身份证号", "车间", "月份", "出勤天数", "实发工资", "单位缴纳社保"]


def payroll_file(placement, wage, name):
    rows = [HEADER] + [[placement.worker.id_number, placement.workshop_id, month, 22, wage, 0]
                       for month in ("2025-03", "2025-04")]
    return xlsx(rows, name)


def wages():
    return sorted(Payroll.objects.values_list("month", "wage_paid"))


@pytest.fixture
def placement(db):
    return PlacementFactory(start_date=date(2025, 3, 1), end_date=None)


def test_an_import_checked_before_a_newer_one_was_applied_changes_nothing_and_names_the_rows(placement,
                                                                                             county_admin, client):
    older = importing.upload(actor=county_admin, kind="payroll", upload=payroll_file(placement, 3000, "a.xlsx"))
    older.refresh_from_db()
    assert older.status == "preview"
    newer = importing.upload(actor=county_admin, kind="payroll", upload=payroll_file(placement, 3500, "b.xlsx"))
    assert importing.confirm(actor=county_admin, job=newer, import_rows="valid").status == "done"

    older = importing.confirm(actor=county_admin, job=older, import_rows="valid")
    assert older.status == "failed" and older.created_count == older.updated_count == 0
    assert "2、3" in older.error and {p["row"] for p in older.problems} == {2, 3}
    assert wages() == [(date(2025, 3, 1), Decimal("3500.00")), (date(2025, 4, 1), Decimal("3500.00"))]

    # The page offers to check the file again; checked against today's data it may then be imported.
    client.force_login(county_admin)
    assert 'id="import-retry"' in client.get(f"/labor/imports/{older.pk}/").content.decode()
    with importing.committed():  # the check is queued after the request commits
        client.post(f"/labor/imports/{older.pk}/retry/")
    older.refresh_from_db()
    assert older.status == "preview" and older.error == "" and older.problems == []
    assert importing.confirm(actor=county_admin, job=older, import_rows="valid").status == "done"
    assert wages() == [(date(2025, 3, 1), Decimal("3000.00")), (date(2025, 4, 1), Decimal("3000.00"))]


def test_only_a_failed_import_is_retried_over_the_api(placement, county_admin, api):
    job = importing.upload(actor=county_admin, kind="payroll", upload=payroll_file(placement, 3000, "a.xlsx"))
    response = api(county_admin).post(f"/api/v1/imports/{job.pk}/retry/")
    assert response.status_code == 409 and response.json()["detail"] == "只有失败的导入可以重试。"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_replayed_stale_import_changes_nothing_on_a_real_worker(celery_worker_process, county_admin, monkeypatch):
    """Import A is checked; its worker is killed while applying it; a newer import B of the same months
    is applied; A's message is delivered again (an hour later, in the issue) → nothing reverts."""
    needs_worker_setup()
    placement = PlacementFactory(start_date=date(2025, 3, 1), end_date=None)

    def settled(job, status):
        return wait_until(lambda: ImportJob.objects.get(pk=job.pk).status == status, 60)

    older = imports.import_upload(actor=county_admin, kind="payroll", upload=payroll_file(placement, 3000, "a.xlsx"))
    assert settled(older, "preview")
    # A's apply was under way when its worker was killed: importing, with a lease nobody renews.
    ImportJob.objects.filter(pk=older.pk).update(status="importing", lease_token="dead", attempts=1,
                                                 lease_expires_at=timezone.now() - timedelta(seconds=1))
    newer = imports.import_upload(actor=county_admin, kind="payroll", upload=payroll_file(placement, 3500, "b.xlsx"))
    assert settled(newer, "preview")
    imports.import_confirm(actor=county_admin, job=ImportJob.objects.get(pk=newer.pk), import_rows="valid")
    assert settled(newer, "done")
    stamped = sorted(Payroll.objects.values_list("month", "updated_at"))
    time.sleep(0.01)

    assert apply_import.delay(older.pk).get(timeout=60) == "failed"  # the replay
    older.refresh_from_db()
    assert older.status == "failed" and {p["row"] for p in older.problems} == {2, 3}
    assert wages() == [(date(2025, 3, 1), Decimal("3500.00")), (date(2025, 4, 1), Decimal("3500.00"))]
    assert sorted(Payroll.objects.values_list("month", "updated_at")) == stamped  # not even rewritten
    assert apply_import.delay(older.pk).get(timeout=60) == "failed"  # delivered once more: still nothing
    assert wages()[0][1] == Decimal("3500.00")
    for job in ImportJob.objects.all():
        job.file.delete(save=False)
