"""Every query one request runs, slowest first, with its time: where a page's time goes in the database.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25510/wanyuan DJANGO_ALLOWED_HOSTS=testserver \
        .venv/bin/python bench/page_queries.py county / [--cold] [--top 15]

`--cold` empties the cache first (the dashboard's figures are cached). Times are the client's
(round trip included); run EXPLAIN ANALYZE on the slow ones.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sql", type=int, default=400, help="characters of each query's SQL shown")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.username))
    client.get(args.path)  # warm up
    if args.cold:
        cache.clear()
    seen = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append(((time.perf_counter() - start) * 1000, sql, params))

    start = time.perf_counter()
    with connection.execute_wrapper(timed):
        response = client.get(args.path)
    total = (time.perf_counter() - start) * 1000
    in_db = sum(t for t, _s, _p in seen)
    print(f"{args.username} {args.path}: {response.status_code}, {total:.1f} ms, {len(seen)} queries, "
          f"{in_db:.1f} ms in them")
    for took, sql, params in sorted(seen, key=lambda row: -row[0])[:args.top]:
        print(f"{took:8.2f} ms  {sql[:args.sql]}  {tuple(params or ())[:8]}")


if __name__ == "__main__":
    main()
