"""Time the Excel report of one month's subsidy run, and show its memory does not grow with lines.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25432/wanyuan_subsidies_bench \
        .venv/bin/python bench/subsidies_report.py --scale 1 --scale 10

For each scale the synthetic data of bench/subsidies_calculate.py is built (the database, whose name
must contain "bench", is wiped) and December 2025 is calculated; `--reuse` instead takes the largest
calculated December run already in the database (e.g. left by subsidies_calculate.py). Each report is
built by `report_build` in a fresh process, which prints seconds, lines per second, its resident
memory before the build and its peak during it; then the file is opened with openpyxl (read only) and
the rows of sheet 明细 are counted against the run's line count.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

MONTH = date(2025, 12, 1)
DETAILS = "明细"


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":")) / 1024


def peak_mb() -> float:
    """Peak resident memory of this process image (VmHWM). Not getrusage's ru_maxrss: Linux
    carries that across fork and exec, so the measuring child would report this parent's peak."""
    return _status_mb("VmHWM")


def current_mb() -> float:
    return _status_mb("VmRSS")


def calculated_run():
    """The largest calculated December run in the database, or None."""
    from subsidies.choices import RunStatus
    from subsidies.models import SubsidyRun

    return (SubsidyRun.objects.filter(month=MONTH).exclude(
        status__in=(RunStatus.QUEUED, RunStatus.CALCULATING, RunStatus.FAILED))
        .order_by("-line_count", "-id").first())


def prepare(scale: float | None) -> int:
    """Build the data at `scale` and calculate December; with no scale, reuse what is there."""
    from subsidies_calculate import build, users

    from accounts.permissions import SYSTEM
    from subsidies import services

    if scale is None:
        run = calculated_run()
        if run is None:
            sys.exit("No calculated run of 2025-12 in this database: run bench/subsidies_calculate.py first, "
                     "or give --scale.")
        return run.pk
    started = time.perf_counter()
    build(scale)
    maker, _checker = users()
    run, _ = services.run_request(actor=maker, month=MONTH, enqueue=False)
    run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
    assert run.status == "draft", run.error
    print(f"scale {scale:g}: data built and 2025-12 calculated ({run.line_count:,} lines) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return run.pk


def measure(run_id: int) -> dict:
    """In a fresh process: build the report for a county administrator, then check the file."""
    from openpyxl import load_workbook
    from subsidies_calculate import users

    from accounts.permissions import SYSTEM
    from subsidies import services
    from subsidies.models import SubsidyRun

    _maker, checker = users()
    run = SubsidyRun.objects.get(pk=run_id)
    report = services.report_request(actor=checker, run=run, enqueue=False)
    before_current, before_peak = current_mb(), peak_mb()
    started = time.perf_counter()
    report = services.report_build(actor=SYSTEM, report_id=report.pk)
    seconds = time.perf_counter() - started
    after_peak = peak_mb()
    assert report.status == "done", report.error
    path = report.file.path
    size = os.path.getsize(path)
    started = time.perf_counter()
    book = load_workbook(path, read_only=True)
    sheets = book.sheetnames
    rows = sum(1 for _row in book[DETAILS].iter_rows(values_only=True)) - 1  # less the header
    book.close()
    check_seconds = time.perf_counter() - started
    report.file.delete(save=False)
    return {"run": run.pk, "lines": run.line_count, "rows": rows, "sheets": sheets, "seconds": seconds,
            "rss_before": before_current, "peak_before": before_peak, "peak": after_peak, "bytes": size,
            "check_seconds": check_seconds}


def show(result: dict) -> None:
    growth = result["peak"] - result["rss_before"]
    print(f"run {result['run']}: {result['lines']:,} lines, report in {result['seconds']:.1f} s "
          f"({result['lines'] / result['seconds']:,.0f} lines/s), {result['bytes'] / 2**20:.1f} MB file; "
          f"RSS before build {result['rss_before']:.0f} MB, peak during build {result['peak']:.0f} MB "
          f"(+{growth:.0f} MB); sheets {'/'.join(result['sheets'])}, {DETAILS} rows {result['rows']:,} "
          f"{'=' if result['rows'] == result['lines'] else '!='} run lines (read back in "
          f"{result['check_seconds']:.0f} s)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, action="append",
                        help="build the data at this scale (repeatable: 1 and 10 show memory is flat)")
    parser.add_argument("--reuse", action="store_true", help="use the largest calculated 2025-12 run already there")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    db = connection.settings_dict
    if connection.vendor != "postgresql" or "bench" not in db["NAME"]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench' (it is wiped).")
    if args.measure:
        print("RESULT " + json.dumps(measure(args.measure)), flush=True)
        return
    if args.reuse == bool(args.scale):
        sys.exit("Give --scale (one or more) or --reuse.")
    results = []
    for scale in args.scale or [None]:
        run_id = prepare(scale)
        # The build and the calculation above grew this process; the report is measured in a new one.
        done = subprocess.run([sys.executable, __file__, "--measure", str(run_id)], check=True,
                              capture_output=True, text=True)
        sys.stderr.write(done.stderr)
        result = json.loads(done.stdout.rsplit("RESULT ", 1)[1])
        show(result)
        results.append(result)
        if result["rows"] != result["lines"]:
            sys.exit(f"sheet {DETAILS} has {result['rows']:,} rows, the run {result['lines']:,} lines")
    if len(results) > 1:
        small, large = min(results, key=lambda r: r["lines"]), max(results, key=lambda r: r["lines"])
        print(f"memory growth during the build: +{small['peak'] - small['rss_before']:.0f} MB at "
              f"{small['lines']:,} lines, +{large['peak'] - large['rss_before']:.0f} MB at {large['lines']:,} "
              f"lines ({large['lines'] / small['lines']:.1f}x the lines)")


if __name__ == "__main__":
    main()
