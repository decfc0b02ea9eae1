"""Demo data: calculate the past months of the labour demo's payroll in order, and approve and pay the
oldest of them up to the article's 12.68 M yuan (at scale 1); the next months are left approved,
submitted and in draft, so every step of the workflow has a run to look at, and the most recent months
are left for officials to calculate. With no labour demo data it does nothing.

Every check applies as in production. The labour demo's first payroll month is each workshop's first on
the portal, so it is no headcount jump (it used to withhold nearly all of it); with a third of the
placements insured (labor/demo.py) a month pays about 6.3 M yuan at scale 1, so the two oldest months
pay 12,630,398.40 yuan, 0.4 % under the article's figure (scale 0.1: one month, 669,218.40 yuan).

That figure counts the four tiers only (TIER_COMPONENTS), as the article does. The runs also raise issue 16's
components, reported beside it: the interest subsidy of the loans demo's loans, the transport subsidy of the
east workers who complete 3 months, and the start-up awards of returnee firms. For those, the returnees'
firms get a founding date (some weeks after the founder came home) and their founder's township, and a third
of them take over the operation of one of the county's workshops, whose payroll then counts for them."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accounts.choices import Role
from accounts.demo import demo_user
from accounts.models import User
from accounts.permissions import SYSTEM
from labor.models import Payroll

from . import rules, services
from .choices import TIER_COMPONENTS, Component, LineStatus, RunStatus
from .models import SubsidyLine

ARTICLE_PAID = Decimal("12680000")  # DOMAIN.md: subsidies paid over the programme
AFTER_PAID = (RunStatus.APPROVED, RunStatus.SUBMITTED, RunStatus.DRAFT)


def _people(ctx):
    maker = User.objects.filter(role=Role.COUNTY_OFFICER).order_by("id").first() or demo_user(
        ctx, "subsidy-maker", Role.COUNTY_OFFICER)
    checker = User.objects.filter(role=Role.COUNTY_ADMIN).exclude(pk=maker.pk).order_by("id").first() or demo_user(
        ctx, "subsidy-checker", Role.COUNTY_ADMIN)
    return maker, checker


def _pay(run, maker, checker):
    services.run_submit(actor=maker, run=run)
    services.run_approve(actor=checker, run=run)
    paid_on = min(rules.next_month(run.month) + timedelta(days=9), timezone.localdate())
    return services.run_mark_paid(actor=checker, run=run, voucher=f"WY-{run.month:%Y%m}-001", paid_on=paid_on)


def _release_flags(run, maker):
    """Demo decisions: the county checked the first flagged lines by phone and released them."""
    for line in SubsidyLine.objects.filter(run=run, status=LineStatus.WITHHELD).order_by("id")[:20]:
        services.line_clear(actor=maker, line=line, reason="演示：已电话核实")


def _returnee_firms(ctx) -> None:
    """Founding dates and townships for the returnees' firms; a third of them run a workshop."""
    from industries.models import Enterprise
    from labor.models import Returnee
    from workshops.models import Workshop

    rng = random.Random(f"startups-{ctx.scale}")
    returnees = list(Returnee.objects.filter(enterprise__isnull=False).select_related("enterprise", "worker__village")
                     .order_by("id"))
    firms = []
    for returnee in returnees:
        firm = returnee.enterprise
        if firm.founded_on is None:
            firm.founded_on = returnee.returned_on + timedelta(days=rng.randrange(20, 120))
        if firm.township_id is None:
            firm.township_id = returnee.worker.village.township_id
        firms.append(firm)
    Enterprise.objects.bulk_update(firms, ["founded_on", "township"])
    workshops = list(Workshop.objects.order_by("id").values_list("id", flat=True))
    count = min(len(firms) // 3, max(1, len(workshops) // 5), len(workshops))  # a few: most are others'
    for firm, workshop_id in zip(firms[:count], rng.sample(workshops, count), strict=True):
        Workshop.objects.filter(pk=workshop_id).update(enterprise=firm)
    ctx.log(f"  {len(firms)} returnee firms dated, {count} of them running a workshop")


def _tier_payable(run) -> Decimal:
    """What the run pays of the four tiers (the article's 12.68 M counts those only)."""
    return run.lines.filter(status=LineStatus.PAYABLE, component__in=TIER_COMPONENTS).aggregate(
        t=Sum("amount"))["t"] or Decimal("0")


BESIDE = (Component.LOAN_INTEREST, Component.STARTUP_AWARD, Component.TRANSPORT_SUBSIDY)


def seed(ctx):
    current = timezone.localdate().replace(day=1)
    months = list(Payroll.objects.filter(month__lt=current).order_by("month").values_list("month", flat=True)
                  .distinct())
    if not months:
        ctx.log("  no payroll in the labour demo: no subsidy runs")
        return
    _returnee_firms(ctx)
    maker, checker = _people(ctx)
    target = ARTICLE_PAID * Decimal(str(ctx.scale))
    paid_total, later = Decimal("0"), iter(AFTER_PAID)
    for month in months:
        run, _created = services.run_request(actor=maker, month=month, enqueue=False)
        run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
        if run.status != RunStatus.DRAFT:
            ctx.log(f"  {month:%Y-%m}: {run.status} {run.error}")
            continue
        _release_flags(run, maker)
        run.refresh_from_db()
        tiers = _tier_payable(run)
        if not paid_total or paid_total + tiers <= target:
            run = _pay(run, maker, checker)
            paid_total += tiers
        else:
            stage = next(later)
            if stage != RunStatus.DRAFT:
                run = services.run_submit(actor=maker, run=run)
            if stage == RunStatus.APPROVED:
                run = services.run_approve(actor=checker, run=run)
        ctx.log(f"  {month:%Y-%m}: {run.line_count} lines, {run.payable_total} payable, {run.status}")
        if run.status == RunStatus.DRAFT:
            break
    left = [m for m in months if m > month]
    ctx.log(f"  subsidies paid in all (the four tiers): {paid_total.quantize(rules.CENT)} "
            f"(article: {ARTICLE_PAID} at scale 1)")
    beside = dict(SubsidyLine.objects.filter(run__status=RunStatus.PAID, status=LineStatus.PAYABLE,
                                             component__in=BESIDE).order_by().values_list("component")
                  .annotate(t=Sum("amount")).values_list("component", "t"))
    ctx.log("  paid beside them: " + ", ".join(f"{c} {Decimal(beside.get(c) or 0).quantize(rules.CENT)}"
                                               for c in BESIDE))
    if left:
        ctx.log(f"  {left[0]:%Y-%m} to {left[-1]:%Y-%m} left for officials to calculate")
