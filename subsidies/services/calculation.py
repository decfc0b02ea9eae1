"""The monthly calculation, set-based: a handful of aggregate queries feed the pure rules in
`subsidies.rules`, and the lines are written in one bulk insert (COPY on PostgreSQL).

Money integrity across runs (issue 10; shared/DOMAIN.md is the policy):

- *What counts as paid.* Month limits (job subsidy 12, social insurance 36), "once" rules (hiring award
  per (worker, workshop), training per (worker, course)) and the workshop's yearly cap count only the
  **payable** lines of **approved or paid** runs of the other months, earlier and later. Withheld lines
  were never paid, so they count for nothing. A month counts toward a limit only while the worker's net
  amount for that component and month over approved runs is above 0, so a month reversed by a later
  adjustment no longer counts (`_months_paid`, `_already_paid`).
- *Order of work.* Because the counts read approved runs of every other month, a draft can only be wrong
  when another run was approved after it was calculated; that approval marks it *stale*
  (`workflow.mark_dependents_stale`) and a stale run is refused at submission and approval until it is
  recalculated. So December and January calculated before either is approved still pay 12 months at
  most: approving one makes the other stale, and its recalculation sees the month just approved.
- *Caps per worker-month.* One job subsidy and at most `monthly_cap` (600) of social insurance per worker
  and month, across all placements and workshops: the worker's lines are taken in order of placement
  start (then id); the first takes the month, the others carry what is left (usually 0) and a reason
  naming the line that took it (`_monthly_subsidies`). Two placements at one workshop in a month are one
  worker-month there: no `duplicate_employment` flag (that needs two workshops).
- *Caps after flags.* Flags are decided before amounts. Within a month a workshop's yearly cap room
  (cap minus the net awards paid in approved runs of the same year, other months) goes first to awards
  this month's approved runs already paid (an adjustment never takes them back for a newcomer), then to
  payable awards, then to withheld ones, each group in order of placement start (`_hiring_awards`).
- *Headcount jump.* A workshop's month is compared with its most recent earlier payroll month; its first
  payroll month on the portal is no jump (`_headcount_jump_pairs`).
- *Adjustments* hold each line's amount minus what approved runs of the month **paid** (payable lines).
  A line withheld at approval therefore comes back whole, flagged and withheld again while its flag
  holds, where the county clears it with a reason and pays it (`difference_lines`). A withheld award so
  raised again is still due: its month is still the 6th qualifying month.

The components of issue 16 have no workshop; each line carries its township (the scope follows it):

- *Loan interest* (`_loan_interest`): one line per loan out during the month, the county's share of the
  month's interest from `loans.selectors.interest_subsidies` (the formula and the overdue / written-off
  rule are loans', stated there). Monthly, so an adjustment pays only the difference.
- *Start-up award* (`_startup_awards`): once per (returnee, enterprise) over approved runs of every month,
  like the hiring award: raised in the first month calculated in which the enterprise has operated the
  policy's months and its workshops have enough *other* workers on that month's payroll.
- *Transport subsidy* (`_transport_subsidies`): once per outbound placement, in the month the worker
  completes the policy's months in the east (`labor.selectors.transport_subsidy_due`).
- Flags: of the misuse checks only `shared_phone` is about the person and not a workshop's payroll, so
  it is the one applied to these lines (a firm's loan has no person: no flag).
- Order of work: an approved run paying (or taking back) a start-up award or a transport subsidy marks
  every open run stale (`integrity.mark_dependents_stale`), since another month may now owe it or not.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from core.months import latest_start_due_by, month_end, months_between, previous_month, whole_months_between
from labor.models import Payroll, Placement, Returnee, TrainingCompletion, Worker
from labor.selectors import transport_subsidy_due
from loans.selectors import interest_subsidies
from workshops.models import CertificationEvent, Workshop
from workshops.selectors import certified_workshop_ids

from .. import rules
from ..choices import LOCKED_STATUSES, Component, Flag, LineStatus, RunKind
from ..models import SubsidyLine
from .policies import terms_by_month

ZERO = rules.ZERO


@dataclass(slots=True, kw_only=True)
class Line:
    """One line of a run, built with keywords only."""

    component: str
    worker_id: int | None
    workshop_id: int | None
    placement_id: int | None = None
    training_id: int | None = None
    loan_id: int | None = None
    outbound_id: int | None = None
    enterprise_id: int | None = None
    township_id: int | None = None  # not part of the key; the workshop's township when left None
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
        """(component, worker_id, workshop_id, placement_id, training_id, loan_id, outbound_id,
        enterprise_id): KEY_FIELDS."""
        return (self.component, self.worker_id, self.workshop_id, self.placement_id, self.training_id,
                self.loan_id, self.outbound_id, self.enterprise_id)


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
    """Per worker on the month's payroll: the other months whose net amount of `component` over
    approved runs is above 0 (a month reversed by an adjustment nets to 0 and no longer counts).
    One GROUP BY counts the months with a positive payment; negative lines exist only in adjustment
    runs, which are few, so only the months holding one are netted, in a second, small query."""
    lines = _approved_lines(month).filter(component=component, worker_id__in=_month_workers(month))
    counts = dict(lines.filter(amount__gt=0).values("worker_id").annotate(n=Count("run__month", distinct=True))
                  .values_list("worker_id", "n"))
    reversed_months = set(lines.filter(run__kind=RunKind.ADJUSTMENT, amount__lt=0)
                          .values_list("worker_id", "run__month").distinct())
    if reversed_months:
        nets = (lines.filter(worker_id__in={w for w, _m in reversed_months}).values("worker_id", "run__month")
                .annotate(net=Sum("amount"), paid=Count("id", filter=Q(amount__gt=0)))
                .values_list("worker_id", "run__month", "net", "paid"))
        for worker_id, paid_month, net, paid in nets:
            if (worker_id, paid_month) in reversed_months and paid and net <= 0:
                counts[worker_id] -= 1  # counted above for its positive line, but it nets to 0
    return counts


def _already_paid(component: str, month: date, key: tuple[str, str], **filters) -> set[tuple]:
    """Keys (e.g. worker and workshop) whose net amount of a once-only component over approved runs
    of other months is above 0."""
    return set(_approved_lines(month).filter(component=component, **filters).values(*key)
               .annotate(net=Sum("amount")).filter(net__gt=0).values_list(*key))


def _qualifying_month_counts(month: date, nth: int, categories: frozenset, workshops: set[int]) -> set[tuple]:
    """(worker, workshop) pairs whose qualifying months up to `month` number exactly `nth`: one
    GROUP BY over payroll, each earlier month judged by its own policy and certification. Months are
    counted distinct, so two placements at one workshop in a month are one month there."""
    first = Payroll.objects.filter(month__lte=month).aggregate(m=Min("month"))["m"]
    if first is None or not workshops:
        return set()
    months = months_between(first, month)
    terms_for = terms_by_month(months)
    events = defaultdict(list)
    for workshop_id, effective, pk, action in CertificationEvent.objects.filter(workshop_id__in=workshops).values_list(
            "workshop_id", "effective_date", "id", "action"):
        events[workshop_id].append((effective, pk, action))
    # Workshops certified in the same months share one condition, so the SQL stays short.
    groups = defaultdict(list)
    for workshop_id, workshop_events in events.items():
        certified = frozenset(m for m in terms_for if rules.certified_on(workshop_events, month_end(m)))
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


def _in_compared_month(pairs: dict[int, date]) -> Q:
    """Payroll rows of each workshop in the month it is compared with."""
    by_month = defaultdict(list)
    for workshop_id, m in pairs.items():
        by_month[m].append(workshop_id)
    condition = Q()
    for m, ids in sorted(by_month.items()):
        condition |= Q(month=m, placement__workshop_id__in=sorted(ids))
    return condition


def _headcounts(compare: dict[int, date]) -> dict[int, int]:
    return dict(
        Payroll.objects.filter(_in_compared_month(compare)).order_by().values("placement__workshop_id")
        .annotate(n=Count("placement__worker_id", distinct=True)).values_list("placement__workshop_id", "n")
    )


def _headcount_jump_pairs(month: date, headcount: dict[int, set]) -> set[tuple]:
    """(worker, workshop) of workers new to a workshop's payroll in a month its headcount jumped,
    compared with the workshop's most recent earlier payroll month (usually the month before; a
    workshop back after a pause is compared with its last month before it). A workshop's first
    payroll month on the portal is no jump: it was vetted at certification."""
    previous = previous_month(month)
    before = dict(
        Payroll.objects.filter(month=previous).order_by().values("placement__workshop_id")
        .annotate(n=Count("placement__worker_id", distinct=True)).values_list("placement__workshop_id", "n")
    )
    compare = dict.fromkeys(before, previous)
    paused = [ws for ws in headcount if ws not in before]
    if paused:
        last = dict(Payroll.objects.filter(month__lt=previous, placement__workshop_id__in=paused).order_by()
                    .values("placement__workshop_id").annotate(last=Max("month"))
                    .values_list("placement__workshop_id", "last"))
        if last:
            compare.update(last)
            before.update(_headcounts(last))
    jumping = {ws: compare[ws] for ws, workers in headcount.items()
               if ws in compare and rules.headcount_jumped(before.get(ws, 0), len(workers))}
    if not jumping:
        return set()
    known = set(Payroll.objects.filter(_in_compared_month(jumping)).order_by()
                .values_list("placement__worker_id", "placement__workshop_id"))
    return {(w, ws) for ws in jumping for w in headcount[ws] if (w, ws) not in known}


@dataclass(slots=True)
class Flags:
    """The month's misuse checks, decided before any amount (caps are shared out after flags)."""
    duplicates: set
    shared: set
    jumps: set

    def of(self, worker_id: int, workshop_id: int) -> list[str]:
        if not self.duplicates and not self.shared and not self.jumps:
            return []
        flags = []
        if worker_id in self.duplicates:
            flags.append(Flag.DUPLICATE_EMPLOYMENT.value)
        if worker_id in self.shared:
            flags.append(Flag.SHARED_PHONE.value)
        if (worker_id, workshop_id) in self.jumps:
            flags.append(Flag.HEADCOUNT_JUMP.value)
        return flags


