"""Fault table: the production stack started as docker-compose.yml starts it (gunicorn with
deploy/gunicorn.conf.py and DJANGO_ENV=production, a prefork Celery worker with --concurrency 2, beat),
on a PostgreSQL and a Redis the caller runs; then faults are injected one after another and the script
prints, for each, the state the job ended in and how long that took, and how long a retry took.

    bench/faults.py --pgdata /tmp/x/pg --pgport 25800 --redisport 26800 --redisdir /tmp/x [--scale 1] [--venv .venv]

The PostgreSQL must trust the `wanyuan` user on 127.0.0.1 and be stoppable with `pg_ctl -D PGDATA` as the
postgres user (the fault "database down" stops and starts it); the Redis is stopped and started with
redis-server on --redisport (so run it with AOF, as compose does, if you want its queue to survive).
The database `wanyuan_faults` is made (or reused with --reuse) and filled with the demo at --scale.
Requests go straight to gunicorn from 127.0.0.1 as the proxy would send them (trusted proxy headers).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "portal.faults.test"
DB = "wanyuan_faults"
TERMINAL = {"draft", "failed", "submitted", "approved", "paid"}


class Stack:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="wanyuan-faults."))
        self.python = str(Path(args.venv) / "bin" / "python")
        self.celery = str(Path(args.venv) / "bin" / "celery")
        self.gunicorn = str(Path(args.venv) / "bin" / "gunicorn")
        self.port = args.webport
        self.procs: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "faults-" + "x" * 60,
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
            "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(args.pgport), "POSTGRES_DB": DB,
            "POSTGRES_USER": "wanyuan", "POSTGRES_PASSWORD": "faults/p@ss:#%",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{args.redisport}/0",
            "CACHE_URL": f"redis://127.0.0.1:{args.redisport}/1",
            "DJANGO_MEDIA_ROOT": str(self.work / "media"), "DJANGO_STATIC_ROOT": str(self.work / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "3",
        }
        self.env.pop("DATABASE_URL", None)
        self.token = None

    # --- processes -------------------------------------------------------------------------
    def manage(self, *argv, env=None):
        subprocess.run([self.python, "manage.py", *argv], cwd=ROOT, env=env or self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def start(self, name, argv):
        log = open(self.work / f"{name}.log", "a")
        self.procs[name] = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def start_web(self):
        self.start("web", [self.gunicorn, "-c", "deploy/gunicorn.conf.py"])

    def start_worker(self):
        self.start("worker", [self.celery, "-A", "wanyuan", "worker", "-l", "info", "--concurrency", "2",
                              "-n", "faults@%h"])

    def start_beat(self, name="beat"):
        self.start(name, [self.celery, "-A", "wanyuan", "beat", "-l", "info",
                          "--schedule", str(self.work / f"{name}-schedule")])

    def stop(self, name, sig=signal.SIGTERM, wait=60):
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        # `docker stop` signals only the container's first process (celery's main one lets its pool finish);
        # a SIGKILL of the container takes every process in it.
        if sig == signal.SIGKILL:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def pool_children(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.procs["worker"].pid)], capture_output=True,
                             text=True).stdout
        return [int(p) for p in out.split()]

    def wait_worker(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ping = subprocess.run([self.celery, "-A", "wanyuan", "inspect", "ping", "--timeout", "1"], cwd=ROOT,
                                  env=self.env, capture_output=True)
            if ping.returncode == 0:
                return
            time.sleep(0.5)
        raise SystemExit("the worker did not answer")

    def pg(self, action):
        cmd = ["runuser", "-u", "postgres", "--", "pg_ctl", "-D", self.args.pgdata, "-w", action]
        if action == "start":
            cmd += ["-l", str(Path(self.args.pgdata).parent / "pg-faults.log"), "-o",
                    f"-p {self.args.pgport} -k {self.args.pgdata} -c listen_addresses=127.0.0.1"]
        else:
            cmd += ["-m", "immediate"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def redis(self, action):
        if action == "stop":
            subprocess.run(["redis-cli", "-p", str(self.args.redisport), "shutdown"], stdout=subprocess.DEVNULL)
        else:
            subprocess.run(["redis-server", "--port", str(self.args.redisport), "--bind", "127.0.0.1",
                            "--daemonize", "yes", "--appendonly", "yes", "--dir", self.args.redisdir], check=True,
                           stdout=subprocess.DEVNULL)
            time.sleep(0.5)

    # --- HTTP ------------------------------------------------------------------------------
    def http(self, method, path, body=None, accept="application/json"):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept": accept}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            return 0, "", str(exc).encode()

    def api(self, method, path, body=None):
        status, _ctype, data = self.http(method, path, body)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, {"raw": data[:200].decode(errors="replace")}

    def run(self, run_id):
        return self.api("GET", f"/api/v1/subsidy-runs/{run_id}/")[1]

    def request_month(self, month):
        status, run = self.api("POST", "/api/v1/subsidy-runs/", {"month": month})
        return status, run

    def wait_status(self, run_id, statuses, timeout):
        """Seconds until the run's status is in `statuses` (None on time-out), and the run."""
        started = time.monotonic()
        run = {}
        while time.monotonic() - started < timeout:
            run = self.run(run_id)
            if run.get("status") in statuses:
                return time.monotonic() - started, run
            time.sleep(0.2)
        return None, run


