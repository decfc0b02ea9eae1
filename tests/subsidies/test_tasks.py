"""The calculation task through a real Celery worker on the real broker."""

import time
from datetime import date

import pytest

from subsidies import services
from subsidies.models import SubsidyRun
from subsidies.tasks import calculate_subsidy_run
from tests.factories import PlacementFactory, certified_workshop, payroll_months

from .conftest import months


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_calculates_a_requested_run(celery_worker_process, county_admin):
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    run, created = services.run_request(actor=county_admin, month="2025-01")  # queued on commit
    assert created
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == "draft":
            break
        time.sleep(0.3)
    assert run.status == "draft" and str(run.payable_total) == "800.00" and run.lines.count() == 2
    # Delivered twice: the second delivery finds nothing to do and changes nothing.
    assert calculate_subsidy_run.delay(run.pk).get(timeout=60) == "draft"
    assert SubsidyRun.objects.get(pk=run.pk).lines.count() == 2
