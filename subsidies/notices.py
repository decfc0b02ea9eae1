"""Reads for the printable papers of a run: the public notice (公示) of a township (or a village of it)
and the payment sheets (发放表) per workshop with their township summary. Every read goes through the
scoped lines (subsidies.selectors.line_list), so an officer prints only their township; each paper is one
grouped query whatever its length.

Working days are Monday to Friday; there is no holiday calendar."""

import io
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.scoping import scoped
from accounts.xlsx import Column, XlsxWriter
from labor.resident_id import mask
from regions.models import Township, Village

from . import selectors
from .choices import Component, LineStatus, RunStatus
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
           .values("workshop__village__township"))
    return list(Township.objects.filter(pk__in=ids).order_by("code"))


def _payable(run, user, township, village=None):
    lines = selectors.line_list(user=user).filter(run=run, status=LineStatus.PAYABLE,
                                                  workshop__village__township=township)
    if village is not None:
        lines = lines.filter(worker__village=village)
    return lines.order_by()


@dataclass
class NoticeRow:
    workshop: str
    name: str
    id_number: str  # always masked: a notice is posted in public
    component: str
    amount: Decimal


def notice_rows(*, run: SubsidyRun, user, township: Township, village: Village | None = None) -> list[NoticeRow]:
    """One row per worker, workshop and component of the payable lines of the township (one query)."""
    labels = dict(Component.choices)
    grouped = (_payable(run, user, township, village)
               .values("workshop__name", "workshop_id", "worker__name", "worker_id", "worker__id_number",
                       "component")
               .annotate(total=Sum("amount"))
               .order_by("workshop__name", "workshop_id", "worker__name", "worker_id", "component"))
    return [NoticeRow(row["workshop__name"], row["worker__name"], mask(row["worker__id_number"]),
                      str(labels.get(row["component"], row["component"])), row["total"].quantize(ZERO))
            for row in grouped]


@dataclass
class SheetWorker:
    name: str
    id_number: str
    amounts: dict = field(default_factory=dict)  # component -> Decimal

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def amounts_list(self) -> list[Decimal]:
        return [self.amounts.get(c, ZERO) for c in Component.values]


@dataclass
class Sheet:
    workshop_id: int
    workshop: str
    township: str
    workers: list = field(default_factory=list)

    def total_of(self, component) -> Decimal:
        return sum((w.amounts.get(component, ZERO) for w in self.workers), ZERO)

    @property
    def totals(self) -> list[Decimal]:
        return [self.total_of(c) for c in Component.values]

    @property
    def total(self) -> Decimal:
        return sum((w.total for w in self.workers), ZERO)


def payment_sheets(*, run: SubsidyRun, user, township: Township) -> list[Sheet]:
    """The township's payment sheets, one per workshop, each worker's payable amounts by component
    (one query). ID numbers in full for county roles, masked for everyone else."""
    full = user.is_county
    grouped = (_payable(run, user, township)
               .values("workshop_id", "workshop__name", "worker_id", "worker__name", "worker__id_number",
                       "component")
               .annotate(total=Sum("amount"))
               .order_by("workshop__name", "workshop_id", "worker__name", "worker_id"))
    sheets: dict[int, Sheet] = OrderedDict()
    for row in grouped:
        sheet = sheets.get(row["workshop_id"])
        if sheet is None:
            sheet = sheets[row["workshop_id"]] = Sheet(row["workshop_id"], row["workshop__name"], township.name)
            sheet._workers = OrderedDict()
        worker = sheet._workers.get(row["worker_id"])
        if worker is None:
            number = row["worker__id_number"]
            worker = sheet._workers[row["worker_id"]] = SheetWorker(row["worker__name"],
                                                                   number if full else mask(number))
            sheet.workers.append(worker)
        worker.amounts[row["component"]] = worker.amounts.get(row["component"], ZERO) + row["total"]
    return list(sheets.values())


def component_labels() -> list[str]:
    return [str(label) for _value, label in Component.choices]


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

def notice_xlsx(*, run, township, village, rows: list[NoticeRow], start: date, end: date) -> bytes:
    buffer = io.BytesIO()
    place = f"{township.name}{village.name if village else ''}"
    columns = [Column(_("No."), 6), Column(_("workshop"), 24), Column(_("name"), 12), Column(_("ID number"), 22),
               Column(_("component"), 16), Column(_("amount"), 14, money=True)]
    data = [(i, r.workshop, r.name, r.id_number, r.component, r.amount) for i, r in enumerate(rows, start=1)]
    data.append(("", _("Total"), "", "", "", sum((r.amount for r in rows), ZERO)))
    data.append(("", _("Notice period: %(start)s to %(end)s") % {"start": start, "end": end}, "", "", "", None))
    with XlsxWriter(buffer) as book:
        book.sheet(re.sub(r"[\[\]:*?/\\]", "", f"{run.month_label} {place}"), columns, data)
    return buffer.getvalue()


def _sheet_columns():
    return ([Column(_("No."), 6), Column(_("name"), 12), Column(_("ID number"), 22)]
            + [Column(label, 14, money=True) for label in component_labels()]
            + [Column(_("Total"), 14, money=True), Column(_("Signature"), 14), Column(_("Date"), 12)])


def sheets_xlsx(*, run, township, sheets: list[Sheet]) -> bytes:
    """A summary sheet for the township, then one sheet per workshop."""
    buffer = io.BytesIO()
    summary_columns = ([Column(_("No."), 6), Column(_("workshop"), 28), Column(_("workers"), 8)]
                       + [Column(label, 14, money=True) for label in component_labels()]
                       + [Column(_("Total"), 14, money=True)])
    summary = [(i, s.workshop, len(s.workers), *s.totals, s.total) for i, s in enumerate(sheets, start=1)]
    summary.append(("", _("Total"), sum(len(s.workers) for s in sheets),
                    *[sum((s.total_of(c) for s in sheets), ZERO) for c in Component.values],
                    sum((s.total for s in sheets), ZERO)))
    with XlsxWriter(buffer) as book:
        book.sheet(_("Summary"), summary_columns, summary)
        for index, sheet in enumerate(sheets, start=1):
            rows = [(i, w.name, w.id_number, *[w.amounts.get(c, ZERO) for c in Component.values], w.total, "", "")
                    for i, w in enumerate(sheet.workers, start=1)]
            rows.append(("", _("Total"), "", *sheet.totals, sheet.total, "", ""))
            book.sheet(re.sub(r"[\[\]:*?/\\]", "", f"{index} {sheet.workshop}"), _sheet_columns(), rows)
    return buffer.getvalue()
