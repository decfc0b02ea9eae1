"""The monthly calculation, set-based: a handful of aggregate queries feed the pure rules in
`subsidies.rules`, and the lines are written in one bulk insert (COPY on PostgreSQL)."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from labor.models import Payroll, Placement, TrainingCompletion, Worker
from workshops.models import CertificationEvent
from workshops.selectors import certified_workshop_ids

from .. import rules
from ..choices import LOCKED_STATUSES, Component, Flag, LineStatus
from ..models import SubsidyLine
from .policies import terms_by_month

ZERO = rules.ZERO


@dataclass(slots=True)
class Line:
    component: str
    worker_id: int
    workshop_id: int
    placement_id: int | None
    training_id: int | None
    amount: Decimal
    reason: str
    basis: dict
    flags: list = field(default_factory=list)
    status: str = LineStatus.PAYABLE
    cleared_by_id: int | None = None
    cleared_at: object = None
    clear_reason: str = ""

    @property
    def key(self) -> tuple:
        return (self.component, self.worker_id, self.workshop_id, self.placement_id, self.training_id)


# --- what approved runs already paid (limits count only those) --------------------------------

def _approved_lines(month: date):
    """Payable lines of approved or paid runs of other months: what has really been paid."""
    return SubsidyLine.objects.filter(run__status__in=LOCKED_STATUSES, status=LineStatus.PAYABLE).exclude(
        run__month=month).order_by()


def _month_workers(month: date):
    """The workers on the month's payroll, as a subquery. Unordered: Payroll's default ordering kept
    inside `IN (...)` stops PostgreSQL from flattening it into a join, and with stale statistics
    (a small runs table analysed while nearly empty) it then rescans the whole subquery for every
    approved line: a month at 264,000 workers had not finished after 50 minutes; unordered, the
    same query takes seconds (bench/subsidies_calculate.py)."""
    return Subquery(Payroll.objects.filter(month=month).order_by().values("placement__worker_id"))


def _months_paid(component: str, month: date) -> dict[int, int]:
    return dict(
        _approved_lines(month).filter(component=component, amount__gt=0, worker_id__in=_month_workers(month))
        .values("worker_id").annotate(n=Count("run__month", distinct=True)).values_list("worker_id", "n")
    )


def _qualifying_month_counts(month: date, nth: int, categories: frozenset, workshops: set[int]) -> set[tuple]:
    """(worker, workshop) pairs whose qualifying months up to `month` number exactly `nth`: one
    GROUP BY over payroll, each earlier month judged by its own policy and certification."""
    first = Payroll.objects.filter(month__lte=month).aggregate(m=Min("month"))["m"]
    if first is None or not workshops:
        return set()
    months = rules.months_between(first, month)
    terms_for = terms_by_month(months)
    events = defaultdict(list)
    for workshop_id, effective, pk, action in CertificationEvent.objects.filter(workshop_id__in=workshops).values_list(
            "workshop_id", "effective_date", "id", "action"):
        events[workshop_id].append((effective, pk, action))
    # Workshops certified in the same months share one condition, so the SQL stays short.
    groups = defaultdict(list)
    for workshop_id, workshop_events in events.items():
        certified = frozenset(m for m in terms_for if rules.certified_on(workshop_events, rules.month_end(m)))
        if certified:
            groups[certified].append(workshop_id)
    if not groups:
        return set()
    certified_q = Q()
    for certified, ids in groups.items():
        certified_q |= Q(placement__workshop_id__in=ids, month__in=sorted(certified))
    month_q = Q()
    for m, terms in terms_for.items():
        born_after, born_by = terms.birth_bounds(m)
        month_q |= Q(month=m, days_worked__gte=terms.min_days, wage_paid__gte=terms.min_wage,
                     placement__worker__birth_date__gt=born_after, placement__worker__birth_date__lte=born_by)
    queryset = Payroll.objects.filter(certified_q, month_q, month__lte=month).filter(
        placement__worker_id__in=_month_workers(month))
    if categories:
        queryset = queryset.filter(placement__worker__category__in=categories)
    return set(
        queryset.order_by().values("placement__worker_id", "placement__workshop_id")
        .annotate(n=Count("month", distinct=True)).filter(n=nth)
        .values_list("placement__worker_id", "placement__workshop_id")
    )


# --- misuse checks ----------------------------------------------------------------------------

def _shared_phone_workers() -> set[int]:
    shared = (Worker.objects.exclude(phone="").order_by().values("phone").annotate(n=Count("id"))
              .filter(n__gt=rules.SHARED_PHONE_MAX_WORKERS).values("phone"))
    return set(Worker.objects.filter(phone__in=Subquery(shared)).values_list("id", flat=True))


def _headcount_jump_pairs(month: date, headcount: dict[int, set]) -> set[tuple]:
    """(worker, workshop) of workers new to a workshop's payroll in a month its headcount jumped."""
    previous = rules.previous_month(month)
    before = dict(
        Payroll.objects.filter(month=previous).order_by().values("placement__workshop_id")
        .annotate(n=Count("placement__worker_id", distinct=True)).values_list("placement__workshop_id", "n")
    )
    jumping = [ws for ws, workers in headcount.items() if rules.headcount_jumped(before.get(ws, 0), len(workers))]
    if not jumping:
        return set()
    known = set(Payroll.objects.filter(month=previous, placement__workshop_id__in=jumping)
                .values_list("placement__worker_id", "placement__workshop_id"))
    return {(w, ws) for ws in jumping for w in headcount[ws] if (w, ws) not in known}


