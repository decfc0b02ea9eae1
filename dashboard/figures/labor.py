"""Labour figures for the dashboard: people in work on a day, wages, referrals, trainings, returnees and
placements within a period and the one before it, by township, by month and by industry."""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from labor.choices import ASSISTED_CATEGORIES, ReferralOutcome
from labor.models import Placement, Referral, Returnee, TrainingCompletion
from labor.selectors import open_placements_condition

from ..models import PayrollFact, PeopleFact
from . import Scope

PLACEMENT_TOWNSHIP = "workshop__village__township"
PAYROLL_TOWNSHIP = "placement__workshop__village__township"


def _within(field: str, period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def period_figures(scope: Scope, period, previous, on: date, previous_on: date) -> dict:
    """For `period` and `previous` (keys "current", "previous"): people in work on the period's day
    (`on`, `previous_on`), referrals decided and hired, training completions, returnees and placements
    started. Four queries (wages come from `payroll_by_month_and_workshop`)."""
    placements = scope.rows(Placement.objects.all(), PLACEMENT_TOWNSHIP).aggregate(
        in_work=Count("worker", distinct=True, filter=open_placements_condition(on)),
        in_work_before=Count("worker", distinct=True, filter=open_placements_condition(previous_on)),
        made=Count("pk", filter=_within("start_date", period)),
        made_before=Count("pk", filter=_within("start_date", previous)),
    )
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
    """{"people_employed", "reserved_filled"}: each {township_id: value} (one query).
    A reserved post is filled by a poverty-alleviated or monitored worker in a placement open on `on`."""
    open_now = open_placements_condition(on)
    in_work = scope.rows(Placement.objects.filter(open_now), PLACEMENT_TOWNSHIP).values_list(
        PLACEMENT_TOWNSHIP).annotate(
        people=Count("worker", distinct=True),
        reserved=Count("pk", filter=Q(post__reserved=True, worker__category__in=ASSISTED_CATEGORIES)),
    ).values_list(PLACEMENT_TOWNSHIP, "people", "reserved")
    people, reserved = {}, {}
    for township, n_people, n_reserved in in_work:
        people[township], reserved[township] = n_people, n_reserved
    return {"people_employed": people, "reserved_filled": reserved}


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
    """{industry: distinct workers in work on `on` in that industry's workshops} (one query)."""
    return dict(scope.rows(Placement.objects.filter(open_placements_condition(on)), PLACEMENT_TOWNSHIP)
                .values_list("workshop__industry").annotate(n=Count("worker", distinct=True))
                .values_list("workshop__industry", "n"))
