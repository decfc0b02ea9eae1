"""Reads for the printable papers of a run: the public notice (公示) of a township (or a village of it)
and the payment sheets (发放表) per workshop with their township summary. Every read goes through the
scoped lines (subsidies.selectors.line_list), so an officer prints only their township; each paper is one
grouped query whatever its length.

Their Excel files go through the one export path (core.exports): the pages start a Download and the
worker calls the writers registered here (`PAPERS`), which read again as the download's owner.

Working days are Monday to Friday; there is no holiday calendar."""

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from accounts.scoping import scoped
from accounts.xlsx import Column, XlsxWriter
from labor.resident_id import mask
from regions.models import Township, Village

from . import selectors
from .choices import TIER_COMPONENTS, Component, LineStatus, RunStatus
from .models import RunNotice, SubsidyRun

ZERO = Decimal("0.00")
NOTICE_WORKING_DAYS = 5
NOTICE_STATUSES = (RunStatus.SUBMITTED, RunStatus.APPROVED, RunStatus.PAID)
SHEET_STATUSES = (RunStatus.APPROVED, RunStatus.PAID)


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of `days` working days (Monday–Friday) beginning on `start`
    (a weekend start begins on the next Monday)."""
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    counted = 1
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def notice_period(start: date) -> tuple[date, date]:
    end = add_working_days(start, NOTICE_WORKING_DAYS)
    return start, end


def township_for(*, user, code: str) -> Township:
    """A township in `user`'s scope, else 404."""
    return get_object_or_404(scoped(Township.objects.all(), user), code=code)


def village_for(*, township: Township, pk) -> Village:
    return get_object_or_404(Village.objects.filter(township=township), pk=pk)


def townships_of_run(*, run: SubsidyRun, user) -> list[Township]:
    """The townships with payable lines of `run` in `user`'s scope (one query)."""
    ids = (selectors.line_list(user=user).filter(run=run, status=LineStatus.PAYABLE).order_by()
           .values("township"))
    return list(Township.objects.filter(pk__in=ids).order_by("code"))


def noticeable_run(*, user, pk, statuses) -> SubsidyRun:
    """The run in `user`'s scope, when its status has these papers; else 404."""
    run = selectors.run_get(user=user, pk=pk)
    if run.status not in statuses:
        raise Http404
    return run


@dataclass
class NoticeChoice:
    """What a printed notice shows beyond its rows: the place, the period and where objections go."""

    village: Village | None
    posted: RunNotice | None
    start: date
    end: date
    office: str
    phone: str


def notice_choice(*, run: SubsidyRun, township: Township, data: dict) -> NoticeChoice:
    """From the officer's choices (a valid NoticeForm's data, possibly empty) and the recorded notice:
    the village, the period (from `start`, else the day it was posted, else today) and the office."""
    village = village_for(township=township, pk=data["village"]) if data.get("village") else None
    posted = notices_of(run).filter(township=township, village=village).first()
    start = data.get("start") or (posted.posted_on if posted else timezone.localdate())
    start, end = notice_period(start)
    office = data.get("office") or (posted.office if posted else "") or township.name
    phone = data.get("phone") or (posted.phone if posted else "")
    return NoticeChoice(village, posted, start, end, office, phone)


def notice_form_data(query) -> tuple:
    """(form, cleaned data or {}) of a notice page's query parameters."""
    from .forms import NoticeForm

    form = NoticeForm(query)
    form.is_valid()
    return form, (form.cleaned_data if form.is_bound and not form.errors else {})


def _payable(run, user, township, village=None):
    lines = selectors.line_list(user=user).filter(run=run, status=LineStatus.PAYABLE,
                                                  township=township)
    if village is not None:
        lines = lines.filter(worker__village=village)
    return lines.order_by()


@dataclass
class NoticeRow:
    workshop: str  # blank for a line without a workshop (a loan, a start-up award, a transport subsidy)
    name: str
    id_number: str  # always masked: a notice is posted in public
    component: str
    amount: Decimal


