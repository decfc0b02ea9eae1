"""Time the background Excel export of the unfiltered payroll list in a real Celery worker, and show its
memory stays flat.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25506/wanyuan_exports_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:26506/0 \
        .venv/bin/python bench/exports.py                 # 316,800 payroll rows
        .venv/bin/python bench/exports.py --rows 1000000  # and a million

Synthetic payroll is written with COPY (26,400 placements x 12 months = 316,800 rows at the default;
`--rows` scales the placements; the database, whose name must contain "bench", is wiped), or
`--reuse` takes what is there. A `celery worker --pool=solo` (the task runs in its main process) is
started on a queue of its own; a county administrator's export of /labor/payroll/ is queued to it the way
the page does (core.exports), and the script prints the seconds from queueing to done, rows per second,
the worker's resident memory before the task and its peak (VmHWM) after, the file's size, and (with
`--check`) the file's row count read back with openpyxl.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

BASE_PLACEMENTS = 26_400
MONTHS = 12
BASE_ROWS = BASE_PLACEMENTS * MONTHS  # 316,800: a year of the article's 26,400 local jobs
WORKSHOPS = 47
STAMP = "2025-12-31T00:00:00Z"


def copy_rows(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(placements: int, seed: int = 7) -> None:
    """`placements` workers placed at 47 workshops across the 31 townships, each with 12 months of payroll
    (2025), written with COPY."""
    import random
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command

    from industries.models import Enterprise
    from labor import resident_id
    from regions.models import Township, Village
    from workshops.models import Workshop

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_download, subsidies_subsidyreport, subsidies_subsidyline, subsidies_subsidyrun, "
                       "labor_payroll, labor_placement, labor_trainingcompletion, labor_training, labor_membership, "
                       "labor_worker, workshops_certificationevent, workshops_post, workshops_workshop, "
                       "industries_enterprise, regions_village CASCADE")
    villages = Village.objects.bulk_create([Village(township=t, code=f"{t.code}{n:03d}", name=f"{t.name}{n}村")
                                            for t in Township.objects.all() for n in range(1, 11)])
    enterprise = Enterprise.objects.create(name="基准企业", credit_code="91511781MA000001X0", origin="local",
                                           industry="tea")
    shops = Workshop.objects.bulk_create([
        Workshop(name=f"基准车间{i}", kind="assistance", form="centralized", industry="tea", enterprise=enterprise,
                 village=villages[i % len(villages)]) for i in range(WORKSHOPS)])
    categories = ["poverty_alleviated"] * 40 + ["monitored"] * 11 + ["hard_to_employ"] * 5 + ["general"] * 44

    def workers():
        for n in range(placements):
            born = date(rng.randint(1958, 2006), rng.randint(1, 12), rng.randint(1, 28))
            first17 = f"{511781 + n // 1000:06d}{born:%Y%m%d}{n % 1000:03d}"  # unique per n
            number = first17 + resident_id.check_character(first17)
            yield (number, f"工人{n}", f"13{n:09d}", villages[n % len(villages)].pk, rng.choice(categories), False,
                   "male" if int(number[16]) % 2 else "female", born, STAMP, STAMP)

    copy_rows("labor_worker", ["id_number", "name", "phone", "village_id", "category", "returnee", "sex",
                               "birth_date", "created_at", "updated_at"], workers())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM labor_worker ORDER BY id")
        worker_ids = [r[0] for r in cursor.fetchall()]
    copy_rows("labor_placement", ["worker_id", "workshop_id", "source", "start_date", "end_reason", "monthly_wage",
                                  "created_at", "updated_at"],
              ((wid, shops[i % len(shops)].pk, "direct", date(2025, 1, 1), "", Decimal("3200"), STAMP, STAMP)
               for i, wid in enumerate(worker_ids)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM labor_placement ORDER BY id")
        placement_ids = [r[0] for r in cursor.fetchall()]

    def payroll():
        for pid in placement_ids:
            for month in range(1, MONTHS + 1):
                yield (pid, date(2025, month, 1), rng.choice((22, 22, 20, 18, 14)),
                       Decimal(rng.choice((3200, 2800, 2500, 1999))), Decimal(rng.choice((0, 450, 520, 650))), STAMP)

    copy_rows("labor_payroll", ["placement_id", "month", "days_worked", "wage_paid", "employer_social_insurance",
                                "updated_at"], payroll())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def status_mb(pid: int, field: str) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":")) / 1024


def owner():
    from accounts.choices import Role
    from accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-export-admin", defaults={"role": Role.COUNTY_ADMIN})
    return user


def start_worker(queue: str) -> subprocess.Popen:
    from celery import current_app

    args = [sys.executable, "-m", "celery", "-A", "wanyuan", "worker", "--pool=solo", "-Q", queue,
            "-n", f"{queue}@%h", "--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"]
    worker = subprocess.Popen(args, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            sys.exit("the Celery worker exited")
        if current_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            return worker
    worker.kill()
    sys.exit("the Celery worker did not answer within 60 s")


def measure(check: bool) -> dict:
    from core import exports
    from core.tasks import export_download
    from labor.models import Payroll

    rows = Payroll.objects.count()
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue)
    try:
        time.sleep(1)
        rss_before = status_mb(worker.pid, "VmRSS")
        download = exports.request_download(owner=owner(), title="工资", list_name="labor-payroll-list", query="",
                                            language="zh-hans", enqueue=False)
        started = time.perf_counter()
        export_download.apply_async((download.pk,), queue=queue)
        peak_seen = rss_before
        while True:
            download.refresh_from_db()
            peak_seen = max(peak_seen, status_mb(worker.pid, "VmRSS"))
            if download.status in ("done", "failed"):
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        peak = status_mb(worker.pid, "VmHWM")
    finally:
        worker.terminate()
        worker.wait(30)
    if download.status != "done":
        sys.exit(f"the export failed: {download.error}")
    result = {"rows": rows, "written": download.rows_done, "seconds": seconds, "rss_before": rss_before,
              "peak": peak, "bytes": download.file_size}
    if check:
        from openpyxl import load_workbook

        book = load_workbook(download.file.path, read_only=True)
        result["read_back"] = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
        book.close()
    download.file.delete(save=False)
    download.delete()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=BASE_ROWS, help="payroll rows to build (default 316,800)")
    parser.add_argument("--reuse", action="store_true", help="export the payroll already in the database")
    parser.add_argument("--check", action="store_true", help="read the file back and count its rows")
    args = parser.parse_args()
    db = connection.settings_dict
    if connection.vendor != "postgresql" or "bench" not in db["NAME"]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench' (it is wiped).")
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        sys.exit("Set CELERY_BROKER_URL (a Redis broker): the export runs in a real worker.")
    if not args.reuse:
        started = time.perf_counter()
        build(-(-args.rows // MONTHS))
        print(f"payroll built in {time.perf_counter() - started:.0f} s", flush=True)
    result = measure(args.check)
    print(f"{result['rows']:,} payroll rows: exported in {result['seconds']:.1f} s "
          f"({result['written'] / result['seconds']:,.0f} rows/s), {result['bytes'] / 2**20:.1f} MB file; worker RSS "
          f"{result['rss_before']:.0f} MB before the task, peak {result['peak']:.0f} MB "
          f"(+{result['peak'] - result['rss_before']:.0f} MB)"
          + (f"; {result['read_back']:,} rows read back" if "read_back" in result else ""), flush=True)
    if result["written"] != result["rows"] or result.get("read_back", result["rows"]) != result["rows"]:
        sys.exit("the file does not hold every row")


if __name__ == "__main__":
    main()
