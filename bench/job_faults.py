"""The fault table of issue 9: inject each fault into a real worker (prefork, as compose runs it),
real beat, PostgreSQL and Redis, and print fault → resulting state → time to recover. Never run by
the suite (it stops PostgreSQL); run it by hand against a throwaway PostgreSQL and Redis:

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25600/wanyuan_faults CELERY_BROKER_URL=redis://127.0.0.1:26600/5 \
    PGDATA=/tmp/jobs-db/pg .venv/bin/python -m pytest bench/job_faults.py -s -p no:cacheprovider

The lease is the production one (JOB_LEASE_SECONDS, 120 s) unless FAULT_LEASE says otherwise. The
first attempt of each job pauses 20 s (WANYUAN_TEST_JOB_PAUSE) so the fault lands mid-job.
"""

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from subsidies import services  # noqa: E402
from subsidies.models import SubsidyRun  # noqa: E402
from subsidies.tasks import calculate_subsidy_run  # noqa: E402
from tests.factories import PlacementFactory, certified_workshop, make_user, payroll_months  # noqa: E402
from tests.workers import Worker, wait_until  # noqa: E402

LEASE = os.environ.get("FAULT_LEASE", "120")
ENV = {"JOB_LEASE_SECONDS": LEASE, "WANYUAN_TEST_JOB_PAUSE": "20"}
ROWS = []

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def table():
    yield
    print("\n\n| fault | resulting state | time to recover |\n|---|---|---|")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")


@pytest.fixture(autouse=True)
def townships(transactional_db):
    """Each test's flush takes the townships and the policy of the data migrations with it; put them back."""
    from importlib import import_module

    from regions.models import Township

    if not Township.objects.exists():
        units = import_module("regions.migrations.0002_wanyuan_townships").UNITS
        Township.objects.bulk_create(Township(code=code, name=name, kind=kind) for code, name, kind in units)
    from django.apps import apps

    import_module("subsidies.migrations.0002_policy_wy_2026").load(apps, None)  # the policy, flushed likewise


def _run(month):
    from accounts.choices import Role
    from subsidies import rules

    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))),
                   rules.months_between(rules.parse_month(month), rules.parse_month(month)))
    actor = make_user(f"admin-{month}", Role.COUNTY_ADMIN)
    return services.run_request(actor=actor, month=month, enqueue=False)[0]


def _state(run):
    connections.close_all()
    run = SubsidyRun.objects.get(pk=run.pk)
    return run.status, run.error[:40], run.lines.count()


def _settled(run, timeout=400):
    return wait_until(lambda: _state(run)[0] in ("draft", "failed"), timeout, step=1)


def _start(run, worker):
    calculate_subsidy_run.apply_async((run.pk,), queue=worker.queue)
    assert wait_until(lambda: _state(run)[0] == "calculating", 30)
    time.sleep(2)


def test_pool_process_killed():
    run = _run("2025-01")
    worker = Worker(pool="prefork", env=ENV)
    try:
        _start(run, worker)
        worker.kill_child()
        t = time.monotonic()
        _settled(run)
        status, _error, lines = _state(run)
        ROWS.append(("pool process SIGKILLed mid-calculation", f"{status}, {lines} lines (redelivered, took over)",
                     f"{time.monotonic() - t:.0f} s"))
    finally:
        worker.stop()


