"""Background-job leases: every job that a worker runs (a subsidy calculation, a report, an import
check or apply, an export) holds a lease while it runs. The lease is a claim token and an expiry
renewed as the job progresses. A job whose worker died stops renewing; the sweeper
(core.sweeper) then turns it into `failed` with a reason the user reads, and the user retries.

Liveness on PostgreSQL is the lease *or* a row lock: a job that writes inside one transaction
holds its row `FOR UPDATE` for that transaction, and claim and sweep skip locked rows, so a long
transaction is never swept from under a live worker even if it outlives its lease."""

import os
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A job whose worker dies this many times in a row is not taken over again; the sweeper fails it.
MAX_ATTEMPTS = 3
DEFAULT_LEASE_SECONDS = 120


class LeasedJob(models.Model):
    """Mixin for a job model. A subclass names the statuses in which a worker holds the job
    (`LEASE_STATUSES`), the status a lapsed lease ends in and the field its reason goes to."""

    lease_token = models.CharField(_("lease token"), max_length=32, blank=True, default="", editable=False)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)

    LEASE_STATUSES: tuple = ()
    LEASE_FAILED_STATUS = "failed"
    LEASE_ERROR_FIELD = "error"

    class Meta:
        abstract = True

    @property
    def lease_expired(self) -> bool:
        return self.lease_expires_at is not None and self.lease_expires_at < timezone.now()


def lease_seconds() -> int:
    return int(getattr(settings, "JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def lease_until():
    return timezone.now() + timedelta(seconds=lease_seconds())


def lapsed(now=None) -> Q:
    """The lease ran out (or a job has a status that needs one but none was ever written)."""
    return Q(lease_expires_at__lt=now or timezone.now())


def claim(queryset, *, status: str, **changes) -> str | None:
    """Take the one job `queryset` selects, unless a live transaction holds it: set `status`, a new
    token and lease, count the attempt. Returns the token, or None when there was nothing to take."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        pk = queryset.select_for_update(skip_locked=True).values_list("pk", flat=True).first()
        if pk is None:
            return None
        queryset.model.objects.filter(pk=pk).update(status=status, lease_token=token, lease_expires_at=lease_until(),
                                                    attempts=F("attempts") + 1, **changes)
    return token


def renew(model, pk, token: str) -> bool:
    """Push the lease on; False when the job is no longer ours (swept or taken over)."""
    return model.objects.filter(pk=pk, lease_token=token).update(lease_expires_at=lease_until()) > 0


def locked_if_ours(model, pk, token: str):
    """Inside a transaction: the job's row locked until commit, or None if the token is not ours
    any more. The row lock is what keeps the sweeper and a takeover off a live job."""
    return model.objects.select_for_update().filter(pk=pk, lease_token=token).first()


def released() -> dict:
    """Fields to write with a job's final status."""
    return {"lease_token": "", "lease_expires_at": None}


def leased_models() -> list[type[LeasedJob]]:
    """Every installed concrete job model: core knows them without importing any app."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, LeasedJob) and not m._meta.abstract]


def test_pause(job) -> None:
    """Tests only: a worker started with WANYUAN_TEST_JOB_PAUSE=<seconds> sleeps that long on a
    job's first attempt, so a test can kill it mid-job. Unset (always, outside tests) it does nothing.
    `job` is the job, or a callable that loads it (only called when the pause is set)."""
    seconds = float(os.environ.get("WANYUAN_TEST_JOB_PAUSE") or 0)
    if not seconds:
        return
    job = job() if callable(job) else job
    if job.attempts <= 1:
        time.sleep(seconds)


# Celery options for a job's task: the database went away mid-job, so try again later; the lease
# (or the sweeper) settles the job either way.
def _database_errors():
    from django.db import DatabaseError

    return (DatabaseError,)


TASK_OPTIONS = {"bind": True, "autoretry_for": _database_errors(), "retry_backoff": 15, "retry_backoff_max": 120,
                "max_retries": 8}


def retry_while_held(task, job) -> None:
    """Called by a job's task after its service returned. If another delivery holds (or held) the
    job, come back when its lease lapses: a job whose worker was killed is then taken over (at most
    MAX_ATTEMPTS times) instead of waiting for the sweeper. Otherwise return."""
    if task.request.is_eager or job.status not in job.LEASE_STATUSES or job.lease_expires_at is None:
        return
    if job.attempts >= MAX_ATTEMPTS:
        return
    remaining = (job.lease_expires_at - timezone.now()).total_seconds()
    countdown = remaining + 2 if remaining > 0 else lease_seconds()  # lapsed yet held: a live transaction
    raise task.retry(countdown=min(countdown, lease_seconds() + 2), max_retries=2 * MAX_ATTEMPTS)