# --- the calculation --------------------------------------------------------------------------

class PayrollRow(NamedTuple):
    """One payroll row of the month, as `compute_lines` reads it."""

    placement_id: int
    worker_id: int
    workshop_id: int
    days_worked: int
    wage_paid: Decimal
    employer_social_insurance: Decimal
    category: str
    birth_date: date
    start_date: date  # the placement's


# Where each field of a PayrollRow is read from, starting at Payroll.
PAYROLL_ROW_LOOKUPS = {
    "placement_id": "placement_id",
    "worker_id": "placement__worker_id",
    "workshop_id": "placement__workshop_id",
    "days_worked": "days_worked",
    "wage_paid": "wage_paid",
    "employer_social_insurance": "employer_social_insurance",
    "category": "placement__worker__category",
    "birth_date": "placement__worker__birth_date",
    "start_date": "placement__start_date",
}
assert tuple(PAYROLL_ROW_LOOKUPS) == PayrollRow._fields


def _payroll_rows(month: date):
    """The month's payroll as PayrollRows, streamed (one query)."""
    rows = Payroll.objects.filter(month=month).order_by().values_list(
        *(PAYROLL_ROW_LOOKUPS[name] for name in PayrollRow._fields))
    return map(PayrollRow._make, rows.iterator(chunk_size=20000))


