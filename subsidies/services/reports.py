"""The Excel report of a run, for one user's scope, built in the background on core's one export path:
`report_start` records a core Download (listed in 我的下载, its progress on its page, kept 7 days) and
the worker calls `write_report_download`, which reads as the download's owner. Write-only openpyxl:
memory stays flat however many lines the run has.

`report_request` / `report_build` and the SubsidyReport model are the earlier path: no page or API
starts one any more; reports already made keep their status page and file."""

import logging
import os
import tempfile
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts import audit
from accounts.permissions import require
from accounts.xlsx import YUAN_FORMAT, Column, XlsxWriter, plain_value
from core import jobs, queue
from labor.resident_id import mask

from .. import selectors
from ..choices import Component, Flag, LineStatus, ReportStatus, RunStatus
from ..models import SubsidyReport, SubsidyRun
from ..notices import direct_payment_label

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 5000
REPORT_LANGUAGE = "zh-hans"


REPORT_PAGE = "subsidy-run-detail"  # the page a report is asked from: the Download's "back to the list"
NOT_CALCULATED = (RunStatus.QUEUED, RunStatus.CALCULATING, RunStatus.FAILED)


def _check_reportable(actor, run: SubsidyRun) -> None:
    require(actor, "subsidies.report.request")
    if run.status in NOT_CALCULATED:
        from accounts.exceptions import Conflict

        raise Conflict(_("The run has no lines to report yet."), code="run_not_calculated")


def report_title(run: SubsidyRun) -> str:
    return str(_r("title") % {"month": run.month_label})


def report_filename(download) -> str:
    return f"subsidy-report-run{(download.list_kwargs or {}).get('pk')}"


def report_start(*, actor, run: SubsidyRun, enqueue: bool = True):
    """A Download of the run's report for `actor` (what they may see of it), queued on commit. Raises
    Conflict for a run without lines, BackgroundUnavailable (the download failed with why) when the
    task queue is down."""
    from core import exports

    _check_reportable(actor, run)
    return exports.request_download(owner=actor, title=report_title(run), list_name=REPORT_PAGE,
                                    list_kwargs={"pk": run.pk}, enqueue=enqueue)


def write_report_download(*, download, path, progress) -> int:
    """The worker's side (core.exports.Paper): the report for the download's owner; returns the lines."""
    user = download.owner
    run = selectors.run_get(user=user, pk=(download.list_kwargs or {})["pk"])
    _check_reportable(user, run)
    total = selectors.line_list(user=user).filter(run=run).count()
    progress(0, total=total)
    with translation.override(REPORT_LANGUAGE):
        write_report(path, run, user, on_row=progress)
    return total


def report_request(*, actor, run: SubsidyRun, enqueue: bool = True) -> SubsidyReport:
    """A new report of the run (asking again after a failure makes a new one). Raises
    BackgroundUnavailable, with the report marked failed and why, when the task queue is down."""
    require(actor, "subsidies.report.request")
    if run.status in (RunStatus.QUEUED, RunStatus.CALCULATING, RunStatus.FAILED):
        from accounts.exceptions import Conflict

        raise Conflict(_("The run has no lines to report yet."), code="run_not_calculated")
    with transaction.atomic():
        report = SubsidyReport.objects.create(run=run, requested_by=actor)
        audit.record(actor, "subsidy_report.request", report, {"run": [None, run.pk],
                                                               "status": [None, report.status]})
        if enqueue:
            from ..tasks import build_subsidy_report

            def unavailable(reason):
                SubsidyReport.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
                    status=ReportStatus.FAILED, error=reason)

            transaction.on_commit(lambda: queue.send(build_subsidy_report, report.pk, on_unavailable=unavailable))
    return report


class _LeaseLost(Exception):
    pass


def report_build(*, actor, report_id: int) -> SubsidyReport:
    """Build a pending report (or one whose worker died) under a lease renewed with the progress;
    a delivery that finds it done, failed or held by a live worker does nothing. `actor`: SYSTEM
    from the task; the report holds what its requester may see."""
    require(actor, "subsidies.report.request")
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
    "approved": pgettext_lazy("subsidy report", "Approved by"),
    "component": pgettext_lazy("subsidy report", "Component"),
    "details": pgettext_lazy("subsidy report", "Details"),
    "flags": pgettext_lazy("subsidy report", "Flags"),
    "grand_total": pgettext_lazy("subsidy report", "Grand total"),
    "id_number": pgettext_lazy("subsidy report", "ID number"),
    "kind": pgettext_lazy("subsidy report", "Kind"),
    "line": pgettext_lazy("subsidy report", "Line"),
    "lines": pgettext_lazy("subsidy report", "Lines"),
    "month": pgettext_lazy("subsidy report", "Month"),
    "payable": pgettext_lazy("subsidy report", "Payable"),
    "policy": pgettext_lazy("subsidy report", "Policy"),
    "reason": pgettext_lazy("subsidy report", "Reason"),
    "run_status": pgettext_lazy("subsidy report", "Run status"),
    "status": pgettext_lazy("subsidy report", "Status"),
    "submitted": pgettext_lazy("subsidy report", "Submitted by"),
    "summary": pgettext_lazy("subsidy report", "Summary"),
    "title": pgettext_lazy("subsidy report", "Employment-assistance subsidies of %(month)s"),
    "total": pgettext_lazy("subsidy report", "Total"),
    "township": pgettext_lazy("subsidy report", "Township"),
    "voucher": pgettext_lazy("subsidy report", "Voucher"),
    "warnings": pgettext_lazy("subsidy report", "Warnings"),
    "withheld": pgettext_lazy("subsidy report", "Withheld"),
    "worker": pgettext_lazy("subsidy report", "Worker"),
    "workshop": pgettext_lazy("subsidy report", "Workshop"),
}
CENT = Decimal("0.01")


