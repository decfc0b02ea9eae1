"""Redis down: pages and the API keep answering (throttling lets requests through with a warning);
asking for a calculation says background work is unavailable (API 503, a message on the page) and
leaves no run queued silently. A real redis-server is started for the test and stopped in it."""

import logging
import shutil
import socket
import subprocess
import time

import pytest
from celery import current_app
from django.test.utils import override_settings

from accounts.choices import Role
from subsidies.choices import RunStatus
from subsidies.models import SubsidyRun
from tests.factories import make_user


def _free_port() -> int:
    """This test's own Redis, on the first free port of 26601-26609: the shared one keeps serving the others."""
    for port in range(26601, 26610):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 26601-26609 for the test's own Redis")
UNAVAILABLE = "后台任务暂不可用"


def _reset_broker_pools(app):
    # The app keeps its connection pools; forget them (kombu keeps one per broker URL, left open) so the
    # next publish uses the broker URL set now.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt-get install redis-server; CI installs it)")
    port = _free_port()
    url = f"redis://127.0.0.1:{port}"
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    app = current_app
    monkeypatch.setenv("CELERY_BROKER_URL", f"{url}/0")  # Celery reads this variable before its own setting
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = f"{url}/0", False
    _reset_broker_pools(app)
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"{url}/1"}}
    try:
        with override_settings(CELERY_BROKER_URL=f"{url}/0", CACHES=caches):
            yield server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)
        app.conf.broker_url, app.conf.task_always_eager = previous
        _reset_broker_pools(app)


def stop(server):
    server.terminate()
    server.wait(10)


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_pages_and_api_answer_and_a_calculation_request_says_why(own_redis, api, client,
                                                                                    caplog):
    officer = make_user("officer", Role.COUNTY_OFFICER)
    rest = api(officer)
    assert rest.get("/api/v1/subsidy-runs/").status_code == 200  # Redis up: throttled through the cache
    stop(own_redis)

    client.force_login(officer)
    for path in ("/", "/subsidies/runs/", "/labor/imports/"):
        assert client.get(path).status_code == 200, path
    with caplog.at_level(logging.WARNING, logger="accounts.throttling"):
        listed = rest.get("/api/v1/subsidy-runs/")
    assert listed.status_code == 200 and listed["Content-Type"] == "application/json" and "count" in listed.json()
    assert "throttle cache unavailable" in caplog.text

    started = time.monotonic()
    response = rest.post("/api/v1/subsidy-runs/", {"month": "2025-01"}, format="json")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    answered = time.monotonic() - started
    assert UNAVAILABLE in response.json()["detail"] and answered < 15
    print(f"Redis stopped: the calculation request answered 503 in {answered:.2f} s")
    run = SubsidyRun.objects.get(month="2025-01-01")
    assert run.status == RunStatus.FAILED and UNAVAILABLE in run.error  # not left queued

    page = client.post("/subsidies/runs/new/", {"month": "2025-01"}, follow=True)
    assert page.status_code == 200 and UNAVAILABLE in page.content.decode()
    assert not SubsidyRun.objects.filter(status=RunStatus.QUEUED).exists()
    assert client.get("/healthz").json()["broker"] == "down"
    client.force_login(make_user("admin", Role.COUNTY_ADMIN))
    status = client.get("/system/status/")
    assert status.status_code == 200 and 'id="queues-unknown"' in status.content.decode()
