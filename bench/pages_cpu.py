"""CPU per list page: the median `time.process_time()` of in-process requests (Django's test Client,
signed in with force_login) to the list pages officers open daily, as the county and a township officer.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25510/wanyuan DJANGO_ALLOWED_HOSTS=testserver \
        .venv/bin/python bench/pages_cpu.py [--repeat 7]

process_time counts this process's CPU only (Python rendering, the ORM building rows), not the database
server's, so it is the figure a gunicorn worker's core spends per page; wall time is printed beside it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = [
    ("county", "/labor/payroll/"),
    ("township", "/labor/payroll/"),
    ("county", "/labor/workers/"),
    ("township", "/labor/workers/"),
    ("county", "/subsidies/runs/{run}/lines/"),
    ("county", "/workshops/"),
    ("township", "/workshops/"),
    ("county", "/"),
    ("township", "/"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--run", type=int, default=5, help="the subsidy run whose lines are listed")
    parser.add_argument("--cold-count", action="store_true",
                        help="empty the cache before each request: every list counts its rows (a first visit)")
    parser.add_argument("--only", help="only the pages whose path contains this")
    args = parser.parse_args()
    users = get_user_model().objects
    print(f"{'user':9} {'page':32} {'status':>6} {'cpu ms':>7} {'wall ms':>8} {'bytes':>7}")
    from django.core.cache import cache

    for username, path in PAGES:
        path = path.format(run=args.run)
        if args.only and args.only not in path:
            continue
        client = Client()
        client.force_login(users.get(username=username))
        response = client.get(path)  # warm: templates compiled, caches filled
        cpu, wall = [], []
        for _ in range(args.repeat):
            if args.cold_count:
                cache.clear()
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(path)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        print(f"{username:9} {path:32} {response.status_code:>6} {statistics.median(cpu) * 1000:7.1f} "
              f"{statistics.median(wall) * 1000:8.1f} {len(response.content):7}")


if __name__ == "__main__":
    main()
