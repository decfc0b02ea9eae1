"""Twenty people at once: drive a running portal with the daily mix of pages and API lists, and print
requests/s, p50, p95 and errors per endpoint.

    .venv/bin/python bench/load.py --base http://127.0.0.1:8000 --users 20 --seconds 60

Run it against the production server configuration (gunicorn with deploy/gunicorn.conf.py and its
default 3 workers x 8 threads, on a scale-1 demo in PostgreSQL, DJANGO_DEBUG off), and run it once and
discard the figures when the server has just started: its first seconds are slower (the sign-ins'
password hashing, 24 database connections opening, caches filling): in four fresh starts the first 5 s
had p95s of 0.6-1.4 s, and twice the slowness lasted 20-30 s. The demo users and their password are the
ones `seed_demo` creates. Each demo user signs in once before the clock starts (the page login form for
pages, a token for the API); each virtual user is a thread with its own keep-alive connection using
those sessions and tokens, and requests the mix back to back, without think time (a closed loop, so
requests/s is the server's throughput at that concurrency).

`--rate R` (paced, open loop): the users together start R requests a second on a fixed schedule (or
`--poisson`: exponential gaps, seeded), the k-th request of the mix due at k/R seconds; each user takes
the next due request, waits until it is due and sends it, and takes another only when its reply came (so
at most --users are in flight). A request sent more than 10 ms after it was due started late (every user
was still waiting for a reply); its latency is printed both from when it was sent and from when it was
due (the latter counts the wait a real user would have had: no coordinated omission). With a closed
loop of N users and no think time the mean latency is N / throughput (Little's law), so it cannot show
"20 users at 30 requests/s"; the paced mode can.

Why not locust: it would add gevent and a dozen packages to measure what this loop measures; the client
is light (one thread per user, blocking sockets) next to the server it drives, and its figures are the
request's full time as the client sees it.
"""

import argparse
import http.client
import json
import random
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
    parser.add_argument("--rate", type=float, help="paced (open loop): requests started per second by all users")
    parser.add_argument("--poisson", action="store_true", help="with --rate: exponential gaps instead of fixed")
    parser.add_argument("--seed", type=int, default=13, help="with --poisson: the schedule's random seed")
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
    since_due = defaultdict(list)  # paced: latency counted from when the request was due
    errors = defaultdict(int)
    late = []  # paced: how late each late request was sent (seconds)
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + args.warmup
    stop = measure_from + args.seconds
    schedule = (Schedule(start, args.rate, stop, random.Random(args.seed) if args.poisson else None)
                if args.rate else None)

    def virtual_user(index):
        pages, api = {}, {}
        offset = index * 3  # users start at different points of the mix
        step = 0
        while time.monotonic() < stop:
            if schedule is not None:
                k, due = schedule.take()
                if due >= stop:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                label, username, path, kind = mix[k % len(mix)]
            else:
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
            ended = time.monotonic()
            if schedule is None:
                counted = began >= measure_from and ended <= stop
            else:  # paced: every request due in the window counts, even one whose reply comes after it
                counted = due >= measure_from
            if counted:
                with lock:
                    times[label].append(ended - began)
                    if schedule is not None:
                        since_due[label].append(ended - due)
                        if began - due > LATE:
                            late.append(began - due)
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
    total_due = [t for values in since_due.values() for t in values]
    mode = (f"paced at {args.rate:g} req/s ({'Poisson' if args.poisson else 'fixed'} schedule)" if schedule
            else "closed loop")
    print(f"{args.users} users, {mode}, {args.seconds:.0f} s measured after {args.warmup:.0f} s warm-up, "
          f"against {args.base} (run {run})")
    due_heading = f" {'p50 due':>8} {'p95 due':>8}" if schedule else ""
    print(f"{'endpoint':26} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}{due_heading} {'errors':>6}")

    def line(label, values, due_values, n_errors):
        due_part = f" {1000 * pct(due_values, .5):8.0f} {1000 * pct(due_values, .95):8.0f}" if schedule else ""
        print(f"{label:26} {len(values):6d} {len(values) / args.seconds:7.1f} {1000 * pct(values, .5):8.0f} "
              f"{1000 * pct(values, .95):8.0f}{due_part} {n_errors:6d}")

    for label, _user, _path, _kind in mix:
        line(label, times[label], since_due[label], errors[label])
    line("all", total, total_due, sum(errors.values()))
    if total:
        print(f"mean {1000 * statistics.mean(total):.0f} ms")
    if schedule is not None:
        offered = schedule.due_between(measure_from, stop)
        print(f"offered {offered} requests ({offered / args.seconds:.1f}/s), achieved {len(total)} "
              f"({len(total) / args.seconds:.1f}/s); started late (> {LATE * 1000:.0f} ms after due): {len(late)}"
              + (f", by p50 {1000 * pct(late, .5):.0f} ms, max {1000 * max(late):.0f} ms" if late else "")
              + f"; due but never sent (every user still waiting): {max(0, offered - len(total))}")
    return 1 if sum(errors.values()) else 0


LATE = 0.010  # paced: a request sent this long after it was due started late


class Schedule:
    """The paced mode's due times, laid out before the clock starts: the k-th request at start + k / rate,
    or (with `rng`) after exponential gaps of mean 1 / rate. `take()` hands each to exactly one user."""

    def __init__(self, start: float, rate: float, end: float, rng=None):
        self.times, due = [], start
        while due < end:
            self.times.append(due)
            due = due + rng.expovariate(rate) if rng is not None else start + len(self.times) / rate
        self.next = 0
        self.lock = threading.Lock()

    def take(self) -> tuple[int, float]:
        with self.lock:
            k = self.next
            self.next += 1
        return k, self.times[k] if k < len(self.times) else float("inf")

    def due_between(self, first: float, last: float) -> int:
        return sum(1 for due in self.times if first <= due < last)


if __name__ == "__main__":
    sys.exit(main())
