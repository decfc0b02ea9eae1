"""Beat tasks of the core app."""

from celery import shared_task

from . import sweeper


@shared_task
def sweep_expired_leases() -> dict:
    """Every minute (beat): jobs whose worker died end `failed`, with a reason, ready to retry."""
    return sweeper.sweep()
