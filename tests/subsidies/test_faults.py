"""A calculation whose worker is killed never sticks: it ends done (the redelivered task takes over
once the dead attempt's lease lapses) or failed with a reason (the sweeper), and a retry completes.
Real workers on the real broker and PostgreSQL; the lease is shortened to 8 s for the test and the
first attempt pauses (WANYUAN_TEST_JOB_PAUSE) so it can be killed mid-calculation."""

import time
from datetime import date

import pytest

from core.tasks import sweep_expired_leases
from subsidies import services
from subsidies.choices import RunStatus
from subsidies.models import SubsidyRun
from subsidies.tasks import calculate_subsidy_run
from tests import workers
from tests.factories import PlacementFactory, certified_workshop, payroll_months
from tests.workers import needs_worker_setup, wait_until

from .conftest import months

LEASE = "8"
spawn = workers.spawn  # the fixture that starts (and always stops) extra workers
FAULT_ENV = {"JOB_LEASE_SECONDS": LEASE, "WANYUAN_TEST_JOB_PAUSE": "30"}

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queued_run(county_admin):
    needs_worker_setup()
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    run, _created = services.run_request(actor=county_admin, month="2025-01", enqueue=False)
    return run


def status_of(run):
    return SubsidyRun.objects.values_list("status", flat=True).get(pk=run.pk)


def calculating(run):
    return status_of(run) == RunStatus.CALCULATING


def test_a_killed_pool_process_mid_calculation_ends_done_after_redelivery(queued_run, spawn):
    worker = spawn(pool="prefork", env=FAULT_ENV)
    calculate_subsidy_run.apply_async((queued_run.pk,), queue=worker.queue)
    assert wait_until(lambda: calculating(queued_run), 30), "the worker never started the calculation"
    time.sleep(1)  # inside the paused first attempt
    worker.kill_child()
    killed = time.monotonic()
    # The message goes back to the queue (reject_on_worker_lost); the new pool process finds the
    # dead attempt's lease, waits for it to lapse and takes over.
    done = wait_until(lambda: status_of(queued_run) in (RunStatus.DRAFT, RunStatus.FAILED), 120, step=0.5)
    recovered = time.monotonic() - killed
    run = SubsidyRun.objects.get(pk=queued_run.pk)
    assert done and run.status == RunStatus.DRAFT, (run.status, run.error)
    assert run.lines.count() == 2 and str(run.payable_total) == "800.00" and run.attempts == 2
    assert recovered < 120
    print(f"pool process killed mid-calculation: done after {recovered:.1f} s (lease {LEASE} s)")


def test_a_killed_worker_mid_calculation_ends_failed_with_a_reason_and_a_retry_completes(queued_run, county_admin,
                                                                                          api, spawn):
    worker = spawn(pool="prefork", env=FAULT_ENV)
    calculate_subsidy_run.apply_async((queued_run.pk,), queue=worker.queue)
    assert wait_until(lambda: calculating(queued_run), 30), "the worker never started the calculation"
    time.sleep(1)
    worker.kill()  # main process and pool: its message stays unacknowledged in Redis
    killed = time.monotonic()
    restarted = spawn(pool="prefork", env={"JOB_LEASE_SECONDS": LEASE})
    # What beat does every minute: the sweeper fails the run once its lease has lapsed.
    def swept():
        sweep_expired_leases.apply_async(queue=restarted.queue).get(timeout=30)
        return status_of(queued_run) != RunStatus.CALCULATING

    assert wait_until(swept, 110, step=2)
    recovered = time.monotonic() - killed
    run = SubsidyRun.objects.get(pk=queued_run.pk)
    assert run.status == RunStatus.FAILED and "后台任务中断" in run.error and run.lines.count() == 0
    assert recovered < 120
    # The user retries from the API; the restarted worker completes the calculation.
    response = api(county_admin).post(f"/api/v1/subsidy-runs/{run.pk}/retry/")
    assert response.status_code == 202, response.content
    assert wait_until(lambda: status_of(run) == RunStatus.DRAFT, 60)
    run.refresh_from_db()
    assert run.lines.count() == 2 and str(run.payable_total) == "800.00"
    # The dead worker's message, delivered again late, finds the run done and changes nothing.
    assert calculate_subsidy_run.apply_async((run.pk,), queue=restarted.queue).get(timeout=60) == "draft"
    assert SubsidyRun.objects.get(pk=run.pk).lines.count() == 2
    print(f"whole worker killed mid-calculation: failed with a reason after {recovered:.1f} s (lease {LEASE} s)")
