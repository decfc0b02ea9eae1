"""The import workflow: upload → check (preview) → import every valid row, or nothing.

Small files are checked at once; larger ones by a Celery task that reports progress. Confirming
checks the file again against the database as it is then, and writes in one transaction."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict

from ..choices import ImportKind, ImportStatus
from ..models import ImportJob
from . import payroll, placements, workers
from .columns import header_index
from .reader import ImportRefused, check_upload, read_table

KINDS = {ImportKind.WORKERS: workers, ImportKind.PLACEMENTS: placements, ImportKind.PAYROLL: payroll}
MAX_PROBLEMS_KEPT = 2000
# Files above this size are checked and imported by the worker, with a progress bar.
BACKGROUND_BYTES = 512 * 1024


def import_upload(*, actor, kind: str, upload) -> ImportJob:
    """Store the file and check it (now, or in the background for a large file). A refused file
    raises ValidationError on `file` and stores nothing."""
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Choose what the file holds.")]})
    try:
        check_upload(upload.name, upload.size)
    except ImportRefused as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    job = ImportJob.objects.create(kind=kind, file=upload, filename=upload.name[:200], created_by=actor)
    audit.record(actor, "import.upload", job, {"kind": kind, "filename": job.filename, "bytes": upload.size})
    if upload.size > BACKGROUND_BYTES:
        from ..tasks import check_import

        transaction.on_commit(lambda: check_import.delay(job.pk))
    else:
        import_check(job_id=job.pk)
    return job


def _rows(job: ImportJob, on_progress=None):
    with job.file.open("rb") as handle:
        header, data = read_table(handle, job.filename, on_progress=on_progress)
    index, missing = header_index(job.kind, header)
    if missing:
        raise ImportRefused(_("Columns missing from the header row: %(columns)s. Download the template to see "
                              "them.") % {"columns": "、".join(missing)})
    return [(number, {key: (values[i] if i < len(values) else None) for key, i in index.items()})
            for number, values in data]


def _check(job: ImportJob, on_progress=None):
    rows = _rows(job, on_progress)
    return KINDS[job.kind].check(job.created_by, rows)


def _progress(job_id):
    def report(count):
        ImportJob.objects.filter(pk=job_id).update(processed_rows=count)
    return report


def import_check(*, job_id: int) -> ImportJob:
    """Read and check the whole file; the report lists every problem by row and column."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.VALIDATING:
        return job  # delivered twice
    with translation.override(settings.LANGUAGE_CODE):
        try:
            checked = _check(job, _progress(job.pk))
        except ImportRefused as exc:
            job.status, job.error = ImportStatus.FAILED, str(exc)
            job.save(update_fields=["status", "error"])
            return job
    job.total_rows = job.processed_rows = checked.total
    job.valid_rows = len(checked.records)
    job.problems = sorted(checked.problems, key=lambda p: p["row"])[:MAX_PROBLEMS_KEPT]
    job.status = ImportStatus.PREVIEW
    job.save(update_fields=["total_rows", "processed_rows", "valid_rows", "problems", "status"])
    return job


def import_confirm(*, actor, job: ImportJob, import_rows: str) -> ImportJob:
    """`import_rows="valid"`: import every valid row; `"nothing"`: import nothing."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.IMPORTING if import_rows == "valid" else ImportStatus.DISCARDED)
    if not updated:
        raise Conflict(_("This import is not waiting for a decision."), code="import_not_in_preview")
    audit.record(actor, "import.confirm", job, {"import_rows": import_rows})
    if import_rows != "valid":
        return ImportJob.objects.get(pk=job.pk)
    if job.file.size > BACKGROUND_BYTES:
        from ..tasks import apply_import

        transaction.on_commit(lambda: apply_import.delay(job.pk))
        return ImportJob.objects.get(pk=job.pk)
    return import_apply(job_id=job.pk)


def import_apply(*, job_id: int) -> ImportJob:
    """Check again against today's data and write every valid row in one transaction."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return job
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                checked = _check(job)
                created, changed = KINDS[job.kind].apply(job.created_by, checked)
                audit.record(job.created_by, f"import.{job.kind}", job,
                             {"created": created, "updated": changed, "skipped_rows": len(checked.bad_rows)})
        except ImportRefused as exc:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, error=str(exc))
            return ImportJob.objects.get(pk=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, created_count=created, updated_count=changed, valid_rows=len(checked.records),
        problems=sorted(checked.problems, key=lambda p: p["row"])[:MAX_PROBLEMS_KEPT], processed_rows=checked.total)
    return ImportJob.objects.get(pk=job.pk)


FINISHED = (ImportStatus.DONE, ImportStatus.DISCARDED, ImportStatus.FAILED)


def import_files_prune(*, days: int) -> int:
    """Delete the uploaded files (names, ID numbers, phones) of imports finished more than `days` ago;
    the job and its report stay. A file still waiting for a decision is kept. Returns how many went."""
    cutoff = timezone.now() - timedelta(days=days)
    jobs = ImportJob.objects.filter(status__in=FINISHED, created_at__lt=cutoff).exclude(file="")
    pruned = 0
    for job in jobs.only("pk", "file").iterator():
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        pruned += 1
    return pruned
