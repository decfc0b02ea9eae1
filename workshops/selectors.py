"""Reads for workshops: scoped querysets, the certification state on a date, the workforce on a date.

The workforce (who works at a workshop) is labor's: labor sits above workshops, so workshops may not
import it nor look its models up. Labor registers its figures here when it is ready
(`labor.apps.LaborConfig.ready` calls `register_workforce`); workshops asks through `workforce_on`
and `workshop_list`'s headcount and knows nothing of placements or worker categories."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Expression, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from accounts.scoping import scoped

from .choices import CertificationAction, DifficultyStatus, WorkshopKind, WorkshopStatus
from .models import CertificationEvent, Difficulty, Liaison, Post, Workshop


@dataclass(frozen=True)
class WorkforceSource:
    """What the app that holds the workforce tells workshops.
    `workforce_on(workshop, on)` → {"workers": distinct workers in placements open on `on`, "assisted":
    how many of them count as assisted for certification}; `headcount_on(on, workshop_ref)` → an
    expression (0 when none) of the distinct workers open on `on` at the workshop `workshop_ref`
    (an OuterRef to a workshop's pk) points to, to annotate a workshop queryset with."""

    workforce_on: Callable[[Workshop, date], dict]
    headcount_on: Callable[[date, OuterRef], Expression]


_workforce: WorkforceSource | None = None


def register_workforce(source: WorkforceSource) -> None:
    global _workforce
    _workforce = source


def _source() -> WorkforceSource:
    if _workforce is None:
        raise ImproperlyConfigured("No workforce source is registered with workshops: is `labor` installed?")
    return _workforce


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


def workforce_on(workshop: Workshop, on: date) -> dict:
    """{"workers", "assisted"}: distinct workers in placements open on `on`, and how many of them are
    assisted (one query, by the registered workforce source)."""
    return _source().workforce_on(workshop, on)


def criteria_thresholds() -> dict:
    return {
        "min_workers": settings.WORKSHOP_CERT_MIN_WORKERS,
        "min_assisted": settings.WORKSHOP_CERT_MIN_ASSISTED,
        "min_share": settings.WORKSHOP_CERT_MIN_ASSISTED_SHARE,
    }


def workshop_list(*, user):
    """The user's workshops, each with `headcount`: distinct workers in its placements open today."""
    return scoped(Workshop.objects.select_related("enterprise", "village__township"), user).annotate(
        headcount=_source().headcount_on(timezone.localdate(), OuterRef("pk"))
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


def workshops_awaiting_certification(*, user):
    """Workshops in the user's scope that applied and are neither certified nor revoked (dashboard.todo;
    the workshop list's `?status=applied` shows the same rows)."""
    return scoped(Workshop.objects.filter(status=WorkshopStatus.APPLIED), user)
