"""The import workflow: upload → check (preview) → import every valid row, or nothing.

Every file is checked by a Celery task that reports progress (never inside the request: a small
file can unpack into a large one); confirming queues the import, which checks the file again against
the database as it is then and writes in one transaction. Whatever happens the job ends visibly: a
refused file or an unexpected error is `failed` with its reason, and a job left waiting by a lost
message or a dead worker can be checked again from its page."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict
from accounts.permissions import require
from core import jobs, queue

from ..choices import ImportKind, ImportStatus
from ..models import ImportJob
from . import payroll, placements, workers
from .columns import column_header, header_index
from .reader import BadCell, ImportRefused, check_upload, read_table

logger = logging.getLogger(__name__)

KINDS = {ImportKind.WORKERS: workers, ImportKind.PLACEMENTS: placements, ImportKind.PAYROLL: payroll}
# An import writes what the service of its kind writes: the uploader needs that service's permission too.
WRITE_PERMISSION = {ImportKind.WORKERS: "labor.worker.write", ImportKind.PLACEMENTS: "labor.placement.write",
                    ImportKind.PAYROLL: "labor.payroll.write"}
MAX_PROBLEMS_KEPT = 2000
# A job still waiting for a worker this long after it was queued (the message was lost) may be
# checked again from its page; one whose worker's lease lapsed may be at once.
UNCLAIMED_STALE_AFTER = timedelta(minutes=10)


def import_upload(*, actor, kind: str, upload) -> ImportJob:
    """Store the file and check it (now, or in the background for a large file). A refused file
    raises ValidationError on `file` and stores nothing."""
    require(actor, "labor.import.use")
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Choose what the file holds.")]})
    require(actor, WRITE_PERMISSION[kind])
    try:
        check_upload(upload.name, upload.size)
    except ImportRefused as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    job = ImportJob.objects.create(kind=kind, file=upload, filename=upload.name[:200], created_by=actor)
    audit.record(actor, "import.upload", job, {"kind": [None, kind], "filename": [None, job.filename],
                                               "bytes": [None, upload.size]})
    _check_later(job)
    return job


def _check_later(job: ImportJob) -> None:
    from ..tasks import check_import

    transaction.on_commit(lambda: queue.send(check_import, job.pk, on_unavailable=_unavailable(job.pk)))


def _unavailable(job_id):
    def record(reason):
        ImportJob.objects.filter(pk=job_id, status__in=ImportJob.LEASE_STATUSES).update(
            status=ImportStatus.FAILED, error=reason, **jobs.released())
    return record


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
    """The kind's check of the usable rows; a row with an unusable cell (NUL, over-long) is a problem
    of its own and goes no further."""
    good, bad = [], []
    for number, cells in _rows(job, on_progress):
        broken = [(key, value) for key, value in cells.items() if isinstance(value, BadCell)]
        (bad if broken else good).append((number, broken or cells))
    checked = KINDS[job.kind].check(job.created_by, good)
    checked.total += len(bad)
    for number, broken in bad:
        for key, cell in broken:
            checked.problem(number, column_header(job.kind, key), cell.message)
    return checked


class _LeaseLost(Exception):
    pass


def _progress(job_id, token):
    def report(count):
        # Each progress step renews the lease; a job swept or taken over meanwhile stops here.
        if not ImportJob.objects.filter(pk=job_id, lease_token=token).update(
                processed_rows=count, lease_expires_at=jobs.lease_until()):
            raise _LeaseLost
    return report


def _claimable(status) -> Q:
    # Not yet started by any worker, or started by one that died (lease lapsed) not too often.
    return Q(status=status) & (Q(lease_token="") | (Q(attempts__lt=jobs.MAX_ATTEMPTS) & jobs.lapsed()))


def import_check(*, actor, job_id: int) -> ImportJob:
    """Read and check the whole file; the report lists every problem by row and column. Run by the
    background task (`actor`: SYSTEM); the rows are checked against the uploader's area."""
    require(actor, "labor.import.use")
    checked_at = timezone.now()  # before reading: a row written during the check counts as changed
    token = jobs.claim(ImportJob.objects.filter(_claimable(ImportStatus.VALIDATING), pk=job_id),
                       status=ImportStatus.VALIDATING)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if token is None:
        return job  # delivered twice, or being checked by a live worker
    mine = ImportJob.objects.filter(pk=job_id, lease_token=token)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            jobs.test_pause(job)
            checked = _check(job, _progress(job.pk, token))
        except ImportRefused as exc:
            mine.update(status=ImportStatus.FAILED, error=str(exc), **jobs.released())
            return ImportJob.objects.get(pk=job_id)
        except _LeaseLost:
            return ImportJob.objects.get(pk=job_id)
        except Exception as exc:
            if _retry_later(exc):
                raise
            # A bug or a file we did not foresee: the job says so instead of spinning for ever.
            logger.exception("import %s: the check failed", job_id)
            mine.update(status=ImportStatus.FAILED, error=unexpected_reason(), **jobs.released())
            return ImportJob.objects.get(pk=job_id)
    mine.update(total_rows=checked.total, processed_rows=checked.total, valid_rows=len(checked.records),
                problems=sorted(checked.problems, key=lambda p: p["row"])[:MAX_PROBLEMS_KEPT],
                updates=sorted(checked.updates, key=lambda u: u["row"]),
                status=ImportStatus.PREVIEW, checked_at=checked_at, **jobs.released())
    return ImportJob.objects.get(pk=job_id)


