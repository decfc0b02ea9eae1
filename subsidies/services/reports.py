"""The Excel report of a run, for one user's scope, built in the background into a file model
whose progress the page polls (Saleor's ExportFile pattern). Write-only openpyxl: memory stays
flat however many lines the run has."""

import logging
import os
import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts import audit
from accounts.xlsx import Column, XlsxWriter
from core import jobs, queue
from labor.resident_id import mask

from .. import selectors
from ..choices import Component, Flag, LineStatus, ReportStatus, RunStatus
from ..models import SubsidyReport, SubsidyRun

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 5000
REPORT_LANGUAGE = "zh-hans"


def report_request(*, actor, run: SubsidyRun, enqueue: bool = True) -> SubsidyReport:
    """A new report of the run (asking again after a failure makes a new one). Raises
    BackgroundUnavailable, with the report marked failed and why, when the task queue is down."""
    if run.status in (RunStatus.QUEUED, RunStatus.CALCULATING, RunStatus.FAILED):
        from accounts.exceptions import Conflict

        raise Conflict(_("The run has no lines to report yet."), code="run_not_calculated")
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        report = SubsidyReport.objects.create(run=run, requested_by=actor)
        audit.record(actor, "subsidy_report.request", report, {"run": run.pk})
        if enqueue:
            from ..tasks import build_subsidy_report

            def unavailable(reason):
                SubsidyReport.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
                    status=ReportStatus.FAILED, error=reason)

            transaction.on_commit(lambda: queue.send(build_subsidy_report, report.pk, on_unavailable=unavailable))
    return report


class _LeaseLost(Exception):
    pass


def report_build(*, report_id: int) -> SubsidyReport:
    """Build a pending report (or one whose worker died) under a lease renewed with the progress;
    a delivery that finds it done, failed or held by a live worker does nothing."""
    claimable = Q(status=ReportStatus.PENDING) | (
        Q(status=ReportStatus.RUNNING, attempts__lt=jobs.MAX_ATTEMPTS) & jobs.lapsed())
    report = SubsidyReport.objects.select_related("run", "requested_by").get(pk=report_id)
    lines = selectors.line_list(user=report.requested_by).filter(run=report.run)
    token = jobs.claim(SubsidyReport.objects.filter(claimable, pk=report_id), status=ReportStatus.RUNNING,
                       error="", rows_done=0, rows_total=lines.count())
    if token is None:
        report.refresh_from_db()
        return report
    mine = SubsidyReport.objects.filter(pk=report_id, lease_token=token)

    def progress(done):
        if done % PROGRESS_EVERY == 0 and not mine.update(rows_done=done, lease_expires_at=jobs.lease_until()):
            raise _LeaseLost  # swept or taken over: stop writing a file nobody will get

    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        jobs.test_pause(lambda: SubsidyReport.objects.get(pk=report_id))
        with translation.override(REPORT_LANGUAGE):
            write_report(path, report.run, report.requested_by, on_row=progress)
        with open(path, "rb") as stream:
            report.file.save(f"subsidy-{report.run.month:%Y-%m}-run{report.run_id}-{report.pk}.xlsx", File(stream),
                             save=False)
        if not mine.update(status=ReportStatus.DONE, file=report.file.name, finished_at=timezone.now(),
                           rows_done=lines.count(), **jobs.released()):
            report.file.delete(save=False)
    except _LeaseLost:
        logger.warning("subsidy report %s: the lease was lost; stopped", report_id)
    except Exception as exc:
        logger.exception("subsidy report %s failed", report_id)
        mine.update(status=ReportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], **jobs.released())
    finally:
        os.unlink(path)
    report.refresh_from_db()
    return report


# Report wording has its own context, so no other app's translation of the same English applies.
WORDS = {
    "amount": pgettext_lazy("subsidy report", "Amount"),
    "component": pgettext_lazy("subsidy report", "Component"),
    "details": pgettext_lazy("subsidy report", "Details"),
    "flags": pgettext_lazy("subsidy report", "Flags"),
    "id_number": pgettext_lazy("subsidy report", "ID number"),
    "line": pgettext_lazy("subsidy report", "Line"),
    "lines": pgettext_lazy("subsidy report", "Lines"),
    "payable": pgettext_lazy("subsidy report", "Payable"),
    "reason": pgettext_lazy("subsidy report", "Reason"),
    "status": pgettext_lazy("subsidy report", "Status"),
    "summary": pgettext_lazy("subsidy report", "Summary"),
    "total": pgettext_lazy("subsidy report", "Total"),
    "township": pgettext_lazy("subsidy report", "Township"),
    "warnings": pgettext_lazy("subsidy report", "Warnings"),
    "withheld": pgettext_lazy("subsidy report", "Withheld"),
    "worker": pgettext_lazy("subsidy report", "Worker"),
    "workshop": pgettext_lazy("subsidy report", "Workshop"),
}


def _r(key: str) -> str:
    return str(WORDS[key])


def _labels():
    components = {c.value: str(c.label) for c in Component}
    statuses = {s.value: str(s.label) for s in LineStatus}
    flags = {f.value: str(f.label) for f in Flag}
    return components, statuses, flags


def _line_columns() -> list[Column]:
    return [Column(_r("line"), 10), Column(_r("township"), 12), Column(_r("workshop"), 24),
            Column(_r("worker"), 10), Column(_r("id_number"), 22), Column(_r("component"), 14),
            Column(_r("amount"), 14, money=True), Column(_r("status"), 10), Column(_r("flags"), 22),
            Column(_r("reason"), 60)]


def write_report(target, run: SubsidyRun, user, on_row=None) -> None:
    """Sheets 汇总 (totals by township, workshop, component), 明细 (every line) and 预警 (flagged)."""
    components, statuses, flags = _labels()
    lines = selectors.line_list(user=user).filter(run=run)
    fields = ("id", "workshop__village__township__name", "workshop__name", "worker__name", "worker__id_number",
              "component", "amount", "status", "flags", "reason")

    def detail_rows(queryset):
        for pk, township, workshop, worker, id_number, component, amount, status, line_flags, reason in (
                queryset.order_by("workshop__village__township__code", "workshop_id", "worker_id", "id")
                .values_list(*fields).iterator(chunk_size=5000)):
            yield (pk, township, workshop, worker, mask(id_number), components.get(component, component), amount,
                   statuses.get(status, status), "、".join(flags.get(f, f) for f in line_flags), reason)

    def summary_rows():
        grand = {}
        for row in selectors.totals_by_workshop(run=run, user=user):
            component = row["component"]
            total = grand.setdefault(component, [0, 0, 0, 0])
            for index, key in enumerate(("lines", "payable", "withheld", "total")):
                total[index] += row[key]
            yield (row["workshop__village__township__name"], row["workshop__name"],
                   components.get(component, component), row["lines"], row["payable"], row["withheld"], row["total"])
        for component in Component.values:
            if component in grand:
                count, payable, withheld, total = grand[component]
                yield (_r("total"), "", components[component], count, payable, withheld, total)

    with XlsxWriter(target) as writer:
        summary_columns = [Column(_r("township"), 12), Column(_r("workshop"), 26), Column(_r("component"), 14),
                           Column(_r("lines"), 8), Column(_r("payable"), 16, money=True),
                           Column(_r("withheld"), 16, money=True), Column(_r("total"), 16, money=True)]
        writer.sheet(_r("summary"), summary_columns, summary_rows())
        writer.sheet(_r("details"), _line_columns(), detail_rows(lines), on_row=on_row)
        writer.sheet(_r("warnings"), _line_columns(), detail_rows(lines.exclude(flags=[])))
