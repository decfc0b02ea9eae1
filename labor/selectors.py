"""Reads for labour services: scoped querysets for pages, API and exports, and the figures."""

from datetime import date

from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scoping import scoped
from core.months import month_end, month_start

from .choices import ASSISTED_CATEGORIES, ImportStatus, ReferralOutcome
from .models import (
    Broker,
    Cooperative,
    FollowUp,
    ImportJob,
    JobFair,
    Membership,
    Payroll,
    Placement,
    Referral,
    Returnee,
    Training,
    TrainingCompletion,
    Worker,
)


def open_placements_condition(on: date, prefix: str = "") -> Q:
    """Placements open on `on`: started on or before it and not ended before it."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def workforce_on(workshop, on: date) -> dict:
    """Distinct workers in the workshop's placements open on `on`, and how many of them are assisted
    (ASSISTED_CATEGORIES), in one query. Registered with workshops (labor.apps) for certification."""
    return Placement.objects.filter(open_placements_condition(on), workshop=workshop).aggregate(
        workers=Count("worker", distinct=True),
        assisted=Count("worker", distinct=True, filter=Q(worker__category__in=ASSISTED_CATEGORIES)),
    )


def headcount_on(on: date, workshop_ref: OuterRef):
    """Subquery (0 when none): distinct workers in placements open on `on` at the workshop
    `workshop_ref` points to. Registered with workshops (labor.apps) for its lists."""
    return Coalesce(
        Subquery(
            Placement.objects.filter(open_placements_condition(on), workshop=workshop_ref)
            .order_by()
            .values("workshop")
            .annotate(n=Count("worker", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def shows_full_id_number(user) -> bool:
    """Only county staff see whole ID numbers; everyone else sees `511781********123X`."""
    return bool(getattr(user, "is_county", False))


def worker_list(*, user):
    return scoped(Worker.objects.select_related("village__township"), user)


def cooperative_list(*, user):
    return scoped(Cooperative.objects.select_related("township").annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))).order_by("township", "name"),
        user)


def membership_list(*, user):
    return scoped(Membership.objects.select_related("worker", "cooperative").order_by("-joined_on", "-id"), user)


def broker_list(*, user):
    # ordered: the API paginates it (an unordered page may repeat or skip brokers)
    return scoped(Broker.objects.select_related("user", "village__township", "cooperative"), user).order_by("id")


def placement_list(*, user):
    return scoped(Placement.objects.select_related("worker", "workshop__village__township", "post__workshop",
                                                   "broker__user"), user)


def payroll_list(*, user):
    return scoped(Payroll.objects.select_related("placement__worker", "placement__workshop"), user)


def payroll_api_list(*, user):
    """Payslips as the API gives them: the placement joined for its worker and workshop ids, not the
    worker's and workshop's rows (two model instances and four timestamps a row the answer never reads)."""
    return payroll_list(user=user).select_related(None).select_related("placement")


def referral_list(*, user):
    return scoped(Referral.objects.select_related("worker", "post__workshop", "broker__user", "placement"), user)


def recent_referrals(*, user, limit: int):
    """The broker's own latest referrals as their home lists them: the worker and the post's workshop
    joined, nothing else (every further join multiplies PostgreSQL's planning: 5 ms for a 1 ms query)."""
    return list(referral_list(user=user).select_related(None).select_related("worker", "post__workshop")
                .filter(broker__user=user)[:limit])


def follow_up_list(*, user):
    return scoped(FollowUp.objects.select_related("placement__worker", "placement__workshop", "visited_by"), user)


def job_fair_list(*, user):
    return scoped(JobFair.objects.select_related("township").prefetch_related("workshops").annotate(
        placement_count=Count("placements", distinct=True)).order_by("-date", "title"), user)


def training_list(*, user):
    return scoped(Training.objects.select_related("organizer_workshop", "organizer_enterprise"), user)


def training_completion_list(*, user):
    return scoped(TrainingCompletion.objects.select_related("training", "worker").order_by("-completed_on", "-id"),
                  user)


def returnee_list(*, user):
    return scoped(Returnee.objects.select_related("worker__village__township", "enterprise"), user)


def worker_records(*, user, worker) -> dict:
    """What a worker's page lists of them: each list's own rows (scoped as on its page), joined only to what
    the page shows of them; the lists' selectors join everything their tables show, 3,000 characters of SQL
    to build for each."""
    return {
        "placements": placement_list(user=user).filter(worker=worker)
        .select_related(None).select_related("workshop", "post").prefetch_related("follow_ups"),
        "referrals": referral_list(user=user).filter(worker=worker).select_related(None)
        .select_related("post__workshop"),
        "memberships": membership_list(user=user).filter(worker=worker).select_related(None)
        .select_related("cooperative"),
        "completions": training_completion_list(user=user).filter(worker=worker).select_related(None)
        .select_related("training"),
        "returns": returnee_list(user=user).filter(worker=worker).select_related(None).select_related("enterprise"),
    }


def import_list(*, user):
    """Import reports belong to their uploader; county staff see all."""
    queryset = ImportJob.objects.select_related("created_by")
    return queryset if shows_full_id_number(user) else queryset.filter(created_by=user.pk)


def match_rate(referrals) -> dict:
    counts = referrals.aggregate(
        hired=Count("pk", filter=Q(outcome=ReferralOutcome.HIRED)),
        decided=Count("pk", filter=~Q(outcome=ReferralOutcome.PENDING)),
        pending=Count("pk", filter=Q(outcome=ReferralOutcome.PENDING)),
    )
    counts["match_rate"] = round(counts["hired"] / counts["decided"], 4) if counts["decided"] else None
    return counts


def broker_summary(*, user) -> dict:
    """A broker's own referrals and match rate."""
    return match_rate(Referral.objects.filter(broker__user=user))


def labour_figures(*, user, township=None) -> dict:
    """The labour figures for the dashboard, within the user's scope (optionally one township):
    a handful of aggregate queries whatever the data size."""
    from workshops.models import Post  # workshops sits below labor: a plain import is allowed

    today = timezone.localdate()
    workers, placements = worker_list(user=user), placement_list(user=user)
    referrals, payroll = referral_list(user=user), payroll_list(user=user)
    posts = scoped(Post.objects.all(), user)
    job_fairs, completions = scoped(JobFair.objects.all(), user), training_completion_list(user=user)
    returnees = returnee_list(user=user)
    if township is not None:
        job_fairs = job_fairs.filter(township=township)
        completions = completions.filter(worker__village__township=township)
        returnees = returnees.filter(worker__village__township=township)
        workers = workers.filter(village__township=township)
        placements = placements.filter(workshop__village__township=township)
        referrals = referrals.filter(post__workshop__village__township=township)
        payroll = payroll.filter(placement__workshop__village__township=township)
        posts = posts.filter(workshop__village__township=township)
    open_now = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    placement_counts = placements.aggregate(total=Count("pk"), open=Count("pk", filter=open_now),
                                            workers_in_work=Count("worker", filter=open_now, distinct=True))
    by_source = dict(placements.order_by().values_list("source").annotate(n=Count("pk")))
    by_category = dict(workers.order_by().values_list("category").annotate(n=Count("pk")))
    latest = payroll.order_by("-month").values_list("month", flat=True).first()
    average_wage = payroll.filter(month=latest).aggregate(a=Avg("wage_paid"))["a"] if latest else None
    reserved_headcount = posts.filter(reserved=True).aggregate(n=Sum("headcount"))["n"] or 0
    reserved_filled = placements.filter(open_now, post__reserved=True,
                                        worker__category__in=ASSISTED_CATEGORIES).count()
    referral_counts = match_rate(referrals)
    returnee_counts = returnees.aggregate(n=Count("pk"), enterprises=Count("enterprise", distinct=True))
    return {
        "workers": sum(by_category.values()),
        "workers_by_category": by_category,
        "placements": placement_counts["total"],
        "open_placements": placement_counts["open"],
        "workers_in_work": placement_counts["workers_in_work"],
        "placements_by_source": by_source,
        "referrals_hired": referral_counts["hired"],
        "referrals_decided": referral_counts["decided"],
        "referrals_pending": referral_counts["pending"],
        "match_rate": referral_counts["match_rate"],
        "payroll_month": latest,
        "average_monthly_wage": round(average_wage, 2) if average_wage is not None else None,
        "reserved_posts": reserved_headcount,
        "reserved_posts_filled": reserved_filled,
        "reserved_fill_rate": round(reserved_filled / reserved_headcount, 4) if reserved_headcount else None,
        "job_fairs": job_fairs.count(),
        "training_completions": completions.count(),
        "returnees": returnee_counts["n"],
        "returnee_enterprises": returnee_counts["enterprises"],
    }


# East labour cooperation (labor.models.outbound) -------------------------------------------------------

def east_post_list(*, user):
    """East posts are county-wide reference data: every signed-in user reads them all."""
    from .models import EastPost

    return EastPost.objects.select_related("enterprise").annotate(
        placement_count=Count("placements", distinct=True)).order_by("-is_open", "title", "id")


def outbound_referral_list(*, user):
    from .models import OutboundReferral

    return scoped(OutboundReferral.objects.select_related(
        "worker__village__township", "east_post__enterprise", "broker__user", "placement"), user)


def outbound_placement_list(*, user):
    from .models import OutboundPlacement

    return scoped(OutboundPlacement.objects.select_related(
        "worker__village__township", "enterprise", "east_post", "broker__user"), user)


def outbound_visit_list(*, user):
    from .models import OutboundVisit

    return scoped(OutboundVisit.objects.select_related(
        "placement__worker__village__township", "placement__enterprise", "visited_by"), user)


def outbound_working_condition(on: date, prefix: str = "") -> Q:
    """In the east on `on`: started on or before it and not back yet (the return date is the first day home)."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}return_date__isnull": True}) | Q(**{f"{prefix}return_date__gt": on}))


def outbound_working(user, on: date | None = None):
    """The outbound placements of the workers in the east on `on` (default today), in `user`'s scope:
    one row per worker (a worker has one job there at a time), so `.count()` is the workers in the east."""
    return outbound_placement_list(user=user).filter(outbound_working_condition(on or timezone.localdate()))


def outbound_visits_overdue(*, user, on: date | None = None):
    """Placements still in the east whose 1-, 3- or 6-month visit was due on or before `on` (default
    today) and is not recorded, with `overdue_1`, `overdue_3`, `overdue_6` (booleans) and `overdue_count`."""
    from django.db.models import BooleanField, Case, Exists, When

    from core.months import latest_start_due_by

    from .models import OutboundVisit
    from .models.outbound import VISIT_MONTHS

    on = on or timezone.localdate()
    annotations, overdue_any = {}, Q()
    for months in VISIT_MONTHS:
        done = Exists(OutboundVisit.objects.filter(placement=OuterRef("pk"), milestone=months))
        due = Q(start_date__lte=latest_start_due_by(on, months))
        annotations[f"visited_{months}"] = done
        annotations[f"overdue_{months}"] = Case(When(due & Q(**{f"visited_{months}": False}), then=Value(True)),
                                                default=Value(False), output_field=BooleanField())
        overdue_any |= due & Q(**{f"visited_{months}": False})
    queryset = outbound_placement_list(user=user).filter(return_date__isnull=True).alias(
        **{k: v for k, v in annotations.items() if k.startswith("visited_")})
    queryset = queryset.annotate(**{k: v for k, v in annotations.items() if k.startswith("overdue_")})
    return queryset.filter(overdue_any).order_by("start_date", "id")


def transport_subsidy_due(month: date, months: int = 3) -> list[dict]:
    """The one-time cross-province transport subsidy's rows for `month` (any day of it): every outbound
    placement of a poverty-alleviated or monitored worker (their category now) whose `months`-month mark
    (start date + `months` months, core.months.months_after; the policy's figure, 3 by default)
    falls in that month, unless they came home before the mark. A placement's mark lies in exactly one
    month, so each placement is due once, whatever order the months are asked in. County-wide (the
    calculation's own scope); one query.

    Rows: {"outbound_placement_id", "worker_id", "township_id", "completed_on"}; the subsidy run's
    `transport_subsidy` component (subsidies.services.calculation) pays them."""
    from core.months import latest_start_due_by, month_end, month_start, months_after

    from .models import OutboundPlacement

    first = month_start(month)
    last_start = latest_start_due_by(month_end(first), months)
    before = latest_start_due_by(date.fromordinal(first.toordinal() - 1), months)
    rows = OutboundPlacement.objects.filter(
        start_date__gt=before, start_date__lte=last_start, worker__category__in=ASSISTED_CATEGORIES,
    ).order_by("id").values_list("id", "worker_id", "worker__village__township_id", "start_date", "return_date")
    due = []
    for pk, worker_id, township_id, start_date, return_date in rows:
        completed_on = months_after(start_date, months)
        if return_date is not None and return_date < completed_on:
            continue
        due.append({"outbound_placement_id": pk, "worker_id": worker_id, "township_id": township_id,
                    "completed_on": completed_on})
    return due


# --- what waits for people (dashboard.todo reads these; the list filters name the same rows) ---------

def without_payroll(placements, month: date):
    """Of `placements`, those open at some time in `month` with no payroll row for it: the payroll a
    workshop has still to enter (PlacementFilterSet's `payroll_missing`)."""
    first, last = month_start(month), month_end(month)
    return placements.filter(Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))).exclude(
        Exists(Payroll.objects.filter(placement=OuterRef("pk"), month=first)))


def placements_without_payroll(*, user, month: date):
    return without_payroll(placement_list(user=user), month)


def pending_referrals(*, user, mine: bool = False):
    """Referrals in the user's scope awaiting a workshop's decision; `mine`: only those the user proposed
    as a broker (ReferralFilterSet's `mine`)."""
    referrals = referral_list(user=user).filter(outcome=ReferralOutcome.PENDING)
    return referrals.filter(broker__user=user) if mine else referrals


def imports_awaiting_confirmation(*, user):
    """The user's own imports checked and waiting for "import" or "import nothing"."""
    return import_list(user=user).filter(status=ImportStatus.PREVIEW, created_by=user.pk)
