"""Reads for labour services: scoped querysets for pages, API and exports, and the figures."""

from datetime import date

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scoping import scoped

from .choices import ASSISTED_CATEGORIES, ReferralOutcome
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


def referral_list(*, user):
    return scoped(Referral.objects.select_related("worker", "post__workshop", "broker__user", "placement"), user)


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
