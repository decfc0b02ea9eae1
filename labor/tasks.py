"""Thin tasks: load by id, call a service. Safe to deliver twice (each checks the job's status)."""

from celery import shared_task
from django.utils.translation import gettext as _

from .choices import ImportStatus
from .imports import services
from .models import ImportJob


def _failed(job_id: int):
    # A crash must not leave the progress bar spinning for ever.
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportStatus.DONE).update(
        status=ImportStatus.FAILED, error=_("The import failed unexpectedly; nothing was imported."))


@shared_task
def check_import(job_id: int) -> str:
    try:
        return services.import_check(job_id=job_id).status
    except Exception:
        _failed(job_id)
        raise


@shared_task
def apply_import(job_id: int) -> str:
    try:
        return services.import_apply(job_id=job_id).status
    except Exception:
        _failed(job_id)
        raise


@shared_task
def prune_import_files(days: int = 30) -> int:
    return services.import_files_prune(days=days)