def compute_lines(month: date, terms: rules.Terms) -> list[Line]:
    """Every line the policy gives for `month`, with its flags; no writes."""
    end = month_end(month)
    certified_now = certified_workshop_ids(end)
    headcount = defaultdict(set)
    workshops_of = defaultdict(set)
    qualifying = []
    for row in _payroll_rows(month):
        workshop_id, worker_id = row.workshop_id, row.worker_id
        headcount[workshop_id].add(worker_id)
        if rules.is_qualifying(days_worked=row.days_worked, wage_paid=row.wage_paid, birth_date=row.birth_date,
                               certified=workshop_id in certified_now, month=month, terms=terms):
            qualifying.append(row)
            workshops_of[worker_id].add(workshop_id)

    # Two workshops, not two placements: one workshop twice in a month is one worker-month there.
    flags = Flags(duplicates={w for w, shops in workshops_of.items() if len(shops) > 1},
                  shared=_shared_phone_workers(), jumps=_headcount_jump_pairs(month, headcount))
    lines: list[Line] = []
    lines += _hiring_awards(month, terms, qualifying, flags)
    lines += _monthly_subsidies(month, terms, qualifying)
    lines += _training_subsidies(month, terms, certified_now)
    for line in lines:
        line.flags = flags.of(line.worker_id, line.workshop_id)
    _fill_townships(lines)
    person_lines = _loan_interest(month, terms) + _startup_awards(month, terms) + _transport_subsidies(month, terms)
    for line in person_lines:  # no workshop: only the check about the person applies
        line.flags = [Flag.SHARED_PHONE.value] if line.worker_id in flags.shared else []
    lines += person_lines
    for line in lines:
        if line.flags:
            line.status = LineStatus.WITHHELD
    lines.sort(key=_line_order)
    return lines


