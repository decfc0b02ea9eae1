"""What the system status page shows: the beat, the queues, the jobs, the last backup. Each part
reads its own source and says "unknown" when that source is down, so the page always answers."""

import json
import logging
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import beat
from .jobs import lapsed, leased_models

logger = logging.getLogger(__name__)

# Celery's Redis transport keeps each priority level of a queue in its own list.
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def beat_status() -> dict:
    heartbeat = beat.read_heartbeat()
    age = (timezone.now() - heartbeat["at"]).total_seconds() if heartbeat else None
    return {"heartbeat": heartbeat, "age": age, "fresh": age is not None and age <= beat.HEARTBEAT_FRESH_SECONDS,
            "last_runs": sorted(beat.read_last_runs().items())}


def queue_lengths() -> list[dict] | None:
    """[{"name", "waiting"}] per queue plus the messages workers hold unacknowledged; None if Redis is down."""
    if not settings.CELERY_BROKER_URL:
        return None
    names = {"celery"} | {q.name for q in (getattr(settings, "CELERY_TASK_QUEUES", None) or ())}
    try:
        client = beat.redis_client()
        rows = [{"name": name, "waiting": sum(client.llen(name + s) for s in PRIORITY_SUFFIXES)}
                for name in sorted(names)]
        rows.append({"name": "unacked", "waiting": client.hlen("unacked")})
        return rows
    except Exception:
        logger.warning("system status: cannot read the queues from Redis", exc_info=True)
        return None


def job_counts() -> list[dict]:
    now = timezone.now()
    rows = []
    for model in leased_models():
        objects = model.objects.all()
        running = objects.filter(status__in=model.LEASE_STATUSES)
        rows.append({"label": model._meta.verbose_name_plural, "running": running.count(),
                     "lapsed": running.filter(lapsed(now)).count(),
                     "failed": objects.filter(status=model.LEASE_FAILED_STATUS).count()})
    return rows


def last_backup() -> dict | None:
    """The newest backup's manifest.json under BACKUP_DIR ({"finished_at", "path"}), or None."""
    root = Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups"))
    newest = None
    try:
        for manifest in root.glob("**/manifest.json"):
            try:
                data = json.loads(manifest.read_text())
                finished = datetime.fromisoformat(str(data["finished_at"]).replace("Z", "+00:00"))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if timezone.is_naive(finished):
                finished = timezone.make_aware(finished)
            if newest is None or finished > newest["finished_at"]:
                newest = {"finished_at": finished, "path": str(manifest.parent)}
    except OSError:
        return None
    return newest
