"""Workshops' figures for the dashboard: certified workshops on a day, posts, open difficulties."""

from datetime import date

from django.db.models import Count, Q, Sum

from workshops.choices import DifficultyStatus, WorkshopKind
from workshops.models import Difficulty, Post, Workshop
from workshops.selectors import certified_workshops

from . import Scope

TOWNSHIP = "village__township"


def certified_on(scope: Scope, on: date) -> dict:
    """Workshops certified on `on`: {"total", "assistance", "processing", "by_township": {township_id: n},
    "by_industry": {industry: n}} (one query, grouped by township, industry and kind)."""
    rows = (scope.rows(certified_workshops(on), TOWNSHIP).values_list(TOWNSHIP, "industry", "kind")
            .annotate(n=Count("pk")).values_list(TOWNSHIP, "industry", "kind", "n"))
    figures = {"total": 0, "assistance": 0, "processing": 0, "by_township": {}, "by_industry": {}}
    for township, industry, kind, n in rows:
        figures["total"] += n
        if kind == WorkshopKind.ASSISTANCE:
            figures["assistance"] += n
        elif kind == WorkshopKind.PROCESSING:
            figures["processing"] += n
        figures["by_township"][township] = figures["by_township"].get(township, 0) + n
        figures["by_industry"][industry] = figures["by_industry"].get(industry, 0) + n
    return figures


def certified_by_kind(scope: Scope, on: date) -> dict:
    """Workshops certified on `on`: {"total", "assistance", "processing"} (one query)."""
    counts = scope.rows(certified_workshops(on), TOWNSHIP).aggregate(
        total=Count("pk"),
        assistance=Count("pk", filter=Q(kind=WorkshopKind.ASSISTANCE)),
        processing=Count("pk", filter=Q(kind=WorkshopKind.PROCESSING)),
    )
    return counts


def posts(scope: Scope) -> dict:
    """The places operators offer today (posts keep no history): {"places", "reserved", "by_township":
    {township_id: places}} (one query, grouped by township and reserved)."""
    path = "workshop__" + TOWNSHIP
    rows = (scope.rows(Post.objects.all(), path).values_list(path, "reserved").annotate(n=Sum("headcount"))
            .values_list(path, "reserved", "n"))
    figures = {"places": 0, "reserved": 0, "by_township": {}}
    for township, reserved, n in rows:
        n = n or 0
        figures["places"] += n
        if reserved:
            figures["reserved"] += n
        figures["by_township"][township] = figures["by_township"].get(township, 0) + n
    return figures


def open_difficulties_by_township(scope: Scope) -> dict[str, int]:
    """{township_id: open difficulties} (one query)."""
    return dict(scope.rows(Difficulty.objects.filter(status=DifficultyStatus.OPEN), "workshop__" + TOWNSHIP)
                .values_list("workshop__" + TOWNSHIP).annotate(n=Count("pk"))
                .values_list("workshop__" + TOWNSHIP, "n"))


def townships_of_workshops() -> dict[int, int]:
    """{workshop_id: township_id} for every workshop (one small query): a lookup for figures already
    read within the user's scope, never shown by itself."""
    return dict(Workshop.objects.order_by().values_list("pk", "village__township_id"))