def direct_payment_label() -> str:
    """Where lines without a workshop are listed: paid by the township to the person (or the firm)."""
    return _("Paid directly (no workshop)")


def _payee(row: dict, full: bool) -> tuple[object, str, str]:
    """(key, name, number) of whom a line pays: its worker, else the borrowing firm (credit code)."""
    if row["worker_id"] is not None:
        number = row["worker__id_number"]
        return row["worker_id"], row["worker__name"], number if full else mask(number)
    return f"enterprise-{row['enterprise_id']}", row["enterprise__name"] or "", row["enterprise__credit_code"] or ""


PAYEE_FIELDS = ("worker_id", "worker__name", "worker__id_number", "enterprise_id", "enterprise__name",
                "enterprise__credit_code")


def notice_rows(*, run: SubsidyRun, user, township: Township, village: Village | None = None) -> list[NoticeRow]:
    """One row per payee, workshop and component of the payable lines of the township (one query); the
    lines without a workshop (issue 16's components) come after the workshops', their workshop blank."""
    labels = dict(Component.choices)
    grouped = (_payable(run, user, township, village)
               .values("workshop__name", "workshop_id", *PAYEE_FIELDS, "component")
               .annotate(total=Sum("amount"))
               .order_by("workshop__name", "workshop_id", "worker__name", "worker_id", "enterprise_id", "component"))
    rows = [NoticeRow(row["workshop__name"] or "", _payee(row, False)[1], _payee(row, False)[2],
                      str(labels.get(row["component"], row["component"])), row["total"].quantize(ZERO))
            for row in grouped]
    return sorted(rows, key=lambda r: r.workshop == "")  # stable: the workshops' rows first


@dataclass
class SheetWorker:
    worker_id: object  # the worker's id, or "enterprise-<id>" for a firm's loan
    name: str
    id_number: str
    amounts: dict = field(default_factory=dict)  # component -> Decimal
    components: tuple = tuple(Component.values)  # the sheet's columns

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def amounts_list(self) -> list[Decimal]:
        return [self.amounts.get(c, ZERO) for c in self.components]


@dataclass
class Sheet:
    workshop_id: int | None  # None: the township's sheet of lines without a workshop
    workshop: str
    township: str
    workers: list = field(default_factory=list)
    components: tuple = tuple(Component.values)  # the columns: the four tiers, and the others paid here

    def total_of(self, component) -> Decimal:
        return sum((w.amounts.get(component, ZERO) for w in self.workers), ZERO)

    @property
    def totals(self) -> list[Decimal]:
        return [self.total_of(c) for c in self.components]

    @property
    def total(self) -> Decimal:
        return sum((w.total for w in self.workers), ZERO)


def payment_sheets(*, run: SubsidyRun, user, township: Township) -> list[Sheet]:
    """The township's payment sheets, one per workshop, each worker's payable amounts by component
    (one query), then one sheet of the lines without a workshop (loan interest, start-up awards,
    transport subsidies), paid to the borrower or the worker; so the sheets add up to the township's
    payable lines. Columns: the four tiers, then each other component with an amount in the township.
    ID numbers in full for county roles, masked for everyone else (a firm shows its credit code)."""
    full = user.is_county
    grouped = (_payable(run, user, township)
               .values("workshop_id", "workshop__name", *PAYEE_FIELDS, "component")
               .annotate(total=Sum("amount"))
               .order_by("workshop__name", "workshop_id", "worker__name", "worker_id", "enterprise_id"))
    sheets: dict[int, Sheet] = OrderedDict()
    present = set()
    for row in grouped:
        sheet = sheets.get(row["workshop_id"])
        if sheet is None:
            name = row["workshop__name"] if row["workshop_id"] is not None else direct_payment_label()
            sheet = sheets[row["workshop_id"]] = Sheet(row["workshop_id"], name, township.name)
            sheet._workers = OrderedDict()
        key, name, number = _payee(row, full)
        worker = sheet._workers.get(key)
        if worker is None:
            worker = sheet._workers[key] = SheetWorker(key, name, number)
            sheet.workers.append(worker)
        worker.amounts[row["component"]] = worker.amounts.get(row["component"], ZERO) + row["total"]
        present.add(row["component"])
    columns = (*TIER_COMPONENTS, *(c for c in Component.values if c not in TIER_COMPONENTS and c in present))
    ordered = [s for s in sheets.values() if s.workshop_id is not None] + (
        [sheets[None]] if None in sheets else [])
    for sheet in ordered:
        sheet.components = columns
        for worker in sheet.workers:
            worker.components = columns
    return ordered


