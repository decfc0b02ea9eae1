"""Labour figures for the dashboard: people in work on a day, wages, referrals, trainings, returnees and
placements within a period and the one before it, by township, by month and by industry."""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from labor.choices import ReferralOutcome
from labor.models import Placement, Referral, Returnee, TrainingCompletion
from labor.selectors import open_placements_condition

from ..models import PayrollFact, PeopleFact, WorkSpell
from . import Scope

Kind = WorkSpell.Kind

PLACEMENT_TOWNSHIP = "workshop__village__township"
PAYROLL_TOWNSHIP = "placement__workshop__village__township"


def _within(field: str, period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _one_township(scope: Scope) -> bool:
    """Whether the figures are one township's: the township officer's, or the one county staff chose."""
    return scope.township is not None or not getattr(scope.user, "is_county", False)


def spells(scope: Scope, whole: str, one_township: str):
    """The work spells (dashboard.facts keeps them) of kind `whole`, or `one_township` when the figures
    are one township's, in the scope. The people in work in a group on a day are the group's spells
    covering that day: a worker's spells of one group share no day (two placements open at once in the
    group are one spell), so COUNT(*) of them is COUNT(DISTINCT worker) of the open placements."""
    kind = one_township if _one_township(scope) else whole
    return scope.rows(WorkSpell.objects.filter(kind=kind), "township")


def period_figures(scope: Scope, period, previous, on: date, previous_on: date) -> dict:
    """For `period` and `previous` (keys "current", "previous"): people in work on the period's day
    (`on`, `previous_on`; the work spells), referrals decided and hired, training completions, returnees
    and placements started. Five queries (wages come from `payroll_by_month_and_workshop`)."""
    placements = spells(scope, Kind.COUNTY, Kind.TOWNSHIP).aggregate(
        in_work=Count("start_date", filter=open_placements_condition(on)),
        in_work_before=Count("start_date", filter=open_placements_condition(previous_on)),
    )  # a column of the index (never null), not the primary key: an index-only scan of work_spell_count
    placements.update(scope.rows(Placement.objects.all(), PLACEMENT_TOWNSHIP).aggregate(
        made=Count("pk", filter=_within("start_date", period)),
        made_before=Count("pk", filter=_within("start_date", previous)),
    ))
    decided = ~Q(outcome=ReferralOutcome.PENDING)
    hired = Q(outcome=ReferralOutcome.HIRED)
    referrals = scope.rows(Referral.objects.all(), "post__workshop__village__township").aggregate(
        decided=Count("pk", filter=decided & _within("decided_on", period)),
        hired=Count("pk", filter=hired & _within("decided_on", period)),
        decided_before=Count("pk", filter=decided & _within("decided_on", previous)),
        hired_before=Count("pk", filter=hired & _within("decided_on", previous)),
    )
    trainings = scope.rows(TrainingCompletion.objects.all(), "worker__village__township").aggregate(
        n=Count("pk", filter=_within("completed_on", period)),
        before=Count("pk", filter=_within("completed_on", previous)))
    returnees = scope.rows(Returnee.objects.all(), "worker__village__township").aggregate(
        n=Count("pk", filter=_within("returned_on", period)),
        before=Count("pk", filter=_within("returned_on", previous)))

    def pick(suffix):
        return {
            "people_employed": placements["in_work" + suffix],
            "placements_made": placements["made" + suffix],
            "referrals_decided": referrals["decided" + suffix],
            "referrals_hired": referrals["hired" + suffix],
            "trainings": trainings["n" if not suffix else "before"],
            "returnees": returnees["n" if not suffix else "before"],
        }

    return {"current": pick(""), "previous": pick("_before")}


def by_township(scope: Scope, period, on: date) -> dict[str, dict]:
    """{"people_employed", "reserved_filled"}: each {township_id: value} (one query over the work spells).
    A reserved post is filled by a poverty-alleviated or monitored worker (ASSISTED_CATEGORIES) in a
    placement open on `on` (counted per placement)."""
    rows = (scope.rows(WorkSpell.objects.filter(open_placements_condition(on),
                                                kind__in=[Kind.TOWNSHIP, Kind.RESERVED]), "township")
            .values_list("kind", "township").annotate(n=Count("start_date")).values_list("kind", "township", "n"))
    figures = {Kind.TOWNSHIP: {}, Kind.RESERVED: {}}
    for kind, township, n in rows:
        figures[kind][township] = n
    return {"people_employed": figures[Kind.TOWNSHIP], "reserved_filled": figures[Kind.RESERVED]}


def payroll_by_month_and_workshop(scope: Scope, first: date, last_day: date) -> list[tuple]:
    """[(month, workshop_id, payslips, wages total)] for the months from `first` to `last_day`, from the
    monthly facts (dashboard.facts keeps them; one query over a row per month and workshop), from which
    the board takes the average wage of any period, township or month and the payroll total."""
    return list(scope.rows(PayrollFact.objects.filter(month__gte=first, month__lte=last_day),
                           "workshop__village__township")
                .values_list("month", "workshop_id", "payslips", "wages"))


def people_paid_by_month(scope: Scope, first: date, last_day: date) -> dict:
    """{month: distinct people paid wages that month} in the scope (a worker paid by two workshops is one
    person), from the monthly facts: the county's row, or the chosen / the officer's township's (one query)."""
    rows = PeopleFact.objects.filter(month__gte=first, month__lte=last_day)
    township = scope.township if scope.township is not None and getattr(scope.user, "is_county", False) else None
    if getattr(scope.user, "is_county", False):
        rows = rows.filter(township=township) if township is not None else rows.filter(township__isnull=True)
    else:
        rows = scope.rows(rows, "township")
    return dict(rows.order_by().values_list("month", "people"))


def placements_by_month(scope: Scope, first: date, last_day: date) -> list[tuple]:
    """[(month, placements started)] from `first` to `last_day` (one query)."""
    return list(scope.rows(Placement.objects.filter(start_date__gte=first, start_date__lte=last_day),
                           PLACEMENT_TOWNSHIP)
                .annotate(m=TruncMonth("start_date")).values_list("m").annotate(n=Count("pk")).values_list("m", "n"))


def in_work_by_industry(scope: Scope, on: date) -> dict[str, int]:
    """{industry: distinct workers in work on `on` in that industry's workshops} (one query over the work
    spells)."""
    return dict(spells(scope, Kind.INDUSTRY, Kind.TOWNSHIP_INDUSTRY).filter(open_placements_condition(on))
                .values_list("industry").annotate(n=Count("start_date")).values_list("industry", "n"))