def _line_order(line: Line) -> tuple:
    return (line.workshop_id or 0, line.worker_id or 0, line.component, line.training_id or 0,
            line.placement_id or 0, line.loan_id or 0, line.outbound_id or 0, line.enterprise_id or 0)


def _fill_townships(lines: list[Line]) -> None:
    """A workshop's lines are in its village's township (one query)."""
    ids = {line.workshop_id for line in lines if line.township_id is None}
    if not ids:
        return
    township_of = dict(Workshop.objects.filter(pk__in=ids).values_list("id", "village__township_id"))
    for line in lines:
        if line.township_id is None:
            line.township_id = township_of[line.workshop_id]


# --- the components without a workshop (issue 16) -----------------------------------------------

def _loan_interest(month: date, terms: rules.Terms) -> list[Line]:
    """One line per loan out during the month: the county's interest subsidy (loans' rule, one query)."""
    if not terms.pays_loan_interest:
        return []
    return [Line(component=Component.LOAN_INTEREST, worker_id=row.worker_id, workshop_id=None, loan_id=row.loan_id,
                 enterprise_id=row.enterprise_id, township_id=row.township_id, amount=row.amount,
                 reason=row.reason, basis=dict(row.basis))
            for row in interest_subsidies(month)]


class StartupRow(NamedTuple):
    worker_id: int
    enterprise_id: int
    enterprise: str
    founded_on: date
    township_id: int  # the enterprise's, else the returnee's village's


def _startup_awards(month: date, terms: rules.Terms) -> list[Line]:
    """Once per (returnee, enterprise): the enterprise has operated the policy's months by the month's
    last day, and its workshops have at least the policy's number of workers other than the returnee
    on the month's payroll (any payroll row of the month counts). Two queries, and one for what was paid."""
    award = terms.startup
    if not award.amount:
        return []
    end = month_end(month)
    founded_by = latest_start_due_by(end, award.months)
    rows = [StartupRow(w, e, name, founded, own or home) for w, e, name, founded, own, home in (
        Returnee.objects.filter(enterprise__isnull=False, enterprise__founded_on__lte=founded_by).order_by("id")
        .values_list("worker_id", "enterprise_id", "enterprise__name", "enterprise__founded_on",
                     "enterprise__township_id", "worker__village__township_id"))]
    if not rows:
        return []
    on_payroll = defaultdict(set)
    for enterprise_id, worker_id in (Payroll.objects.filter(
            month=month, placement__workshop__enterprise_id__in={r.enterprise_id for r in rows}).order_by()
            .values_list("placement__workshop__enterprise_id", "placement__worker_id").distinct()):
        on_payroll[enterprise_id].add(worker_id)
    already = _already_paid(Component.STARTUP_AWARD, month, ("worker_id", "enterprise_id"))
    lines = []
    for row in rows:
        others = len(on_payroll.get(row.enterprise_id, set()) - {row.worker_id})
        operated = whole_months_between(row.founded_on, end)
        if (row.worker_id, row.enterprise_id) in already or not rules.startup_award_due(
                operated_months=operated, other_workers=others, terms=award):
            continue
        reason = _("Enterprise %(name)s, founded on %(day)s, has operated %(months)s months (at least %(need)s) "
                   "with %(others)s other workers on this month's payroll (at least %(min)s): returnee start-up "
                   "award %(amount)s yuan, once") % {
            "name": row.enterprise, "day": row.founded_on.isoformat(), "months": operated, "need": award.months,
            "others": others, "min": award.min_other_workers, "amount": rules.yuan(award.amount)}
        lines.append(Line(component=Component.STARTUP_AWARD, worker_id=row.worker_id, workshop_id=None,
                          enterprise_id=row.enterprise_id, township_id=row.township_id, amount=award.amount,
                          reason=reason,
                          basis={"founded_on": row.founded_on.isoformat(), "months_operated": operated,
                                 "months_required": award.months, "other_workers_on_payroll": others,
                                 "other_workers_required": award.min_other_workers}))
    return lines