def sheet_components(sheets: list[Sheet]) -> tuple:
    """The columns of a township's sheets (the four tiers when it has none)."""
    return sheets[0].components if sheets else tuple(TIER_COMPONENTS)


def people(sheets: list[Sheet]) -> int:
    """The distinct people paid on the township's sheets: a worker on two workshops' sheets is one person
    (each sheet still lists them, with that workshop's lines)."""
    return len({worker.worker_id for sheet in sheets for worker in sheet.workers})


def component_labels(components=None) -> list[str]:
    components = Component.values if components is None else components
    return [str(Component(c).label) for c in components]


def notices_of(run: SubsidyRun, user=None):
    notices = RunNotice.objects.filter(run=run).select_related("township", "village", "posted_by")
    return scoped(notices, user) if user is not None else notices


def notice_warnings(*, run: SubsidyRun, user, today: date) -> list[str]:
    """What the mark-paid form warns of: each township with payable lines whose notice was not
    posted, or whose notice period has not ended by `today` (two queries)."""
    posted = {}
    for notice in notices_of(run).filter(village__isnull=True):
        posted[notice.township_id] = notice
    warnings = []
    for township in townships_of_run(run=run, user=user):
        notice = posted.get(township.pk)
        if notice is None:
            warnings.append(_("%(township)s: the public notice has not been posted.") % {"township": township.name})
        elif notice.ends_on >= today:
            warnings.append(_("%(township)s: the notice period ends on %(date)s.") % {
                "township": township.name, "date": f"{notice.ends_on:%Y-%m-%d}"})
    return warnings


# --- Excel (accounts.xlsx writers; amounts stay exact Decimals) ----------------------------------

def notice_xlsx(target, *, run, township, village, rows: list[NoticeRow], start: date, end: date) -> None:
    place = f"{township.name}{village.name if village else ''}"
    columns = [Column(_("No."), 6), Column(_("workshop"), 24), Column(_("name"), 12), Column(_("ID number"), 22),
               Column(_("component"), 16), Column(_("amount"), 14, money=True)]
    data = [(i, r.workshop, r.name, r.id_number, r.component, r.amount) for i, r in enumerate(rows, start=1)]
    data.append(("", _("Total"), "", "", "", sum((r.amount for r in rows), ZERO)))
    data.append(("", _("Notice period: %(start)s to %(end)s") % {"start": start, "end": end}, "", "", "", None))
    with XlsxWriter(target) as book:
        book.sheet(re.sub(r"[\[\]:*?/\\]", "", f"{run.month_label} {place}"), columns, data)


def _sheet_columns(components=None):
    return ([Column(_("No."), 6), Column(_("name"), 12), Column(_("ID number"), 22)]
            + [Column(label, 14, money=True) for label in component_labels(components)]
            + [Column(_("Total"), 14, money=True), Column(_("Signature"), 14), Column(_("Date"), 12)])