def import_confirm(*, actor, job: ImportJob, import_rows: str, confirm_category: bool = False) -> ImportJob:
    """`import_rows="valid"`: import every valid row; `"nothing"`: import nothing. A file that changes the
    category of workers already registered (a category decides subsidies) is imported only with
    `confirm_category` (the page's tick), else refused with a ValidationError on that field."""
    require(actor, "labor.import.use")
    category_changes = workers.changes_category(job.updates) if job.kind == ImportKind.WORKERS else 0
    if import_rows == "valid" and category_changes and not confirm_category:
        raise ValidationError({"confirm_category": [
            _("This file changes the category of %(count)s registered workers, which decides their subsidies: "
              "tick the box to confirm these changes, then import.") % {"count": category_changes}]})
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.IMPORTING if import_rows == "valid" else ImportStatus.DISCARDED)
    if not updated:
        raise Conflict(_("This import is not waiting for a decision."), code="import_not_in_preview")
    audit.record(actor, "import.confirm", job, {
        "status": [ImportStatus.PREVIEW, ImportStatus.IMPORTING if import_rows == "valid" else ImportStatus.DISCARDED],
        "import_rows": [None, import_rows],
        **({"confirm_category": [None, bool(confirm_category)]} if category_changes else {})})
    if import_rows != "valid":
        return ImportJob.objects.get(pk=job.pk)
    from ..tasks import apply_import

    transaction.on_commit(lambda: queue.send(apply_import, job.pk, on_unavailable=_unavailable(job.pk)))
    return ImportJob.objects.get(pk=job.pk)


class _ChangedSinceCheck(Exception):
    def __init__(self, rows):
        super().__init__(rows)
        self.rows = rows


def import_apply(*, actor, job_id: int) -> ImportJob:
    """Check again against today's data and write every valid row in one transaction, holding the
    job's row lock. Never backwards: if a row the file would write was changed by anyone after the
    file was checked (a newer import, an edit), nothing is written and the job fails naming the rows.
    Run by the background task (`actor`: SYSTEM); the rows are written, and audited one event per
    record, as the uploader, who must hold the write permission of the kind."""
    require(actor, "labor.import.use")
    token = jobs.claim(ImportJob.objects.filter(_claimable(ImportStatus.IMPORTING), pk=job_id),
                       status=ImportStatus.IMPORTING)
    if token is None:
        return ImportJob.objects.get(pk=job_id)  # done, failed, or being applied by a live worker
    mine = ImportJob.objects.filter(pk=job_id, lease_token=token)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                job = jobs.locked_if_ours(ImportJob, job_id, token)
                if job is None:
                    return ImportJob.objects.get(pk=job_id)
                jobs.test_pause(job)
                checked = _check(job)
                kind = KINDS[job.kind]
                require(job.created_by, WRITE_PERMISSION[job.kind])
                if job.checked_at is not None:
                    changed_rows = kind.changed_since(checked, job.checked_at)
                    if changed_rows:
                        raise _ChangedSinceCheck(changed_rows)
                created, changed = kind.apply(job.created_by, checked)
                audit.record(job.created_by, f"import.{job.kind}", job, {
                    "status": [ImportStatus.IMPORTING, ImportStatus.DONE], "created_count": [0, created],
                    "updated_count": [0, changed], "skipped_rows": [None, len(checked.bad_rows)]})
                mine.update(status=ImportStatus.DONE, created_count=created, updated_count=changed,
                            valid_rows=len(checked.records), processed_rows=checked.total,
                            problems=sorted(checked.problems, key=lambda p: p["row"])[:MAX_PROBLEMS_KEPT],
                            **jobs.released())
        except ImportRefused as exc:
            mine.update(status=ImportStatus.FAILED, error=str(exc), **jobs.released())
        except PermissionDenied as exc:
            # The uploader lost the permission to write this kind since uploading: nothing was written.
            mine.update(status=ImportStatus.FAILED, error=str(exc), **jobs.released())
        except _ChangedSinceCheck as exc:
            mine.update(status=ImportStatus.FAILED, error=_changed_message(exc.rows),
                        problems=_changed_problems(exc.rows), **jobs.released())
        except Exception as exc:
            if _retry_later(exc):
                raise
            # The transaction rolled back: nothing was written. (A lost database connection is an
            # OperationalError, not caught here: the task retries and the lease settles the job.)
            logger.exception("import %s: the import failed", job_id)
            mine.update(status=ImportStatus.FAILED, error=unexpected_reason(), **jobs.released())
    return ImportJob.objects.get(pk=job_id)


