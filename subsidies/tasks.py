"""Thin tasks: load by id, call a service. Safe to deliver twice: each job holds a lease
(core.jobs), so a redelivered task either finds the job finished (and does nothing), finds its
dead predecessor's lease and takes over once it lapses, or finds it failed and leaves it to the user."""

from celery import shared_task
from django.utils import timezone

from accounts.permissions import SYSTEM
from core import jobs

from . import rules, services


@shared_task(**jobs.TASK_OPTIONS)
def calculate_subsidy_run(self, run_id: int) -> str:
    run = services.run_calculate(actor=SYSTEM, run_id=run_id)
    jobs.retry_while_held(self, run)
    return run.status


@shared_task
def calculate_previous_month() -> int:
    """Celery beat, 02:00 on the 3rd: the previous month's run (or its adjustment)."""
    month = rules.previous_month(timezone.localdate().replace(day=1))
    run, _created = services.run_request(actor=SYSTEM, month=month)
    return run.pk


@shared_task(**jobs.TASK_OPTIONS)
def build_subsidy_report(self, report_id: int) -> str:
    report = services.report_build(actor=SYSTEM, report_id=report_id)
    jobs.retry_while_held(self, report)
    return report.status
