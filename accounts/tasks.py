from celery import shared_task

from . import services
from .permissions import SYSTEM


@shared_task
def prune_idempotency_records(days: int = 7) -> int:
    """Forget retried-request records older than `days`; returns how many were removed."""
    return services.idempotency_prune(actor=SYSTEM, days=days)