def _r(key: str) -> str:
    return str(WORDS[key])


def _money(value) -> Decimal:
    """Exact to the fen whatever the database summed with (SQLite sums in floating point): the cell
    holds the Decimal, so Excel and openpyxl read back 91929.6, never 91929.5999999998."""
    return Decimal(value or 0).quantize(CENT)


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


def _print_setup(sheet, header_row: int) -> None:
    """A4 landscape, the header row repeated on every page, all columns on one page's width."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _who(user, when) -> str:
    if user is None:
        return ""
    return f"{user.get_full_name() or user.username} · {timezone.localtime(when):%Y-%m-%d %H:%M}" if when else str(
        user)


def _title_block(run: SubsidyRun) -> list[tuple[str, str]]:
    voucher = f"{run.voucher} · {run.paid_on:%Y-%m-%d}" if run.voucher and run.paid_on else run.voucher
    return [(_r("month"), run.month_label), (_r("kind"), run.get_kind_display()),
            (_r("run_status"), run.get_status_display()), (_r("policy"), str(run.policy)),
            (_r("submitted"), _who(run.submitted_by, run.submitted_at)),
            (_r("approved"), _who(run.approved_by, run.approved_at)), (_r("voucher"), voucher or "")]


def _summary_sheet(workbook, run: SubsidyRun, user, components: dict) -> None:
    """汇总: the run's title block, then totals by township, workshop and component, a total per
    component and a grand total; print-ready."""
    columns = [Column(_r("township"), 12), Column(_r("workshop"), 26), Column(_r("component"), 14),
               Column(_r("lines"), 8), Column(_r("payable"), 16, money=True), Column(_r("withheld"), 16, money=True),
               Column(_r("total"), 16, money=True)]
    sheet = workbook.create_sheet(title=_r("summary")[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    block = _title_block(run)
    header_row = len(block) + 3  # title, the block, a blank row, then the header
    sheet.freeze_panes = f"A{header_row + 1}"
    _print_setup(sheet, header_row)

    def cell(value, bold=False, money=False):
        item = WriteOnlyCell(sheet, value=value)
        if bold:
            item.font = Font(bold=True)
        if money:
            item.number_format = YUAN_FORMAT
        return item

    sheet.append([cell(_r("title") % {"month": run.month_label}, bold=True)])
    for label, value in block:
        sheet.append([cell(label, bold=True), plain_value(value)])
    sheet.append([])
    sheet.append([cell(column.header, bold=True) for column in columns])
    grand, count = {}, 0
    for row in selectors.totals_by_workshop(run=run, user=user):
        component = row["component"]
        sums = (row["lines"], _money(row["payable"]), _money(row["withheld"]), _money(row["total"]))
        totals = grand.setdefault(component, [0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")])
        for index, value in enumerate(sums):
            totals[index] += value
        workshop = row["workshop__name"] if row["workshop_id"] is not None else direct_payment_label()
        sheet.append([plain_value(row["township__name"]), plain_value(workshop),
                      components.get(component, component), sums[0], *(cell(v, money=True) for v in sums[1:])])
        count += 1
    everything = [0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")]
    for component in Component.values:
        if component in grand:
            totals = grand[component]
            sheet.append([cell(_r("total"), bold=True), "", components[component], totals[0],
                          *(cell(v, bold=True, money=True) for v in totals[1:])])
            everything = [a + b for a, b in zip(everything, totals, strict=True)]
            count += 1
    sheet.append([cell(_r("grand_total"), bold=True), "", "", everything[0],
                  *(cell(v, bold=True, money=True) for v in everything[1:])])
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + count}"


def write_report(target, run: SubsidyRun, user, on_row=None) -> None:
    """Sheets 汇总 (title block, totals by township, workshop and component, grand total), 明细 (every
    line) and 预警 (flagged). Every amount is a Decimal to the fen in a yuan-formatted number cell."""
    components, statuses, flags = _labels()
    lines = selectors.line_list(user=user).filter(run=run)
    fields = ("id", "township__name", "workshop__name", "worker__name", "worker__id_number",
              "component", "amount", "status", "flags", "reason", "enterprise__name", "enterprise__credit_code")
    direct = direct_payment_label()

    def detail_rows(queryset):
        for (pk, township, workshop, worker, id_number, component, amount, status, line_flags, reason, firm,
             credit_code) in (queryset.order_by("township__code", "workshop_id", "worker_id", "id")
                              .values_list(*fields).iterator(chunk_size=5000)):
            # A line without a workshop is paid directly; a firm's loan names the firm and its credit code.
            workshop = workshop if workshop is not None else direct
            worker, id_number = (worker, mask(id_number)) if worker is not None else (firm or "", credit_code or "")
            yield (pk, township, workshop, worker, id_number, components.get(component, component),
                   _money(amount), statuses.get(status, status), "、".join(flags.get(f, f) for f in line_flags),
                   reason)

    with XlsxWriter(target) as writer:
        _summary_sheet(writer.workbook, run, user, components)
        for title, queryset, progress in ((_r("details"), lines, on_row),
                                          (_r("warnings"), lines.exclude(flags=[]), None)):
            writer.sheet(title, _line_columns(), detail_rows(queryset), on_row=progress)
            _print_setup(writer.workbook.worksheets[-1], 1)