def prepare(stack: Stack, args):
    dev = {**stack.env, "DJANGO_ENV": "development", "CELERY_BROKER_URL": ""}
    if not args.reuse:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-p", str(args.pgport), "-U", "wanyuan", "--if-exists", DB],
                       check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(args.pgport), "-U", "wanyuan", DB], check=True)
        stack.manage("migrate", "--noinput", env=dev)
        t0 = time.monotonic()
        stack.manage("seed_demo", "--scale", str(args.scale), env=dev)
        print(f"demo at scale {args.scale} in {time.monotonic() - t0:.0f} s", flush=True)
    stack.manage("collectstatic", "--noinput")


def month_to_recalculate(stack) -> str:
    """A month whose regular run is a draft (the demo leaves one): recalculating it is repeatable."""
    _status, page = stack.api("GET", "/api/v1/subsidy-runs/?status=draft&kind=regular")
    runs = page.get("results", [])
    if not runs:
        raise SystemExit("no draft run to recalculate in the demo")
    return runs[0]["month"]


def settle(stack, run_id, timeout):
    took, run = stack.wait_status(run_id, TERMINAL, timeout)
    state = run.get("status", "?") if took is not None else f"stuck {run.get('status')}"
    return took, state, run


def retry(stack, run, timeout=300):
    if run.get("status") != "failed":
        return None
    t0 = time.monotonic()
    stack.api("POST", f"/api/v1/subsidy-runs/{run['id']}/retry/")
    took, _state, after = settle(stack, run["id"], timeout)
    return (time.monotonic() - t0) if after.get("status") == "draft" else None