# --- the calculation --------------------------------------------------------------------------

def compute_lines(month: date, terms: rules.Terms) -> list[Line]:
    """Every line the policy gives for `month`, with its flags; no writes."""
    end = rules.month_end(month)
    certified_now = certified_workshop_ids(end)
    headcount = defaultdict(set)
    workshops_of = defaultdict(set)
    qualifying = []
    payroll = Payroll.objects.filter(month=month).order_by().values_list(
        "placement_id", "placement__worker_id", "placement__workshop_id", "days_worked", "wage_paid",
        "employer_social_insurance", "placement__worker__category", "placement__worker__birth_date")
    for row in payroll.iterator(chunk_size=20000):
        placement_id, worker_id, workshop_id, days, wage, insurance, category, born = row
        headcount[workshop_id].add(worker_id)
        if rules.is_qualifying(days_worked=days, wage_paid=wage, birth_date=born,
                               certified=workshop_id in certified_now, month=month, terms=terms):
            qualifying.append(row)
            workshops_of[worker_id].add(workshop_id)

    lines: list[Line] = []
    lines += _hiring_awards(month, terms, qualifying)
    lines += _monthly_subsidies(month, terms, qualifying)
    lines += _training_subsidies(month, terms, certified_now)

    duplicates = {w for w, shops in workshops_of.items() if len(shops) > 1}
    shared = _shared_phone_workers()
    jumps = _headcount_jump_pairs(month, headcount)
    for line in lines:
        if line.worker_id in duplicates:
            line.flags.append(Flag.DUPLICATE_EMPLOYMENT.value)
        if line.worker_id in shared:
            line.flags.append(Flag.SHARED_PHONE.value)
        if (line.worker_id, line.workshop_id) in jumps:
            line.flags.append(Flag.HEADCOUNT_JUMP.value)
        if line.flags:
            line.status = LineStatus.WITHHELD
    lines.sort(key=lambda x: (x.workshop_id, x.worker_id, x.component, x.training_id or 0, x.placement_id or 0))
    return lines


def _basis(days, wage, **more) -> dict:
    return {"days_worked": days, "wage_paid": str(wage), **{k: (str(v) if isinstance(v, Decimal) else v)
                                                               for k, v in more.items()}}