def _transport_subsidies(month: date, terms: rules.Terms) -> list[Line]:
    """Once per outbound placement of a poverty-alleviated or monitored worker, in the month they complete
    the policy's months in the east job (and did not come home before)."""
    transport = terms.transport
    if not transport.amount:
        return []
    due = transport_subsidy_due(month, transport.months)
    if not due:
        return []
    already = {pk for (pk,) in _already_paid(Component.TRANSPORT_SUBSIDY, month, ("outbound_id",))}
    lines = []
    for row in due:
        if row["outbound_placement_id"] in already:
            continue
        completed = row["completed_on"]
        lines.append(Line(
            component=Component.TRANSPORT_SUBSIDY, worker_id=row["worker_id"], workshop_id=None,
            outbound_id=row["outbound_placement_id"], township_id=row["township_id"], amount=transport.amount,
            reason=_("Completed %(months)s months in the east job on %(day)s: cross-province transport subsidy "
                     "%(amount)s yuan, once") % {"months": transport.months, "day": completed.isoformat(),
                                                 "amount": rules.yuan(transport.amount)},
            basis={"completed_on": completed.isoformat(), "months_required": transport.months}))
    return lines


def _basis(row: PayrollRow, **more) -> dict:
    return {"days_worked": row.days_worked, "wage_paid": str(row.wage_paid),
            **{k: (str(v) if isinstance(v, Decimal) else v) for k, v in more.items()}}


def _hiring_awards(month, terms, qualifying: list[PayrollRow], flags: Flags) -> list[Line]:
    rule = terms.rules.get(Component.HIRING_AWARD)
    if rule is None or rule.amount is None:
        return []
    candidates = {}
    for row in qualifying:  # the pair's first placement (then the lower id) carries the award
        if rule.covers(row.category):
            pair = (row.worker_id, row.workshop_id)
            known = candidates.get(pair)
            if known is None or _placement_order(row) < _placement_order(known):
                candidates[pair] = row
    if not candidates:
        return []
    nth = rule.qualifying_month or 1
    reached = _qualifying_month_counts(month, nth, rule.categories, {ws for _w, ws in candidates})
    already = _already_paid(Component.HIRING_AWARD, month, ("worker_id", "workshop_id"))
    year_paid = dict(
        _approved_lines(month).filter(component=Component.HIRING_AWARD, run__month__year=month.year)
        .values("workshop_id").annotate(total=Sum("amount")).values_list("workshop_id", "total")
    )
    # What this month's approved runs paid already (an adjustment): first claim on the cap room.
    paid_here = set(SubsidyLine.objects.filter(
        run__month=month, run__status__in=LOCKED_STATUSES, status=LineStatus.PAYABLE,
        component=Component.HIRING_AWARD).order_by().values("worker_id", "workshop_id")
        .annotate(net=Sum("amount")).filter(net__gt=0).values_list("worker_id", "workshop_id"))
    by_workshop = defaultdict(list)
    for pair, row in candidates.items():
        if pair in reached and pair not in already:
            rank = 0 if pair in paid_here else 1 if not flags.of(*pair) else 2
            by_workshop[pair[1]].append((rank, row.start_date, row.placement_id, pair[0]))
    lines = []
    for workshop_id, due in by_workshop.items():
        due.sort()
        paid_before = max(year_paid.get(workshop_id) or ZERO, ZERO)
        amounts = rules.apply_yearly_cap([rule.amount] * len(due), paid_before, rule.yearly_workshop_cap)
        for (_rank, _start, _placement, worker_id), amount in zip(due, amounts, strict=True):
            row = candidates[(worker_id, workshop_id)]
            if amount == rule.amount:
                reason = _("Qualifying month %(n)s, hiring award %(amount)s yuan") % {
                    "n": nth, "amount": rules.yuan(amount)}
            else:
                reason = _("Qualifying month %(n)s, hiring award %(amount)s yuan: the workshop's yearly cap of "
                           "%(cap)s yuan is reached") % {"n": nth, "amount": rules.yuan(amount),
                                                          "cap": rules.yuan(rule.yearly_workshop_cap)}
            lines.append(Line(component=Component.HIRING_AWARD, worker_id=worker_id, workshop_id=workshop_id,
                              placement_id=row.placement_id, training_id=None, amount=amount, reason=reason,
                              basis=_basis(row, qualifying_month=nth, paid_this_year_before=paid_before,
                                           yearly_cap=rule.yearly_workshop_cap)))
    return lines


