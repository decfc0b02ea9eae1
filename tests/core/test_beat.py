"""One beat: of two schedulers only the one holding the Redis lock sends; the other takes over,
knowing what already ran, when the first stops; a run missed while no beat was up is sent once.
The beat's heartbeat makes `manage.py healthcheck beat` pass. Real Redis (the configured broker)."""

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery import current_app
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from core import beat

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def redis():
    if not settings.CELERY_BROKER_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must configure CELERY_BROKER_URL")
        pytest.skip("needs CELERY_BROKER_URL (a Redis broker); .ci/run provides one")
    client = beat.redis_client()
    keys = (beat.LOCK_KEY, beat.HEARTBEAT_KEY, beat.STATE_KEY)
    client.delete(*keys)
    yield client
    client.delete(*keys)


@pytest.fixture
def schedule(redis):
    """A test schedule on a queue nobody consumes, so the sent messages can be counted there."""
    queue = f"beat-test-{uuid.uuid4().hex[:8]}"
    previous, eager = current_app.conf.beat_schedule, current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False  # beat publishes; nothing runs in this process
    current_app.conf.beat_schedule = {
        "every-second": {"task": "core.tasks.sweep_expired_leases", "schedule": 1.0, "options": {"queue": queue}},
        "monthly": {"task": "core.tasks.sweep_expired_leases", "schedule": crontab(minute=0, hour=2, day_of_month=3),
                    "options": {"queue": queue + "-monthly"}},
    }
    yield queue
    current_app.conf.beat_schedule, current_app.conf.task_always_eager = previous, eager
    redis.delete(queue, queue + "-monthly")


def tick_for(schedulers, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for scheduler in schedulers:
            scheduler.tick()
        time.sleep(0.05)


def test_a_second_beat_sends_nothing_and_takes_over_when_the_first_stops(redis, schedule):
    first, second = beat.LockedScheduler(app=current_app), beat.LockedScheduler(app=current_app)
    tick_for([first, second], 3.5)
    sent = redis.llen(schedule)
    assert first.holding and not second.holding
    assert 3 <= sent <= 4 and first.schedule["every-second"].total_run_count == sent
    assert second.schedule["every-second"].total_run_count == 0

    first.close()  # stopped: the lock is released (a killed beat's lock lapses within LOCK_SECONDS)
    tick_for([second], 2.2)
    assert second.holding
    # It continued the first one's count (shared state), sending about one a second: never a burst.
    assert second.schedule["every-second"].total_run_count == redis.llen(schedule) <= sent + 3
    second.close()


def test_a_run_missed_while_no_beat_was_up_is_sent_once(redis, schedule):
    long_ago = timezone.now() - timedelta(days=100)  # three monthly runs missed
    redis.hset(beat.STATE_KEY, "monthly", json.dumps({"last_run_at": long_ago.isoformat(), "total_run_count": 7}))
    scheduler = beat.LockedScheduler(app=current_app)
    tick_for([scheduler], 1.5)
    scheduler.close()
    assert redis.llen(schedule + "-monthly") == 1
    restarted = beat.LockedScheduler(app=current_app)
    tick_for([restarted], 1.5)
    restarted.close()
    assert redis.llen(schedule + "-monthly") == 1 and restarted.schedule["monthly"].total_run_count == 8


def healthcheck(env=None):
    return subprocess.run([sys.executable, "manage.py", "healthcheck", "beat"], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, **(env or {})), timeout=60)


def test_healthcheck_beat_fails_without_a_fresh_heartbeat_and_passes_while_a_real_beat_runs(redis, tmp_path):
    assert healthcheck().returncode != 0  # no beat ever ran
    stale = json.dumps({"at": (timezone.now() - timedelta(minutes=10)).isoformat(), "holder": "gone:1"})
    redis.set(beat.HEARTBEAT_KEY, stale)
    result = healthcheck()
    assert result.returncode != 0 and "gone:1" in result.stderr

    process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "wanyuan", "beat", "--loglevel=INFO",
                                "--schedule", str(tmp_path / "schedule")], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while healthcheck().returncode != 0:
            assert time.monotonic() < deadline, "the beat never wrote a heartbeat"
            assert process.poll() is None, process.stdout.read()
            time.sleep(1)
        assert "beat: ok" in healthcheck().stdout
        assert f":{process.pid}:" in redis.get(beat.LOCK_KEY)  # the real beat holds the lock
    finally:
        process.terminate()
        process.wait(20)