def test_whole_worker_killed_with_beat_running(tmp_path):
    run = _run("2025-02")
    worker = Worker(pool="prefork", env=ENV)
    beat = subprocess.Popen([sys.executable, "-m", "celery", "-A", "wanyuan", "beat", "--schedule",
                             str(tmp_path / "s")], cwd=ROOT, env=dict(os.environ, JOB_LEASE_SECONDS=LEASE),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _start(run, worker)
        worker.kill()
        t = time.monotonic()
        restarted = Worker(pool="prefork", env={"JOB_LEASE_SECONDS": LEASE})  # compose restarts it
        try:
            _settled(run)
            status, error, lines = _state(run)
            ROWS.append(("whole worker SIGKILLed mid-calculation (restarted; beat runs the sweeper)",
                         f"{status} «{error}…», {lines} lines", f"{time.monotonic() - t:.0f} s"))
        finally:
            restarted.stop()
    finally:
        beat.terminate()
        beat.wait(20)


@pytest.mark.parametrize("into_job", [0, 10], ids=["recordable", "not-recordable"])
def test_postgresql_down_15_s_mid_calculation(into_job):
    """Stopped 2 s into the job's 20 s pause, PostgreSQL is back before the job touches it again and
    the failure is recorded; stopped 12 s in, the job fails while it is still down, cannot record
    it, and the task's retry (then the takeover of the lapsed lease) settles it."""
    pgdata = os.environ.get("PGDATA")
    if not pgdata:
        pytest.skip("set PGDATA to the throwaway PostgreSQL's data directory")
    run = _run(f"2025-{3 + into_job // 10:02d}")
    worker = Worker(pool="prefork", env=ENV)
    try:
        _start(run, worker)
        time.sleep(into_job)
        options = subprocess.run(["runuser", "-u", "postgres", "--", "cat", f"{pgdata}/postmaster.opts"],
                                 check=True, capture_output=True, text=True).stdout.split(" ", 1)[1].strip()
        subprocess.run(["runuser", "-u", "postgres", "--", "pg_ctl", "-D", pgdata, "-m", "fast", "-w", "stop"],
                       check=True, capture_output=True)
        t = time.monotonic()
        time.sleep(15)
        # Started again with the options it ran with (port, socket directory), as a restarted container is.
        subprocess.run(["runuser", "-u", "postgres", "--", "pg_ctl", "-D", pgdata, "-l", f"{pgdata}/../pg.log",
                        "-o", options.replace('"-D" "' + pgdata + '"', ""), "-w", "start"], check=True,
                       capture_output=True)
        _settled(run)
        status, error, lines = _state(run)
        ROWS.append((f"PostgreSQL stopped 15 s mid-calculation ({2 + into_job} s into it)",
                     f"{status} «{error}…», {lines} lines, attempts {SubsidyRun.objects.get(pk=run.pk).attempts}",
                     f"{time.monotonic() - t:.0f} s"))
    finally:
        worker.stop()


def test_stale_import_replayed():
    from labor.imports import services as imports
    from labor.models import ImportJob, Payroll
    from labor.tasks import apply_import
    from tests.labor.test_stale_imports import payroll_file

    admin = make_user("import-admin", "county_admin")
    placement = PlacementFactory(start_date=date(2025, 3, 1), end_date=None)
    older = imports.import_upload(actor=admin, kind="payroll", upload=payroll_file(placement, 3000, "a.xlsx"))
    ImportJob.objects.filter(pk=older.pk).update(status="importing", lease_token="dead", attempts=1,
                                                 lease_expires_at=timezone.now() - timedelta(seconds=1))
    newer = imports.import_upload(actor=admin, kind="payroll", upload=payroll_file(placement, 3500, "b.xlsx"))
    imports.import_confirm(actor=admin, job=ImportJob.objects.get(pk=newer.pk), import_rows="valid")
    worker = Worker(pool="prefork", env={"JOB_LEASE_SECONDS": LEASE})
    try:
        t = time.monotonic()
        status = apply_import.apply_async((older.pk,), queue=worker.queue).get(timeout=60)
        wages = sorted({str(w) for w in Payroll.objects.values_list("wage_paid", flat=True)})
        ROWS.append(("payroll import replayed after a newer import of the same months",
                     f"{status}, naming rows {[p['row'] for p in ImportJob.objects.get(pk=older.pk).problems]};"
                     f" wages stay {wages}", f"{time.monotonic() - t:.1f} s"))
    finally:
        worker.stop()
