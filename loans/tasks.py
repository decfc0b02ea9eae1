"""Beat tasks of guarantee loans."""

from celery import shared_task

from accounts.permissions import SYSTEM


@shared_task
def refresh_overdue_loans() -> dict:
    """Daily (beat): lent loans the overdue rule catches today become overdue; those it no longer
    catches go back to repaying (loans.services.loans_refresh_overdue)."""
    from . import services

    return services.loans_refresh_overdue(actor=SYSTEM)
