"""Extra real Celery workers for fault tests: each listens on its own queue (and the default one),
so the session's worker never takes a task meant to be killed mid-way."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    def __init__(self, *, pool="prefork", env=None, queue=None):
        self.queue = queue or f"fault-{uuid.uuid4().hex[:8]}"
        self.name = f"{self.queue}@%h"
        environ = dict(os.environ, DATABASE_URL=database_url(), **(env or {}))
        args = [sys.executable, "-m", "celery", "-A", "wanyuan", "worker", f"--pool={pool}", "--concurrency=1",
                "-n", self.name, "-Q", f"{self.queue},celery", "--loglevel=INFO", "--without-heartbeat",
                "--without-gossip", "--without-mingle"]
        # Its own session: the test can kill the whole worker (main process and pool) at once.
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"{self.queue}-", suffix=".log")
        self.process = subprocess.Popen(args, cwd=ROOT, env=environ, stdout=self.log, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.kill()  # never leave a worker behind, whatever went wrong
            raise

    def _wait_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("the Celery worker exited:\n" + self.output())
            if current_app.control.ping(destination=[self.name.replace("%h", os.uname().nodename)], timeout=0.5):
                return
        pytest.fail("the Celery worker did not answer within 60 s")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_child(self) -> int:
        """SIGKILL the pool process running the task (an OOM kill); the main process lives on."""
        pids = self.children()
        assert pids, "the prefork worker has no pool process"
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def kill(self):
        """SIGKILL the whole worker (main process and pool): `docker kill`, a lost machine."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def spawn():
    """spawn(**options) starts a Worker; every worker started is stopped after the test, even a failed one."""
    started = []

    def start(**options):
        started.append(Worker(**options))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def needs_worker_setup():
    """Skip (or fail in CI) like the session worker fixture does."""
    if not settings.CELERY_BROKER_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must configure CELERY_BROKER_URL for the worker tests")
        pytest.skip("needs CELERY_BROKER_URL (a Redis broker); .ci/run provides one")
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        pytest.skip("the worker test needs a shared database server (PostgreSQL)")


def wait_until(predicate, timeout: float, step: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()
