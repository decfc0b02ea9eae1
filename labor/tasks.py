"""Thin tasks: load by id, call a service. Safe to deliver twice: each job holds a lease (core.jobs);
a delivery that finds the job finished, failed or held does nothing, and one that finds a dead
worker's lease takes over once it lapses."""

from celery import shared_task
from django.db import DatabaseError
from django.utils.translation import gettext as _

from accounts.permissions import SYSTEM
from core import jobs

from .imports import services
from .models import ImportJob


def _failed(job_id: int):
    # A crash must not leave the progress bar spinning for ever. (If the database itself is down
    # this fails too; the lease then lapses and the sweeper records it.)
    ImportJob.objects.filter(pk=job_id, status__in=ImportJob.LEASE_STATUSES).update(
        status=ImportJob.LEASE_FAILED_STATUS, error=_("The import failed unexpectedly; nothing was imported."),
        **jobs.released())


def _run(task, service, job_id):
    try:
        job = service(actor=SYSTEM, job_id=job_id)
    except DatabaseError:
        raise  # retried (TASK_OPTIONS); the lease settles the job if the database stays away
    except Exception:
        _failed(job_id)
        raise
    jobs.retry_while_held(task, job)
    return job.status


@shared_task(**jobs.TASK_OPTIONS)
def check_import(self, job_id: int) -> str:
    return _run(self, services.import_check, job_id)


@shared_task(**jobs.TASK_OPTIONS)
def apply_import(self, job_id: int) -> str:
    return _run(self, services.import_apply, job_id)


@shared_task
def prune_import_files(days: int = 30) -> int:
    return services.import_files_prune(actor=SYSTEM, days=days)
