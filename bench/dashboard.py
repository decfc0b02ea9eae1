"""How fast the county dashboard answers at the demo's scale: the whole request (`GET /` as the county
officer, as the township officer, the brief and the Excel workbook), through Django's test client, on the
database `DATABASE_URL` names. Seeds the demo county first when the database has none (`--seed`, or it
stops), since the figures are only meaningful on the article's data.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25507/wanyuan .venv/bin/python bench/dashboard.py --seed --scale 1

Prints, per page, the cold request (the figures' cache emptied first: every aggregate runs; best of
`--cold`) and the warm one (the figures cached for DASHBOARD_CACHE_SECONDS, as every request within those
minutes finds them: best and median of `--repeat`), with the queries each ran. The target (issue 15):
under 300 ms at scale 1 on PostgreSQL.

On a shared machine wall times swing with the other work (the load average is printed), so the cold
request's CPU is printed too: this process's (`time.process_time()`) plus, when PostgreSQL runs on this
machine, its backend's (utime + stime from /proc/<pid>/stat), best of `--cold`. With the two cores to
itself a request takes about that CPU time, since the page and its queries run one after the other.

The wages and subsidies come from dashboard.facts' monthly facts: the first build after a payroll write
recomputes the months written (a seed writes them all: that first build takes seconds), so the script
builds every page once before measuring; "cold" means the figures' cache emptied, with the facts current.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", action="store_true", help="seed the demo county when the database has none")
    parser.add_argument("--scale", default="1", help="the demo's scale when seeding (default 1)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--cold", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    class CaptureQueriesContext:  # counts every query (the test client's request_started clears connection.queries)
        def __init__(self, conn):
            self.conn, self.count = conn, 0

        def _count(self, execute, sql, params, many, context):
            self.count += 1
            return execute(sql, params, many, context)

        def __enter__(self):
            self._wrapper = self.conn.execute_wrapper(self._count)
            self._wrapper.__enter__()
            return self

        def __exit__(self, *exc):
            self._wrapper.__exit__(*exc)

        def __len__(self):
            return self.count

    from accounts.models import User
    from labor.models import Payroll

    call_command("migrate", verbosity=0)
    if not Payroll.objects.exists():
        if not args.seed:
            sys.exit("the database holds no demo county: run with --seed (takes minutes at scale 1)")
        call_command("seed_demo", scale=args.scale)
    latest = Payroll.objects.order_by("-month").values_list("month", flat=True).first()
    print(f"database: {connection.vendor}, {Payroll.objects.count()} payroll rows, latest month {latest:%Y-%m}")

    pages = [
        ("county", "/", "county officer, default period (this year)"),
        ("county", f"/?period={latest.year}", "county officer, the payroll's latest year"),
        ("county", f"/?period={latest:%Y-%m}", "county officer, the latest month"),
        ("county", f"/?period={latest.year - 1}-01..{latest:%Y-%m}&sort=-subsidies_paid", "county, a range, sorted"),
        ("township", f"/?period={latest.year}", "township officer, the latest year"),
        ("county", f"/dashboard/brief/?period={latest.year}", "the brief"),
        ("county", f"/dashboard/export.xlsx?period={latest.year}", "the Excel workbook"),
    ]
    def backend_cpu():  # seconds of CPU the database backend of this connection has used, None if unknown
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    clients = {}
    for username in {user for user, _path, _label in pages}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    for username, path, label in pages:
        client = clients[username]
        response = client.get(path)  # warm up (templates, translations)
        assert response.status_code == 200, (path, response.status_code)
        cold, cpu = [], []
        for _ in range(args.cold):
            cache.clear()
            db_before, start, cpu_start = backend_cpu(), time.perf_counter(), time.process_time()
            client.get(path)
            cold.append((time.perf_counter() - start) * 1000)
            app = time.process_time() - cpu_start
            db_after = backend_cpu()
            cpu.append((app + (db_after - db_before if db_before is not None else 0)) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as cold_queries:
            client.get(path)
        with CaptureQueriesContext(connection) as warm_queries:
            client.get(path)
        times = []
        for _ in range(args.repeat):
            reset_queries()
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{label:<44} cold {min(cold):7.1f} ms (median {statistics.median(cold):6.1f}, worst "
              f"{max(cold):6.1f}), CPU {min(cpu):6.1f} ms ({len(cold_queries):2d} q)  "
              f"warm best {min(times):6.1f} ms median {statistics.median(times):6.1f} ms ({len(warm_queries):2d} q)"
              f"  {path}")


if __name__ == "__main__":
    main()