def during_calculation(stack, month, inject, recover=None, timeout=600):
    """Request `month`, inject the fault as soon as the run is calculating, then time its end."""
    status, run = stack.request_month(month)
    if status not in (201, 202):
        return {"state": f"request answered {status}: {run}", "took": None, "retry": None}
    started, _ = stack.wait_status(run["id"], {"calculating"}, 60)
    if started is None:
        return {"state": "never calculating", "took": None, "retry": None}
    t0 = time.monotonic()
    inject()
    if recover:
        recover()
    took, state, after = settle(stack, run["id"], timeout)
    error = (after.get("error") or "")[:60]
    total = time.monotonic() - t0 if took is not None else None
    return {"state": state + (f" ({error})" if error else ""), "took": total, "retry": retry(stack, after),
            "lines": after.get("line_count")}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pgdata", required=True)
    parser.add_argument("--pgport", type=int, required=True)
    parser.add_argument("--redisport", type=int, required=True)
    parser.add_argument("--redisdir", required=True, help="the Redis's --dir (its AOF), to start it again")
    parser.add_argument("--webport", type=int, default=8800)
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--venv", default=str(ROOT / ".venv"))
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    args = parser.parse_args()

    stack = Stack(args)
    prepare(stack, args)
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    stack.wait_worker()
    for _ in range(100):
        if stack.http("GET", "/healthz")[0] == 200:
            break
        time.sleep(0.2)
    status, body = stack.api("POST", "/api/v1/auth/token/", {"username": "admin", "password": "wanyuan-demo-2026"})
    stack.token = body["token"]
    month = month_to_recalculate(stack)
    print(f"stack up; recalculating {month} under each fault; logs in {stack.work}", flush=True)
    rows = []

    def record(name, result):
        rows.append((name, result))
        took = f"{result['took']:.1f} s" if result.get("took") is not None else "-"
        again = f"{result['retry']:.1f} s" if result.get("retry") is not None else "-"
        print(f"| {name} | {result['state']} | {took} | {again} |", flush=True)

    print("| fault | state the job ends in | time from the fault (or from the worker's return) | retry to draft |")
    print("|---|---|---|---|")
    record("none (baseline)", during_calculation(stack, month, lambda: None))

    def kill_pool_child():
        for pid in stack.pool_children():
            os.kill(pid, signal.SIGKILL)
    record("worker pool process SIGKILL", during_calculation(stack, month, kill_pool_child))

    def kill_worker():
        stack.stop("worker", signal.SIGKILL)
        time.sleep(2)
        stack.start_worker()  # compose: restart unless-stopped
    record("whole worker SIGKILL, restarted", during_calculation(stack, month, kill_worker))

    # No worker at all: the sweeper is a task, so nothing moves until a worker is back.
    status, run = stack.request_month(month)
    stack.wait_status(run["id"], {"calculating"}, 60)
    stack.stop("worker", signal.SIGKILL)
    time.sleep(200)
    meanwhile = stack.run(run["id"]).get("status")
    stack.start_worker()
    t0 = time.monotonic()
    took, state, after = settle(stack, run["id"], 600)
    record("whole worker SIGKILL, back after 200 s", {
        "state": f"{meanwhile} while no worker runs; then {state}",
        "took": (time.monotonic() - t0) if took is not None else None, "retry": retry(stack, after)})

    def stop_worker_gracefully():
        stack.stop("worker", signal.SIGTERM, wait=300)
        stack.start_worker()
    record("docker stop of the worker (SIGTERM, grace)", during_calculation(stack, month, stop_worker_gracefully))

    def database_down():
        stack.pg("stop")
        time.sleep(15)
        stack.pg("start")
    record("PostgreSQL down 15 s", during_calculation(stack, month, database_down))

    # Redis down: what the user sees.
    stack.redis("stop")
    time.sleep(1)
    api_status, run = stack.request_month(month)
    page = stack.http("GET", "/", accept="text/html")
    lst = stack.http("GET", "/api/v1/workshops/")
    health = stack.http("GET", "/healthz")
    stack.redis("start")
    state = (f"calculation request {api_status} ({str(run.get('detail', ''))[:40]}); home page {page[0]}; "
             f"API list {lst[0]} {lst[1].split(';')[0]}; /healthz {health[0]}")
    time.sleep(5)
    record("Redis down", {"state": state, "took": None, "retry": None})

    # Two beats: the second must send nothing.
    stack.start_beat("beat2")
    time.sleep(130)
    stack.stop("beat2")
    sent = {name: (stack.work / f"{name}.log").read_text().count("Sending due task") for name in ("beat", "beat2")}
    record("second beat process for 130 s", {"state": f"due tasks sent: beat {sent['beat']}, second beat "
                                                      f"{sent['beat2']}", "took": None, "retry": None})

    def kill_web():
        for name in ("web",):
            children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(stack.procs[name].pid)],
                                      capture_output=True, text=True).stdout.split()
            for pid in children:
                os.kill(int(pid), signal.SIGKILL)
    kill_web()
    t0 = time.monotonic()
    while stack.http("GET", "/healthz")[0] != 200 and time.monotonic() - t0 < 60:
        time.sleep(0.1)
    record("every gunicorn worker SIGKILL", {"state": "answering again", "took": time.monotonic() - t0,
                                             "retry": None})

    for name in list(stack.procs):
        stack.stop(name)
    print(json.dumps([{"fault": n, **r} for n, r in rows], ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
