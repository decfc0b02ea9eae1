"""Twenty people at once: drive a running portal with the daily mix of pages and API lists, and print
requests/s, p50, p95 and errors per endpoint.

    .venv/bin/python bench/load.py --base http://127.0.0.1:8000 --users 20 --seconds 60

Run it against the production server configuration (gunicorn with deploy/gunicorn.conf.py on a
scale-1 demo in PostgreSQL, DJANGO_DEBUG off); the demo users and their password are the ones
`seed_demo` creates. Each demo user signs in once before the clock starts (the page login form for
pages, a token for the API); each virtual user is a thread with its own keep-alive connection using
those sessions and tokens, and requests the mix back to back, without think time (a closed loop, so
requests/s is the server's throughput at that concurrency).

Why not locust: it would add gevent and a dozen packages to measure what this loop measures; the client
is light (one thread per user, blocking sockets) next to the server it drives, and its figures are the
request's full time as the client sees it.
"""

import argparse
import http.client
import json
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from urllib.parse import urlencode, urlsplit

PASSWORD = "wanyuan-demo-2026"  # accounts/demo.py DEMO_PASSWORD

# (label, role's demo user, path). The 100th page and filtered variants are what officers open daily.
PAGES = [
    ("home county", "county", "/"),
    ("home township", "township", "/"),
    ("workshops", "township", "/workshops/"),
    ("workers p1", "county", "/labor/workers/"),
    ("workers p100", "county", "/labor/workers/?page=100"),
    ("workers name filter", "township", "/labor/workers/?" + urlencode({"search": "李"})),
    ("payroll p1", "county", "/labor/payroll/"),
    ("payroll p100", "county", "/labor/payroll/?page=100"),
    ("payroll month township", "township", "/labor/payroll/?month=2025-12"),
    ("run lines p1", "county", "/subsidies/runs/{run}/lines/"),
    ("run lines p100", "county", "/subsidies/runs/{run}/lines/?page=100"),
    ("broker home", "broker", "/labor/"),
]
API = [
    ("api workers", "partner", "/api/v1/workers/"),
    ("api workshops", "partner", "/api/v1/workshops/"),
    ("api payroll", "partner", "/api/v1/payroll/"),
    ("api subsidy lines", "county", "/api/v1/subsidy-lines/"),
]


class Session:
    # --portal-host: talk to gunicorn directly as the proxy (Caddy) would: the portal's host name and
    # X-Forwarded-Proto https (gunicorn trusts it from DJANGO_TRUSTED_PROXIES), so production's HTTPS
    # redirect and CSRF origin checks pass without TLS in the measurement.
    portal_host = None

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.conn = None
        self.cookies: dict[str, str] = {}
        self.token = None

    @property
    def origin(self):
        return f"https://{self.portal_host}" if self.portal_host else f"http://{self.host}:{self.port}"

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.portal_host:
            headers.update({"Host": self.portal_host, "X-Forwarded-Proto": "https"})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=130)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login_page(self, username):
        status, body = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        status, _ = self.request("POST", "/accounts/login/", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + "/", "Origin": self.origin})
        if status != 302:
            raise SystemExit(f"page login as {username} answered {status}")

    def login_api(self, username):
        status, body = self.request("POST", "/api/v1/auth/token/", json.dumps(
            {"username": username, "password": PASSWORD, "client": "bench/load.py"}),
            {"Content-Type": "application/json"})
        if status != 200:
            raise SystemExit(f"token for {username} answered {status}: {body[:200]!r}")
        self.token = json.loads(body)["token"]


def latest_run(base) -> int:
    session = Session(base)
    session.login_api("county")
    status, body = session.request("GET", "/api/v1/subsidy-runs/")
    runs = json.loads(body)["results"]
    if not runs:
        raise SystemExit("no subsidy run in the database: seed the demo first")
    return max(runs, key=lambda r: r["month"])["id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5, help="seconds whose requests are not counted")
    parser.add_argument("--portal-host", help="PORTAL_HOST of a production server reached without its proxy")
    args = parser.parse_args()
    Session.portal_host = args.portal_host

    run = latest_run(args.base)
    mix = [(label, user, path.format(run=run), kind) for kind, items in (("page", PAGES), ("api", API))
           for label, user, path in items]
    # Sign in once per demo user before the clock starts, the users' sessions and tokens shared by the
    # virtual users: a login hashes the password (PBKDF2, ~0.5-1 s of a core), and 20 users x 5 logins
    # inside the measured window measured the hashing, not the pages.
    signed_in = {}
    for _label, username, _path, kind in mix:
        if (username, kind) not in signed_in:
            session = Session(args.base)
            session.login_page(username) if kind == "page" else session.login_api(username)
            signed_in[username, kind] = (dict(session.cookies), session.token)
    times = defaultdict(list)
    errors = defaultdict(int)
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + args.warmup
    stop = measure_from + args.seconds

    def virtual_user(index):
        pages, api = {}, {}
        offset = index * 3  # users start at different points of the mix
        step = 0
        while time.monotonic() < stop:
            label, username, path, kind = mix[(offset + step) % len(mix)]
            step += 1
            sessions = pages if kind == "page" else api
            if username not in sessions:
                session = Session(args.base)
                cookies, token = signed_in[username, kind]
                session.cookies, session.token = dict(cookies), token
                sessions[username] = session
            began = time.monotonic()
            try:
                status, _ = sessions[username].request("GET", path)
            except Exception:  # noqa: BLE001 - a failed request is an error figure, not a crash
                status = 0
            took = time.monotonic() - began
            if began >= measure_from and time.monotonic() <= stop:
                with lock:
                    times[label].append(took)
                    if status != 200:
                        errors[label] += 1

    threads = [threading.Thread(target=virtual_user, args=(i,), daemon=True) for i in range(args.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def pct(values, q):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    total = [t for values in times.values() for t in values]
    print(f"{args.users} users, {args.seconds:.0f} s measured after {args.warmup:.0f} s warm-up, "
          f"against {args.base} (run {run})")
    print(f"{'endpoint':26} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for label, _user, _path, _kind in mix:
        values = times[label]
        print(f"{label:26} {len(values):6d} {len(values) / args.seconds:7.1f} {1000 * pct(values, .5):8.0f} "
              f"{1000 * pct(values, .95):8.0f} {errors[label]:6d}")
    print(f"{'all':26} {len(total):6d} {len(total) / args.seconds:7.1f} {1000 * pct(total, .5):8.0f} "
          f"{1000 * pct(total, .95):8.0f} {sum(errors.values()):6d}")
    if total:
        print(f"mean {1000 * statistics.mean(total):.0f} ms")
    return 1 if sum(errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
