"""Reads for workshops: scoped querysets, the certification state on a date, the workforce on a date."""

from datetime import date

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scoping import scoped

from .choices import CertificationAction, DifficultyStatus, WorkshopKind
from .models import CertificationEvent, Difficulty, Liaison, Post, Workshop

# Worker categories (labor.choices) that count as "assisted" for certification; named here because
# workshops sits below labor and may not import it.
ASSISTED_CATEGORIES = ("poverty_alleviated", "monitored")


def _latest_action_on(on: date):
    """Subquery: the action of a workshop's latest certification event effective on or before `on`
    (ties on the date: the later-recorded event wins)."""
    return Subquery(
        CertificationEvent.objects.filter(workshop=OuterRef("pk"), effective_date__lte=on)
        .order_by("-effective_date", "-id")
        .values("action")[:1]
    )


def certified_workshops(on: date):
    """Workshops certified on `on` (not revoked on or before it), as a queryset to filter or join."""
    return Workshop.objects.annotate(_action_on=_latest_action_on(on)).filter(
        _action_on=CertificationAction.CERTIFIED
    )


def certified_workshop_ids(on: date) -> set[int]:
    """The ids of the workshops certified on `on`, in one query (for the subsidy calculation:
    pass the month's last day)."""
    return set(certified_workshops(on).order_by().values_list("pk", flat=True))


def open_placements_condition(on: date, prefix: str = "") -> Q:
    """Placements open on `on`: started on or before it and not ended before it."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def workforce_on(workshop: Workshop, on: date) -> dict:
    """Distinct workers in placements open on `on`, and how many of them are assisted (one query)."""
    return workshop.placements.filter(open_placements_condition(on)).aggregate(
        workers=Count("worker", distinct=True),
        assisted=Count("worker", distinct=True, filter=Q(worker__category__in=ASSISTED_CATEGORIES)),
    )


def criteria_thresholds() -> dict:
    return {
        "min_workers": settings.WORKSHOP_CERT_MIN_WORKERS,
        "min_assisted": settings.WORKSHOP_CERT_MIN_ASSISTED,
        "min_share": settings.WORKSHOP_CERT_MIN_ASSISTED_SHARE,
    }


def _headcount_today():
    """Subquery: distinct workers in the workshop's placements open today."""
    from django.apps import apps

    placement = apps.get_model("labor", "Placement")  # string reference: labor sits above workshops
    today = timezone.localdate()
    return Coalesce(
        Subquery(
            placement.objects.filter(open_placements_condition(today), workshop=OuterRef("pk"))
            .order_by()
            .values("workshop")
            .annotate(n=Count("worker", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def workshop_list(*, user):
    return scoped(Workshop.objects.select_related("enterprise", "village__township"), user).annotate(
        headcount=_headcount_today()
    )


def workshop_get(*, user, pk) -> Workshop:
    return workshop_list(user=user).get(pk=pk)


def certification_history(*, workshop: Workshop):
    return workshop.certification_events.select_related("actor").order_by("-effective_date", "-id")


def post_list(*, user):
    return scoped(Post.objects.select_related("workshop__village__township"), user)


def liaison_list(*, user):
    return scoped(Liaison.objects.select_related("workshop__village__township"), user)


def difficulty_list(*, user):
    return scoped(Difficulty.objects.select_related("workshop__village__township"), user)


def open_difficulties(*, workshop: Workshop):
    return workshop.difficulties.filter(status=DifficultyStatus.OPEN).order_by("raised_on", "id")


def workshop_figures(*, user, on: date | None = None) -> dict:
    """For the dashboard, within the user's scope (three aggregate queries): workshops certified on
    `on` (default today) by kind, the places their operators offer (all posts' headcount, and those
    reserved for poverty-alleviated or monitored people), and difficulties open and resolved."""
    on = on or timezone.localdate()
    certified = scoped(certified_workshops(on), user).order_by().aggregate(
        total=Count("pk"),
        assistance=Count("pk", filter=Q(kind=WorkshopKind.ASSISTANCE)),
        processing=Count("pk", filter=Q(kind=WorkshopKind.PROCESSING)),
    )
    posts = scoped(Post.objects.all(), user).order_by().aggregate(
        places=Sum("headcount"), reserved=Sum("headcount", filter=Q(reserved=True)))
    difficulties = scoped(Difficulty.objects.all(), user).order_by().aggregate(
        open=Count("pk", filter=Q(status=DifficultyStatus.OPEN)),
        resolved=Count("pk", filter=Q(status=DifficultyStatus.RESOLVED)),
    )
    return {
        "certified_workshops": certified["total"],
        "assistance_workshops": certified["assistance"],
        "processing_workshops": certified["processing"],
        "posts": posts["places"] or 0,
        "reserved_posts": posts["reserved"] or 0,
        "open_difficulties": difficulties["open"],
        "resolved_difficulties": difficulties["resolved"],
    }