def sheets_xlsx(target, *, run, township, sheets: list[Sheet]) -> None:
    """A summary sheet for the township, then one sheet per workshop. The summary's total counts people
    once however many workshops paid them."""
    components = sheet_components(sheets)
    summary_columns = ([Column(_("No."), 6), Column(_("workshop"), 28), Column(_("workers"), 8)]
                       + [Column(label, 14, money=True) for label in component_labels(components)]
                       + [Column(_("Total"), 14, money=True)])
    summary = [(i, s.workshop, len(s.workers), *s.totals, s.total) for i, s in enumerate(sheets, start=1)]
    summary.append(("", _("Total"), people(sheets),
                    *[sum((s.total_of(c) for s in sheets), ZERO) for c in components],
                    sum((s.total for s in sheets), ZERO)))
    with XlsxWriter(target) as book:
        book.sheet(_("Summary"), summary_columns, summary)
        for index, sheet in enumerate(sheets, start=1):
            rows = [(i, w.name, w.id_number, *w.amounts_list, w.total, "", "")
                    for i, w in enumerate(sheet.workers, start=1)]
            rows.append(("", _("Total"), "", *sheet.totals, sheet.total, "", ""))
            book.sheet(re.sub(r"[\[\]:*?/\\]", "", f"{index} {sheet.workshop}")[:31], _sheet_columns(components),
                       rows)


# --- the papers' Excel through core.exports (the worker's side) -----------------------------------

NOTICE_PAGE = "subsidy-notice-print"
SHEETS_PAGE = "subsidy-payment-sheets"


def notice_title(run: SubsidyRun, township: Township, village: Village | None = None) -> str:
    return _("Public notice of %(month)s, %(place)s") % {
        "month": run.month_label, "place": f"{township.name}{village.name if village else ''}"}


def sheets_title(run: SubsidyRun, township: Township) -> str:
    return _("Payment sheets of %(month)s, %(place)s") % {"month": run.month_label, "place": township.name}


def write_notice(*, download, path, progress) -> int:
    """The notice's workbook for the download's owner, as the notice page shows it to them."""
    user, kwargs = download.owner, download.list_kwargs
    require(user, "subsidies.notice.view")
    run = noticeable_run(user=user, pk=kwargs["pk"], statuses=NOTICE_STATUSES)
    township = township_for(user=user, code=kwargs["township"])
    _form, data = notice_form_data(QueryDict(download.query))
    choice = notice_choice(run=run, township=township, data=data)
    rows = notice_rows(run=run, user=user, township=township, village=choice.village)
    progress(0, total=len(rows))
    notice_xlsx(path, run=run, township=township, village=choice.village, rows=rows, start=choice.start,
                end=choice.end)
    return len(rows)


def write_sheets(*, download, path, progress) -> int:
    """The township's payment sheets for the download's owner (full ID numbers for county roles only)."""
    user, kwargs = download.owner, download.list_kwargs
    require(user, "subsidies.sheet.view")
    run = noticeable_run(user=user, pk=kwargs["pk"], statuses=SHEET_STATUSES)
    township = township_for(user=user, code=kwargs["township"])
    sheets = payment_sheets(run=run, user=user, township=township)
    written = sum(len(sheet.workers) for sheet in sheets)
    progress(0, total=written)
    sheets_xlsx(path, run=run, township=township, sheets=sheets)
    return written


def _paper_name(prefix):
    def filename(download):
        kwargs = download.list_kwargs or {}
        return f"{prefix}-run{kwargs.get('pk')}-{kwargs.get('township', '')}"
    return filename


def register_papers() -> None:
    """subsidies' papers on core's export path (called from the app's ready())."""
    from core import exports

    from .services.reports import REPORT_PAGE, report_filename, write_report_download

    exports.register(exports.Paper(NOTICE_PAGE, write_notice, _paper_name("notice")))
    exports.register(exports.Paper(SHEETS_PAGE, write_sheets, _paper_name("payment-sheets")))
    exports.register(exports.Paper(REPORT_PAGE, write_report_download, report_filename))
