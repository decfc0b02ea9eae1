"""The sweeper: a job whose lease ran out (its worker was killed, or lost the database and could
not record the failure) becomes `failed` with a reason, so nobody watches a spinner for ever."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.permissions import SYSTEM

from .jobs import lapsed, leased_models, released

logger = logging.getLogger(__name__)


def interrupted_reason() -> str:
    return _("Background work was interrupted (the worker stopped or lost the database) before it finished; "
             "nothing of it was applied. Please retry.")


def sweep(now=None) -> dict[str, int]:
    """Fail every job whose lease has lapsed and that no live transaction holds. Returns
    {model label: jobs failed}."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        reason = interrupted_reason()
    swept = {}
    for model in leased_models():
        stale = model.objects.filter(lapsed(now), status__in=model.LEASE_STATUSES)
        with transaction.atomic():
            # A row a live worker has locked is skipped: its transaction is still going.
            jobs = list(stale.select_for_update(skip_locked=True).only("pk", "status"))
            pks = [job.pk for job in jobs]
            if pks:
                model.objects.filter(pk__in=pks).update(status=model.LEASE_FAILED_STATUS,
                                                        **{model.LEASE_ERROR_FIELD: reason}, **released())
                # the status change is history like any other write: old -> failed, by the system
                audit.record_many(SYSTEM, f"{model._meta.model_name}.swept", [
                    (job, {"status": [job.status, model.LEASE_FAILED_STATUS]}, f"{model._meta.verbose_name} #{job.pk}")
                    for job in jobs])
        if pks:
            logger.warning("swept %d %s job(s) whose lease lapsed: %s", len(pks), model._meta.label, pks)
            swept[model._meta.label] = len(pks)
    return swept