def _workshop_names(qualifying: list[PayrollRow]) -> dict[int, str]:
    """Names of the workshops where a worker has more than one line this month (one query, only
    then): a line capped by the worker-month names the line that took it."""
    seen, shared = {}, set()
    for row in qualifying:
        if seen.setdefault(row.worker_id, row.placement_id) != row.placement_id:
            shared.add(row.worker_id)
    if not shared:
        return {}
    ids = {row.workshop_id for row in qualifying if row.worker_id in shared}
    return dict(Workshop.objects.filter(pk__in=ids).values_list("id", "name"))


def _placement_order(row: PayrollRow) -> tuple:
    return row.start_date, row.placement_id


def _taken_by(row: PayrollRow, names) -> dict:
    return {"placement": row.placement_id, "workshop": names.get(row.workshop_id, row.workshop_id)}


def _monthly_subsidies(month, terms, qualifying) -> list[Line]:
    """Social insurance and the job subsidy, capped per worker-month across placements: a worker's rows
    come in placement order, so the first placement takes the month and the others get the rest."""
    insurance = terms.rules.get(Component.SOCIAL_INSURANCE)
    job = terms.rules.get(Component.JOB_SUBSIDY)
    insurance_paid = _months_paid(Component.SOCIAL_INSURANCE, month) if insurance else {}
    job_paid = _months_paid(Component.JOB_SUBSIDY, month) if job else {}
    names = _workshop_names(qualifying)
    by_worker = defaultdict(list)
    for row in qualifying:
        by_worker[row.worker_id].append(row)
    lines = []
    for worker_id, rows in by_worker.items():
        if len(rows) > 1:  # first placement first (then the lower id): it takes the worker-month
            rows.sort(key=_placement_order)
        category = rows[0].category
        if insurance and insurance.covers(category):
            lines += _insurance_lines(insurance, insurance_paid.get(worker_id, 0),
                                      [r for r in rows if r.employer_social_insurance > 0], names)
        if job and job.amount is not None and job.covers(category):
            lines += _job_lines(job, job_paid.get(worker_id, 0), rows, names)
    return lines