def _hiring_awards(month, terms, qualifying) -> list[Line]:
    rule = terms.rules.get(Component.HIRING_AWARD)
    if rule is None or rule.amount is None:
        return []
    candidates = {}
    for row in qualifying:
        if rule.covers(row[6]):
            candidates.setdefault((row[1], row[2]), row)
    if not candidates:
        return []
    nth = rule.qualifying_month or 1
    reached = _qualifying_month_counts(month, nth, rule.categories, {ws for _w, ws in candidates})
    already = set(_approved_lines(month).filter(component=Component.HIRING_AWARD)
                  .values_list("worker_id", "workshop_id"))
    due = sorted(pair for pair in candidates if pair in reached and pair not in already)
    year_paid = dict(
        _approved_lines(month).filter(component=Component.HIRING_AWARD, run__month__year=month.year)
        .values("workshop_id").annotate(total=Sum("amount")).values_list("workshop_id", "total")
    )
    by_workshop = defaultdict(list)
    for worker_id, workshop_id in due:
        by_workshop[workshop_id].append(worker_id)
    lines = []
    for workshop_id, workers in by_workshop.items():
        paid_before = year_paid.get(workshop_id) or ZERO
        amounts = rules.apply_yearly_cap([rule.amount] * len(workers), paid_before, rule.yearly_workshop_cap)
        for worker_id, amount in zip(workers, amounts, strict=True):
            row = candidates[(worker_id, workshop_id)]
            if amount == rule.amount:
                reason = _("Qualifying month %(n)s, hiring award %(amount)s yuan") % {
                    "n": nth, "amount": rules.yuan(amount)}
            else:
                reason = _("Qualifying month %(n)s, hiring award %(amount)s yuan: the workshop's yearly cap of "
                           "%(cap)s yuan is reached") % {"n": nth, "amount": rules.yuan(amount),
                                                          "cap": rules.yuan(rule.yearly_workshop_cap)}
            lines.append(Line(Component.HIRING_AWARD, worker_id, workshop_id, row[0], None, amount, reason,
                              _basis(row[3], row[4], qualifying_month=nth, paid_this_year_before=paid_before,
                                     yearly_cap=rule.yearly_workshop_cap)))
    return lines


def _monthly_subsidies(month, terms, qualifying) -> list[Line]:
    lines = []
    insurance = terms.rules.get(Component.SOCIAL_INSURANCE)
    job = terms.rules.get(Component.JOB_SUBSIDY)
    insurance_paid = _months_paid(Component.SOCIAL_INSURANCE, month) if insurance else {}
    job_paid = _months_paid(Component.JOB_SUBSIDY, month) if job else {}
    for placement_id, worker_id, workshop_id, days, wage, paid_in, category, _born in qualifying:
        if insurance and insurance.covers(category) and paid_in > 0:
            before = insurance_paid.get(worker_id, 0)
            if rules.within_month_limit(before, insurance.month_limit):
                amount = rules.capped(paid_in, insurance.monthly_cap)
                reason = _("Month %(n)s of at most %(limit)s, employer paid %(paid)s yuan social insurance, "
                           "subsidy %(amount)s yuan") % {"n": before + 1, "limit": insurance.month_limit or "-",
                                                         "paid": rules.yuan(paid_in), "amount": rules.yuan(amount)}
                lines.append(Line(Component.SOCIAL_INSURANCE, worker_id, workshop_id, placement_id, None, amount,
                                  reason, _basis(days, wage, social_insurance_paid=paid_in, months_paid_before=before,
                                                 monthly_cap=insurance.monthly_cap)))
        if job and job.amount is not None and job.covers(category):
            before = job_paid.get(worker_id, 0)
            if rules.within_month_limit(before, job.month_limit):
                reason = _("Month %(n)s of at most %(limit)s, job subsidy %(amount)s yuan") % {
                    "n": before + 1, "limit": job.month_limit or "-", "amount": rules.yuan(job.amount)}
                lines.append(Line(Component.JOB_SUBSIDY, worker_id, workshop_id, placement_id, None, job.amount,
                                  reason, _basis(days, wage, months_paid_before=before)))
    return lines


def _training_subsidies(month, terms, certified_now) -> list[Line]:
    rule = terms.rules.get(Component.TRAINING)
    if rule is None or not certified_now:
        return []
    end = rules.month_end(month)
    open_placement = (
        Placement.objects.filter(worker=OuterRef("worker_id"), workshop=OuterRef("training__organizer_workshop_id"),
                                 start_date__lte=OuterRef("completed_on"))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("completed_on")))
        .order_by("-start_date", "-id").values("id")[:1]
    )
    completions = (
        TrainingCompletion.objects.filter(completed_on__gte=month, completed_on__lte=end,
                                          training__organizer_workshop_id__in=certified_now)
        .annotate(open_placement_id=Subquery(open_placement)).filter(open_placement_id__isnull=False)
    )
    if rule.categories:
        completions = completions.filter(worker__category__in=rule.categories)
    already = set(_approved_lines(month).filter(component=Component.TRAINING)
                  .values_list("worker_id", "training_id"))
    lines = []
    for worker_id, training_id, workshop_id, placement_id, level, name, completed in completions.order_by().values_list(
            "worker_id", "training_id", "training__organizer_workshop_id", "open_placement_id", "certificate_level",
            "training__name", "completed_on"):
        amount = rules.training_amount(level, rule.certificate_amounts)
        if amount is None or (worker_id, training_id) in already:
            continue
        reason = _("Completed training %(name)s on %(day)s (certificate: %(level)s), training subsidy %(amount)s "
                   "yuan") % {"name": name, "day": completed.isoformat(), "level": _level_label(level),
                              "amount": rules.yuan(amount)}
        lines.append(Line(Component.TRAINING, worker_id, workshop_id, placement_id, training_id, amount, reason,
                          {"completed_on": completed.isoformat(), "certificate_level": level}))
    return lines


