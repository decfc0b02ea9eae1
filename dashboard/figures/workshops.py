"""Workshops' figures for the dashboard: certified workshops on a day, posts, open difficulties."""

from datetime import date

from django.db.models import Count, Q, Sum

from workshops.choices import DifficultyStatus, WorkshopKind
from workshops.models import Difficulty, Post, Workshop
from workshops.selectors import certified_workshops

from . import Scope

TOWNSHIP = "village__township"


def certified_by_kind(scope: Scope, on: date) -> dict:
    """Workshops certified on `on`: {"total", "assistance", "processing"} (one query)."""
    counts = scope.rows(certified_workshops(on), TOWNSHIP).aggregate(
        total=Count("pk"),
        assistance=Count("pk", filter=Q(kind=WorkshopKind.ASSISTANCE)),
        processing=Count("pk", filter=Q(kind=WorkshopKind.PROCESSING)),
    )
    return counts


def posts(scope: Scope) -> dict:
    """The places operators offer today (posts keep no history): {"places", "reserved"} (one query)."""
    sums = scope.rows(Post.objects.all(), "workshop__" + TOWNSHIP).aggregate(
        places=Sum("headcount"), reserved=Sum("headcount", filter=Q(reserved=True)))
    return {"places": sums["places"] or 0, "reserved": sums["reserved"] or 0}


def by_township(scope: Scope, on: date) -> dict[str, dict]:
    """{"workshops": {township_id: n certified on `on`}, "posts": {...}, "open_difficulties": {...}}
    (three queries)."""
    certified = dict(scope.rows(certified_workshops(on), TOWNSHIP).values_list(TOWNSHIP)
                     .annotate(n=Count("pk")).values_list(TOWNSHIP, "n"))
    places = dict(scope.rows(Post.objects.all(), "workshop__" + TOWNSHIP).values_list("workshop__" + TOWNSHIP)
                  .annotate(n=Sum("headcount")).values_list("workshop__" + TOWNSHIP, "n"))
    difficulties = dict(scope.rows(Difficulty.objects.filter(status=DifficultyStatus.OPEN), "workshop__" + TOWNSHIP)
                        .values_list("workshop__" + TOWNSHIP).annotate(n=Count("pk"))
                        .values_list("workshop__" + TOWNSHIP, "n"))
    return {"workshops": certified, "posts": places, "open_difficulties": difficulties}


def certified_by_industry(scope: Scope, on: date) -> dict[str, int]:
    """{industry: workshops certified on `on`} (one query)."""
    return dict(scope.rows(certified_workshops(on), TOWNSHIP).values_list("industry")
                .annotate(n=Count("pk")).values_list("industry", "n"))


def townships_of_workshops() -> dict[int, int]:
    """{workshop_id: township_id} for every workshop (one small query): a lookup for figures already
    read within the user's scope, never shown by itself."""
    return dict(Workshop.objects.order_by().values_list("pk", "village__township_id"))