def _insurance_lines(rule, before, rows, names) -> list[Line]:
    if not rows or not rules.within_month_limit(before, rule.month_limit):
        return []
    asked = [rules.capped(r.employer_social_insurance, rule.monthly_cap) for r in rows]
    shared = rules.share_worker_month(asked, rule.monthly_cap) if len(rows) > 1 else asked
    lines = []
    for index, (row, full, amount) in enumerate(zip(rows, asked, shared, strict=True)):
        values = {"n": before + 1, "limit": rule.month_limit or "-",
                  "paid": rules.yuan(row.employer_social_insurance), "amount": rules.yuan(amount)}
        basis = _basis(row, social_insurance_paid=row.employer_social_insurance, months_paid_before=before,
                       monthly_cap=rule.monthly_cap)
        if index == 0 or amount == full:
            reason = _("Month %(n)s of at most %(limit)s, employer paid %(paid)s yuan social insurance, "
                       "subsidy %(amount)s yuan") % values
        else:
            reason = _("Employer paid %(paid)s yuan social insurance, subsidy %(amount)s yuan: the cap of "
                       "%(cap)s yuan per worker-month is taken by placement %(placement)s at workshop "
                       "%(workshop)s, which started first") % {
                **values, "cap": rules.yuan(rule.monthly_cap), **_taken_by(rows[0], names)}
            basis["worker_month_taken_by_placement"] = rows[0].placement_id
        lines.append(Line(component=Component.SOCIAL_INSURANCE, worker_id=row.worker_id, workshop_id=row.workshop_id,
                          placement_id=row.placement_id, training_id=None, amount=amount, reason=reason,
                          basis=basis))
    return lines


def _job_lines(rule, before, rows, names) -> list[Line]:
    if not rules.within_month_limit(before, rule.month_limit):
        return []
    first = rows[0]
    lines = [Line(component=Component.JOB_SUBSIDY, worker_id=first.worker_id, workshop_id=first.workshop_id,
                  placement_id=first.placement_id, training_id=None, amount=rule.amount,
                  reason=_("Month %(n)s of at most %(limit)s, job subsidy %(amount)s yuan") % {
                      "n": before + 1, "limit": rule.month_limit or "-", "amount": rules.yuan(rule.amount)},
                  basis=_basis(first, months_paid_before=before))]
    for row in rows[1:]:  # one job subsidy per worker-month
        lines.append(Line(component=Component.JOB_SUBSIDY, worker_id=row.worker_id, workshop_id=row.workshop_id,
                          placement_id=row.placement_id, training_id=None, amount=ZERO,
                          reason=_("Job subsidy 0 yuan: one job subsidy per worker-month, this month's is paid on "
                                   "placement %(placement)s at workshop %(workshop)s, which started first") % (
                                       _taken_by(first, names)),
                          basis=_basis(row, months_paid_before=before,
                                       worker_month_taken_by_placement=first.placement_id)))
    return lines


def _training_subsidies(month, terms, certified_now) -> list[Line]:
    rule = terms.rules.get(Component.TRAINING)
    if rule is None or not certified_now:
        return []
    end = month_end(month)
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
    already = _already_paid(Component.TRAINING, month, ("worker_id", "training_id"))
    lines = []
    rows = completions.order_by().values(
        "worker_id", "training_id", "open_placement_id", "certificate_level", "completed_on",
        workshop_id=F("training__organizer_workshop_id"), training_name=F("training__name"))
    for row in rows:
        level, completed = row["certificate_level"], row["completed_on"]
        amount = rules.training_amount(level, rule.certificate_amounts)
        if amount is None or (row["worker_id"], row["training_id"]) in already:
            continue
        reason = _("Completed training %(name)s on %(day)s (certificate: %(level)s), training subsidy %(amount)s "
                   "yuan") % {"name": row["training_name"], "day": completed.isoformat(),
                              "level": _level_label(level), "amount": rules.yuan(amount)}
        lines.append(Line(component=Component.TRAINING, worker_id=row["worker_id"], workshop_id=row["workshop_id"],
                          placement_id=row["open_placement_id"], training_id=row["training_id"], amount=amount,
                          reason=reason, basis={"completed_on": completed.isoformat(), "certificate_level": level}))
    return lines


def _level_label(level: str) -> str:
    from labor.choices import CertificateLevel

    return str(CertificateLevel(level).label) if level in CertificateLevel.values else level


# --- adjustments: only the differences --------------------------------------------------------

# A line's identity across runs of a month (Line.key, in this order).
KEY_FIELDS = ("component", "worker_id", "workshop_id", "placement_id", "training_id", "loan_id", "outbound_id",
              "enterprise_id")


