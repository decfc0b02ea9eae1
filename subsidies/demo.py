"""Demo data: calculate, approve and mark paid every past month of the labour demo's payroll, so
the dashboard shows subsidies paid. With no labour demo data it does nothing."""

from datetime import timedelta

from django.utils import timezone

from accounts.choices import Role
from accounts.demo import demo_user
from accounts.models import User
from labor.models import Payroll

from . import rules, services
from .models import SubsidyLine


def _people(ctx):
    maker = User.objects.filter(role=Role.COUNTY_OFFICER).order_by("id").first() or demo_user(
        ctx, "subsidy-maker", Role.COUNTY_OFFICER)
    checker = User.objects.filter(role=Role.COUNTY_ADMIN).exclude(pk=maker.pk).order_by("id").first() or demo_user(
        ctx, "subsidy-checker", Role.COUNTY_ADMIN)
    return maker, checker


def seed(ctx):
    current = timezone.localdate().replace(day=1)
    months = sorted(m for m in Payroll.objects.filter(month__lt=current).order_by("month").values_list("month", flat=True).distinct())
    if not months:
        ctx.log("  no payroll in the labour demo: no subsidy runs")
        return
    maker, checker = _people(ctx)
    paid_total = 0
    for month in months:
        run, _created = services.run_request(actor=maker, month=month, enqueue=False)
        run = services.run_calculate(run_id=run.pk)
        if run.status != "draft":
            ctx.log(f"  {month:%Y-%m}: {run.status} {run.error}")
            continue
        # Demo decisions: the county checked the flagged lines and released them.
        for line in SubsidyLine.objects.filter(run=run, status="withheld").order_by("id")[:20]:
            services.line_clear(actor=maker, line=line, reason="演示：已电话核实")
        services.run_submit(actor=maker, run=run)
        services.run_approve(actor=checker, run=run)
        paid_on = min(rules.next_month(month) + timedelta(days=9), timezone.localdate())
        run = services.run_mark_paid(actor=checker, run=run, voucher=f"WY-{month:%Y%m}-001", paid_on=paid_on)
        paid_total += run.payable_total
        ctx.log(f"  {month:%Y-%m}: {run.line_count} lines, paid {run.payable_total}")
    ctx.log(f"  subsidies paid in all: {paid_total}")