def _level_label(level: str) -> str:
    from labor.choices import CertificateLevel

    return str(CertificateLevel(level).label) if level in CertificateLevel.values else level


# --- adjustments: only the differences --------------------------------------------------------

def difference_lines(month: date, desired: list[Line]) -> list[Line]:
    """What an adjustment run holds: each line's amount minus what approved runs of this month
    already hold for the same worker, workshop, placement, component and course."""
    existing = {
        (c, w, ws, p, t): total
        for c, w, ws, p, t, total in SubsidyLine.objects.filter(run__month=month, run__status__in=LOCKED_STATUSES)
        .order_by().values("component", "worker_id", "workshop_id", "placement_id", "training_id")
        .annotate(total=Sum("amount"))
        .values_list("component", "worker_id", "workshop_id", "placement_id", "training_id", "total")
    }
    result = []
    for line in desired:
        before = existing.pop(line.key, ZERO)
        delta = line.amount - before
        if delta == 0:
            continue
        line.basis = {**line.basis, "already_in_approved_runs": str(before)}
        line.reason = _("Adjustment of %(delta)s yuan (approved before: %(before)s yuan). %(reason)s") % {
            "delta": rules.yuan(delta), "before": rules.yuan(before), "reason": line.reason}
        line.amount = delta
        if delta < 0:  # taking money back is never withheld
            line.flags, line.status = [], LineStatus.PAYABLE
        result.append(line)
    for (component, worker_id, workshop_id, placement_id, training_id), before in existing.items():
        if before:
            result.append(Line(component, worker_id, workshop_id, placement_id, training_id, -before,
                               _("Adjustment of %(delta)s yuan: no longer due (approved before: %(before)s yuan)") % {
                                   "delta": rules.yuan(-before), "before": rules.yuan(before)},
                               {"already_in_approved_runs": str(before)}))
    return result


# --- writing ----------------------------------------------------------------------------------

COLUMNS = ("run_id", "workshop_id", "worker_id", "placement_id", "training_id", "component", "amount", "status",
           "flags", "basis", "reason", "cleared_by_id", "cleared_at", "clear_reason")


def write_lines(run_id: int, lines: list[Line]) -> None:
    """One bulk insert: COPY on PostgreSQL, bulk_create in batches elsewhere."""
    if connection.vendor == "postgresql":
        table = SubsidyLine._meta.db_table
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for line in lines:
                    copy.write_row((run_id, line.workshop_id, line.worker_id, line.placement_id, line.training_id,
                                    line.component, line.amount, line.status, json.dumps(line.flags),
                                    json.dumps(line.basis, ensure_ascii=False), line.reason[:300],
                                    line.cleared_by_id, line.cleared_at, line.clear_reason))
        return
    batch = []
    for line in lines:
        batch.append(SubsidyLine(run_id=run_id, workshop_id=line.workshop_id, worker_id=line.worker_id,
                                 placement_id=line.placement_id, training_id=line.training_id,
                                 component=line.component, amount=line.amount, status=line.status, flags=line.flags,
                                 basis=line.basis, reason=line.reason[:300], cleared_by_id=line.cleared_by_id,
                                 cleared_at=line.cleared_at, clear_reason=line.clear_reason))
        if len(batch) >= 5000:
            SubsidyLine.objects.bulk_create(batch)
            batch = []
    SubsidyLine.objects.bulk_create(batch)


def totals_of(lines: list[Line]) -> dict:
    totals = {f"{c}_total": ZERO for c in Component.values}
    payable = withheld = ZERO
    for line in lines:
        totals[f"{line.component}_total"] += line.amount
        if line.status == LineStatus.WITHHELD:
            withheld += line.amount
        else:
            payable += line.amount
    return {**totals, "payable_total": payable, "withheld_total": withheld, "line_count": len(lines)}