def _month_sums(month: date, status: str, townships: dict | None = None) -> dict[tuple, Decimal]:
    """{Line.key: the sum of this month's lines of approved runs with `status`}; `townships`, when
    given, gets each key's township."""
    rows = (SubsidyLine.objects.filter(run__month=month, run__status__in=LOCKED_STATUSES, status=status)
            .order_by().values(*KEY_FIELDS).annotate(total=Sum("amount"), township=Max("township_id")))
    sums = {}
    for row in rows:
        key = tuple(row[name] for name in KEY_FIELDS)
        sums[key] = row["total"]
        if townships is not None:
            townships[key] = row["township"]
    return sums


def difference_lines(month: date, desired: list[Line]) -> list[Line]:
    """What an adjustment run holds: each line's amount minus what approved runs of this month
    **paid** for the same worker, workshop, placement, component and course (payable lines only).
    A line withheld when the month was approved was not paid, so it comes back here in full, with
    its flags as they stand now: still flagged, it is withheld again until cleared with a reason."""
    townships = {}
    existing = _month_sums(month, LineStatus.PAYABLE, townships)
    withheld_before = _month_sums(month, LineStatus.WITHHELD)
    result = []
    for line in desired:
        before = existing.pop(line.key, ZERO)
        delta = line.amount - before
        if delta == 0:
            continue
        held = withheld_before.get(line.key, ZERO)
        line.basis = {**line.basis, "already_in_approved_runs": str(before)}
        if held:
            line.basis["withheld_at_approval"] = str(held)
            line.reason = _("Adjustment of %(delta)s yuan (paid before: %(before)s yuan; %(held)s yuan was still "
                            "withheld when the month was approved and is raised again). %(reason)s") % {
                "delta": rules.yuan(delta), "before": rules.yuan(before), "held": rules.yuan(held),
                "reason": line.reason}
        else:
            line.reason = _("Adjustment of %(delta)s yuan (approved before: %(before)s yuan). %(reason)s") % {
                "delta": rules.yuan(delta), "before": rules.yuan(before), "reason": line.reason}
        line.amount = delta
        if delta < 0:  # taking money back is never withheld
            line.flags, line.status = [], LineStatus.PAYABLE
        result.append(line)
    for key, before in existing.items():
        if before:
            result.append(Line(**dict(zip(KEY_FIELDS, key, strict=True)), township_id=townships[key], amount=-before,
                               reason=_("Adjustment of %(delta)s yuan: no longer due (approved before: "
                                        "%(before)s yuan)") % {"delta": rules.yuan(-before),
                                                               "before": rules.yuan(before)},
                               basis={"already_in_approved_runs": str(before)}))
    return result


# --- writing ----------------------------------------------------------------------------------

COLUMNS = ("run_id", "township_id", "workshop_id", "worker_id", "placement_id", "training_id", "loan_id",
           "outbound_id", "enterprise_id", "component", "amount", "status", "flags", "basis", "reason",
           "cleared_by_id", "cleared_at", "clear_reason")


def write_lines(run_id: int, lines: list[Line]) -> None:
    """One bulk insert: COPY on PostgreSQL, bulk_create in batches elsewhere."""
    if connection.vendor == "postgresql":
        table = SubsidyLine._meta.db_table
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for line in lines:
                    copy.write_row((run_id, line.township_id, line.workshop_id, line.worker_id,
                                    line.placement_id, line.training_id, line.loan_id, line.outbound_id,
                                    line.enterprise_id, line.component, line.amount, line.status,
                                    json.dumps(line.flags),
                                    json.dumps(line.basis, ensure_ascii=False), line.reason[:300],
                                    line.cleared_by_id, line.cleared_at, line.clear_reason))
        return
    batch = []
    for line in lines:
        batch.append(SubsidyLine(run_id=run_id, township_id=line.township_id, workshop_id=line.workshop_id,
                                 worker_id=line.worker_id, placement_id=line.placement_id,
                                 training_id=line.training_id, loan_id=line.loan_id, outbound_id=line.outbound_id,
                                 enterprise_id=line.enterprise_id,
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