def _retry_later(exc: Exception) -> bool:
    """The database went away (not: it refused a value): the task retries, the lease settles it."""
    return isinstance(exc, DatabaseError) and not isinstance(exc, (DataError, IntegrityError))


def unexpected_reason() -> str:
    return _("The file could not be processed (an unexpected error, recorded for the administrator); nothing "
             "was imported. Check the file for unusual content, or upload it again.")


def _changed_message(rows) -> str:
    shown = "、".join(str(r) for r in rows[:20]) + ("…" if len(rows) > 20 else "")
    return _("Nothing was imported: %(count)s rows were changed by someone else after this file was checked "
             "(rows %(rows)s), and importing it would overwrite the newer data. Check the file again (retry) to "
             "see it against the data as it is now.") % {"count": len(rows), "rows": shown}


def _changed_problems(rows) -> list[dict]:
    message = _("Changed after this file was checked; not overwritten.")
    return [{"row": row, "column": "", "message": message} for row in rows[:MAX_PROBLEMS_KEPT]]


def retryable() -> Q:
    """Failed, or stuck: checking or importing with a lapsed lease (its worker died), or queued long
    ago and never taken by any worker (the message was lost)."""
    stuck = Q(status__in=ImportJob.LEASE_STATUSES) & (
        jobs.lapsed() | Q(lease_token="", created_at__lt=timezone.now() - UNCLAIMED_STALE_AFTER))
    return Q(status=ImportStatus.FAILED) | stuck


def is_retryable(job: ImportJob) -> bool:
    return ImportJob.objects.filter(retryable(), pk=job.pk).exists()


def import_retry(*, actor, job: ImportJob) -> ImportJob:
    """A failed or stuck import is checked again from its file, against the data as it is now; the
    user then decides again. Refused when the file has been deleted (upload it again)."""
    require(actor, "labor.import.use")
    if not is_retryable(job):
        raise Conflict(_("Only a failed import is retried."), code="import_not_failed")
    if not job.file or not job.file.storage.exists(job.file.name):
        raise Conflict(_("The uploaded file is no longer kept; upload it again."), code="import_file_gone")
    # Clearing the token also disowns a worker that might still wake up: its writes match no row.
    restarted = ImportJob.objects.filter(retryable(), pk=job.pk).update(
        status=ImportStatus.VALIDATING, error="", problems=[], updates=[], total_rows=0, valid_rows=0,
        processed_rows=0, created_count=0, updated_count=0, checked_at=None, **jobs.released())
    if not restarted:
        raise Conflict(_("Only a failed import is retried."), code="import_not_failed")
    audit.record(actor, "import.retry", job, {"status": [job.status, ImportStatus.VALIDATING]})
    _check_later(job)
    return ImportJob.objects.get(pk=job.pk)


FINISHED = (ImportStatus.DONE, ImportStatus.DISCARDED, ImportStatus.FAILED)


def import_files_prune(*, actor, days: int) -> int:
    """Delete the uploaded files (names, ID numbers, phones) of imports finished more than `days` ago;
    the job and its report stay. A file still waiting for a decision is kept. Returns how many went.
    A beat task (`actor`: SYSTEM); each file deleted is audited."""
    require(actor, "labor.import.prune")
    cutoff = timezone.now() - timedelta(days=days)
    jobs = ImportJob.objects.filter(status__in=FINISHED, created_at__lt=cutoff).exclude(file="")
    pruned = 0
    for job in jobs.only("pk", "file").iterator():
        name = job.file.name
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        audit.record(actor, "import.file_prune", job, {"file": [name, ""]})
        pruned += 1
    return pruned
