"""Reads for subsidies. Runs are county-wide headers that every signed-in user may list; their
lines, and every total shown to a user below the county, come through the scoped lines."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import scoped
from labor.models import Payroll
from workshops.models import Workshop

from .choices import LOCKED_STATUSES, TIER_COMPONENTS, Component, LineStatus, RunStatus
from .models import Policy, RunNotice, SubsidyLine, SubsidyReport, SubsidyRun

ZERO = Decimal("0.00")
TOTAL_KEYS = (*Component.values, "payable", "withheld")


def run_list(*, user):
    return SubsidyRun.objects.select_related("policy", "created_by", "submitted_by", "approved_by", "paid_by"
                                             ).prefetch_related(Prefetch("notices", queryset=_notices(user),
                                                                         to_attr="scoped_notices"))


def _notices(user):
    return scoped(RunNotice.objects.select_related("township", "village", "posted_by")
                  .order_by("township__code", "village_id", "id"), user)


def run_notices(*, run: SubsidyRun, user) -> list:
    """The run's public notices recorded as posted, in `user`'s scope (the run's history)."""
    return list(_notices(user).filter(run=run))


def run_get(*, user, pk) -> SubsidyRun:
    return get_object_or_404(run_list(user=user), pk=pk)


def run_named(*, pk) -> SubsidyRun:
    """The run for a page that only names it (its month and kind): no users joined, no notices read."""
    return get_object_or_404(SubsidyRun.objects.only("month", "kind"), pk=pk)


def gap_months(*, user) -> list:
    """Past months with payroll but no approved (or paid) run: shown on the runs list, so a month
    left behind is seen. They block nothing; each month's limits count what was approved."""
    current = timezone.localdate().replace(day=1)
    # The distinct payroll months by a loose index scan: a recursive CTE steps down the month index, one
    # probe per month (0.3 ms at scale 1), where DISTINCT over every payroll row took 87 ms.
    from django.db import connection

    table = connection.ops.quote_name(Payroll._meta.db_table)
    month = Payroll._meta.get_field("month")
    column = connection.ops.quote_name(month.column)

    def below(bound):
        return f"(SELECT {column} FROM {table} WHERE {column} < {bound} ORDER BY {column} DESC LIMIT 1)"

    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE months(m) AS (SELECT {below('%s')} UNION ALL SELECT {below('months.m')} "
                       "FROM months WHERE months.m IS NOT NULL) SELECT m FROM months WHERE m IS NOT NULL",
                       [month.get_db_prep_value(current, connection)])
        with_payroll = {month.to_python(value) for (value,) in cursor.fetchall()}
    decided = set(SubsidyRun.objects.filter(status__in=LOCKED_STATUSES).order_by().values_list("month", flat=True))
    return sorted(with_payroll - decided)


def line_list(*, user):
    return scoped(
        SubsidyLine.objects.select_related("run", "township", "workshop", "worker", "enterprise", "cleared_by"), user
    )


def line_api_list(*, user):
    """Lines as the API gives them: the run (its month) and the township (its code) joined, every other
    relation an id. Each further join multiplies PostgreSQL's planning (six of them: 25 ms to plan a
    1 ms query)."""
    return line_list(user=user).select_related(None).select_related("run", "township")


def run_line_rows(*, user, run):
    """A run's lines as its lines page lists them, joining only what the table shows."""
    return (line_list(user=user).select_related(None).select_related("township", "workshop", "worker")
            .filter(run=run).order_by("id"))


def _money(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def run_totals(*, run: SubsidyRun, user) -> dict:
    """Totals by component plus payable and withheld. County users get the run's stored totals;
    anyone else the totals of the lines in their scope (one aggregate query)."""
    if user.is_county:
        return {
            **{c: _money(getattr(run, f"{c}_total")) for c in Component.values},
            "payable": _money(run.payable_total),
            "withheld": _money(run.withheld_total),
        }
    sums = line_list(user=user).filter(run=run).aggregate(
        **{c: Sum("amount", filter=Q(component=c)) for c in Component.values},
        payable=Sum("amount", filter=Q(status=LineStatus.PAYABLE)),
        withheld=Sum("amount", filter=Q(status=LineStatus.WITHHELD)),
    )
    return {key: _money(sums[key]) for key in TOTAL_KEYS}


def totals_by_township(*, run: SubsidyRun, user) -> list[dict]:
    """One row per township: amount by component and payable/withheld (one GROUP BY)."""
    rows = (
        line_list(user=user).filter(run=run).order_by()
        .values("township__code", "township__name")
        .annotate(**{c: Sum("amount", filter=Q(component=c)) for c in Component.values},
                  payable=Sum("amount", filter=Q(status=LineStatus.PAYABLE)),
                  withheld=Sum("amount", filter=Q(status=LineStatus.WITHHELD)), lines=Count("id"))
        .order_by("township__code")
    )
    return [{"township": row["township__name"], "lines": row["lines"],
             **{key: _money(row[key]) for key in TOTAL_KEYS}} for row in rows]


def totals_by_workshop(*, run: SubsidyRun, user):
    """(township, workshop, component) rows with line count, payable, withheld: the report's 汇总."""
    return (
        line_list(user=user).filter(run=run).order_by()
        .values("township__code", "township__name", "workshop_id",
                "workshop__name", "component")
        .annotate(lines=Count("id"), payable=Coalesce(Sum("amount", filter=Q(status=LineStatus.PAYABLE)), ZERO),
                  withheld=Coalesce(Sum("amount", filter=Q(status=LineStatus.WITHHELD)), ZERO),
                  total=Sum("amount"))
        .order_by("township__code", "workshop__name", "workshop_id", "component")
    )


def flagged_lines(*, run: SubsidyRun, user):
    return line_list(user=user).filter(run=run).exclude(flags=[]).order_by("status", "workshop_id", "worker_id",
                                                                           "id")


def workshop_for_history(*, user, workshop_id) -> Workshop:
    return get_object_or_404(scoped(Workshop.objects.all(), user), pk=workshop_id)


def workshop_history(*, user, workshop: Workshop) -> list[dict]:
    """The workshop's paid and approved subsidies by month and component (one GROUP BY)."""
    rows = (
        line_list(user=user).filter(workshop=workshop, run__status__in=LOCKED_STATUSES, status=LineStatus.PAYABLE)
        .order_by().values("run__month")
        .annotate(**{c: Sum("amount", filter=Q(component=c)) for c in Component.values}, total=Sum("amount"),
                  lines=Count("id"))
        .order_by("-run__month")
    )
    return [{"month": row["run__month"], "lines": row["lines"], "total": _money(row["total"]),
             **{c: _money(row[c]) for c in Component.values}} for row in rows]


def report_list(*, user):
    return SubsidyReport.objects.filter(requested_by=user).select_related("run")


def report_get(*, user, pk) -> SubsidyReport:
    return get_object_or_404(report_list(user=user), pk=pk)


def policy_list(*, user):
    """Policies are county-wide: every county user reads the same ones (pages check the role)."""
    return Policy.objects.prefetch_related("rules").order_by("-effective_from")


def policy_get(*, user, pk) -> Policy:
    return get_object_or_404(policy_list(user=user), pk=pk)


def subsidy_figures(*, user) -> dict:
    """For the dashboard: what has been paid (runs marked paid), in the user's scope.
    Keys: paid_total (Decimal), tiers_paid_total (the four tiers), paid_by_component {component: Decimal},
    paid_by_year {year: Decimal}."""
    paid = line_list(user=user).filter(run__status=RunStatus.PAID, status=LineStatus.PAYABLE).order_by()
    by_component = dict(paid.values("component").annotate(total=Sum("amount")).values_list("component", "total"))
    by_year = defaultdict(Decimal)
    for year, total in paid.annotate(year=ExtractYear("run__month")).values("year").annotate(
            total=Sum("amount")).values_list("year", "total"):
        by_year[year] = _money(total)
    return {
        "paid_total": _money(sum(by_component.values(), ZERO)),
        # The article's 12.68 M yuan counts these four; issue 16's components are reported beside it.
        "tiers_paid_total": _money(sum((by_component.get(c) or ZERO for c in TIER_COMPONENTS), ZERO)),
        "paid_by_component": {c: _money(by_component.get(c)) for c in Component.values},
        "paid_by_year": dict(sorted(by_year.items())),
    }
