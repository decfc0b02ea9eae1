"""One beat: the scheduler sends due tasks only while it holds a lock in Redis, so a second beat
process (a replica, a forgotten container) sends nothing. When the holder dies its lock lapses
and the other takes over. The schedule's last-run times live in Redis too, so whichever beat holds
the lock knows what already ran: a run missed while no beat was up is sent once on return
(Celery's `is_due` from the stored last run), never once per beat.

While it holds the lock the beat writes a heartbeat; `manage.py healthcheck beat` and the system
status page read it."""

import json
import logging
import os
import socket
import uuid
from datetime import datetime

from celery.beat import Scheduler
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

LOCK_KEY = "wanyuan:beat:lock"
HEARTBEAT_KEY = "wanyuan:beat:heartbeat"
STATE_KEY = "wanyuan:beat:last-run"
# The lock outlives a few missed ticks of a busy beat, yet a dead holder is replaced within it.
LOCK_SECONDS = 90
# How often a beat that does not hold the lock asks again.
STANDBY_SECONDS = 10
# A heartbeat older than this means no beat is sending (ticks come at most 30 s apart).
HEARTBEAT_FRESH_SECONDS = 120

_RENEW = """if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"""
_RELEASE = """if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end"""


def redis_client(url: str | None = None):
    import redis

    url = url or settings.CELERY_BROKER_URL
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, decode_responses=True)


def read_heartbeat(client=None) -> dict | None:
    """{"at": aware datetime, "holder": "host:pid"} of the last tick, or None (never, or Redis down)."""
    try:
        raw = (client or redis_client()).get(HEARTBEAT_KEY)
    except Exception:
        logger.warning("cannot read the beat heartbeat from Redis", exc_info=True)
        return None
    if not raw:
        return None
    data = json.loads(raw)
    return {"at": datetime.fromisoformat(data["at"]), "holder": data.get("holder", "")}


def read_last_runs(client=None) -> dict[str, datetime]:
    try:
        raw = (client or redis_client()).hgetall(STATE_KEY)
    except Exception:
        return {}
    return {name: datetime.fromisoformat(json.loads(value)["last_run_at"]) for name, value in raw.items()}


class LockedScheduler(Scheduler):
    """`celery beat --scheduler core.beat:LockedScheduler` (set as CELERY_BEAT_SCHEDULER)."""

    def __init__(self, app, *args, **kwargs):
        self.redis = redis_client(app.conf.broker_url)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.holding = False
        super().__init__(app, *args, **kwargs)

    # --- the lock ---------------------------------------------------------------------------
    def _hold_lock(self) -> bool:
        try:
            if self.holding and self.redis.eval(_RENEW, 1, LOCK_KEY, self.holder, LOCK_SECONDS * 1000):
                return True
            if self.redis.set(LOCK_KEY, self.holder, nx=True, px=LOCK_SECONDS * 1000):
                logger.info("beat %s holds the lock; it sends the schedule", self.holder)
                self._load_state()  # another beat may have sent entries since we last held it
                self.holding = True
                return True
        except Exception:
            logger.warning("beat cannot reach Redis; sending nothing until it can", exc_info=True)
        if self.holding:
            logger.warning("beat %s lost the lock; standing by", self.holder)
        self.holding = False
        return False

    def tick(self, *args, **kwargs):
        if not self._hold_lock():
            return STANDBY_SECONDS
        self._write_heartbeat()
        return min(super().tick(*args, **kwargs), self.max_interval)

    def _write_heartbeat(self):
        value = json.dumps({"at": timezone.now().isoformat(), "holder": self.holder})
        try:
            self.redis.set(HEARTBEAT_KEY, value, ex=24 * 3600)
        except Exception:
            logger.warning("beat cannot write its heartbeat", exc_info=True)

    # --- the shared schedule state ------------------------------------------------------------
    def setup_schedule(self):
        super().setup_schedule()
        self._load_state()

    def _load_state(self):
        """Last-run times from Redis onto the configured entries (an entry never run keeps 'now')."""
        try:
            stored = self.redis.hgetall(STATE_KEY)
        except Exception:
            logger.warning("beat cannot read its schedule state", exc_info=True)
            return
        for name, entry in self.schedule.items():
            if name in stored:
                data = json.loads(stored[name])
                entry.last_run_at = datetime.fromisoformat(data["last_run_at"])
                entry.total_run_count = data.get("total_run_count", 0)
        self._heap = None  # rebuilt from the loaded times on the next tick

    def reserve(self, entry):
        new_entry = super().reserve(entry)
        # Written before the task is sent: a beat that dies right after never sends it twice.
        try:
            self.redis.hset(STATE_KEY, entry.name, json.dumps({
                "last_run_at": new_entry.last_run_at.isoformat(), "total_run_count": new_entry.total_run_count}))
        except Exception:
            logger.warning("beat cannot store when %s ran", entry.name, exc_info=True)
        return new_entry

    def close(self):
        if self.holding:
            try:
                self.redis.eval(_RELEASE, 1, LOCK_KEY, self.holder)
            except Exception:
                pass
            self.holding = False
        super().close()

    @property
    def info(self):
        return f"lock {LOCK_KEY} in Redis, holder {self.holder}"


def heartbeat_age(now=None) -> float | None:
    beat = read_heartbeat()
    if beat is None:
        return None
    return ((now or timezone.now()) - beat["at"]).total_seconds()
