"""CPU per request of bench/load.py's mix, in-process with the production settings (DEBUG off, the
cache and database the server uses), and where it goes: the median `time.process_time()` and the queries
of each endpoint, then (`--profile`) the functions that cost most over the whole mix under cProfile.

    /work/bench/serve.sh's environment (DJANGO_ENV=production, POSTGRES_*, CACHE_URL...) \
        .venv/bin/python bench/profile_mix.py [--repeat 5] [--profile] [--only LABEL]

Requests go through Django's test client as the portal's host over "https" (X-Forwarded-Proto from a
trusted proxy, as Caddy sends it), signed in with force_login for pages and with a token for the API,
so middleware, sessions, authentication and rendering are those of production. process_time counts this
process only; the database's share is the queries' time (printed beside, as wall time of the round trips).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", help="a label of load.py's mix (substring)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", help="with --profile: also write the cProfile stats to this file (pstats)")
    args = parser.parse_args()
    import django

    django.setup()
    import runpy

    # The garbage collector as a gunicorn worker runs it (deploy/gunicorn.conf.py's post_worker_init).
    runpy.run_path(str(Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"))["tune_gc"]()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from load import API, PAGES, PASSWORD

    from accounts.models import User
    from subsidies.models import SubsidyRun

    host = (settings.ALLOWED_HOSTS or ["testserver"])[0]
    run = SubsidyRun.objects.order_by("-month").values_list("pk", flat=True).first()
    clients = {}

    def client_for(username, kind):
        if (username, kind) not in clients:
            client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1")
            user = User.objects.get(username=username)
            if kind == "page":
                client.force_login(user)
            else:
                client.defaults["HTTP_AUTHORIZATION"] = f"Token {token_key(user)}"
            clients[username, kind] = client
        return clients[username, kind]

    def token_key(user):  # one password check per API user, before anything is measured
        response = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1").post(
            "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD, "client": "bench"},
            content_type="application/json", secure=True)
        return response.json()["token"]

    mix = [(label, user, path.format(run=run), kind) for kind, items in (("page", PAGES), ("api", API))
           for label, user, path in items if not args.only or args.only in label]
    for label, username, path, kind in mix:  # warm up: templates compiled, caches filled
        response = client_for(username, kind).get(path, secure=True)
        assert response.status_code == 200, (label, response.status_code, response.content[:300])
    print(f"{'endpoint':26} {'cpu ms':>7} {'min':>6} {'wall ms':>8} {'queries':>7} {'db ms':>6} {'bytes':>7}")
    cpus, lows = [], []
    for label, username, path, kind in mix:
        client = client_for(username, kind)
        cpu, wall, db = [], [], []
        for _ in range(args.repeat):
            seen = []

            def timed(execute, sql, params, many, context):
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    seen.append(time.perf_counter() - start)  # noqa: B023 - called within this iteration

            with connection.execute_wrapper(timed):
                c0, w0 = time.process_time(), time.perf_counter()
                response = client.get(path, secure=True)
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
            db.append(sum(seen))
        cpus.append(statistics.median(cpu))
        lows.append(min(cpu))
        print(f"{label:26} {statistics.median(cpu) * 1000:7.1f} {min(cpu) * 1000:6.1f} "
              f"{statistics.median(wall) * 1000:8.1f} "
              f"{len(seen):7d} {statistics.median(db) * 1000:6.1f} {len(response.content):7d}")
    # The minimum is the figure least disturbed by other work on shared cores.
    print(f"{'mean of the mix':26} {statistics.mean(cpus) * 1000:7.1f} {statistics.mean(lows) * 1000:6.1f}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            for _label, username, path, kind in mix:
                client_for(username, kind).get(path, secure=True)
        profiler.disable()
        stats = pstats.Stats(profiler)
        if args.dump:
            stats.dump_stats(args.dump)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
