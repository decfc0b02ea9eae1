"""Thin tasks: load by id, call a service. Safe to deliver twice."""

from celery import shared_task
from django.utils import timezone

from . import rules, services


@shared_task
def calculate_subsidy_run(run_id: int) -> str:
    return services.run_calculate(run_id=run_id).status


@shared_task
def calculate_previous_month() -> int:
    """Celery beat, 02:00 on the 3rd: the previous month's run (or its adjustment)."""
    month = rules.previous_month(timezone.localdate().replace(day=1))
    run, _created = services.run_request(actor=None, month=month)
    return run.pk


@shared_task
def build_subsidy_report(report_id: int) -> str:
    return services.report_build(report_id=report_id).status
