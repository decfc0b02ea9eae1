"""Placements: a worker at a workshop from a start date; ended, never deleted."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.choices import Role
from accounts.exceptions import Conflict
from core.months import month_start
from industries.writes import save_in_scope

from ..choices import PlacementSource
from ..models import Broker, Placement


def _source_for(actor, broker, job_fair, source):
    if source:
        return source
    if job_fair is not None:
        return PlacementSource.JOB_FAIR
    if broker is not None:
        return PlacementSource.BROKER
    if getattr(actor, "role", None) == Role.PARTNER:
        return PlacementSource.PARTNER
    return PlacementSource.DIRECT


@transaction.atomic
def placement_create(*, actor, worker, workshop, start_date: date, monthly_wage: Decimal, post=None,
                     broker: Broker | None = None, job_fair=None, source: str = "") -> Placement:
    if post is not None and post.workshop_id != workshop.pk:
        raise ValidationError({"post": [_("This post belongs to another workshop.")]})
    if broker is None and getattr(actor, "role", None) == Role.BROKER:
        broker = Broker.objects.filter(user=actor).first()
    if Placement.objects.filter(worker=worker, workshop=workshop, end_date__isnull=True).exists():
        raise Conflict(_("This worker already has an open placement at this workshop."), code="placement_open")
    placement = Placement(worker=worker, workshop=workshop, post=post, broker=broker, job_fair=job_fair,
                          source=_source_for(actor, broker, job_fair, source), start_date=start_date,
                          monthly_wage=monthly_wage)
    return save_in_scope(actor=actor, instance=placement, action="placement.create", scope_field="worker", changes={
        "worker": worker.pk, "workshop": workshop.pk, "start_date": str(start_date), "monthly_wage": str(monthly_wage),
        "post": getattr(post, "pk", None), "broker": getattr(broker, "pk", None), "source": placement.source,
    })


@transaction.atomic
def placement_end(*, actor, placement: Placement, end_date: date, reason: str = "") -> Placement:
    """End a placement on `end_date`; its payroll months must all lie on or before that month."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.end_date is not None:
        raise Conflict(_("This placement has already ended."), code="placement_ended")
    if end_date < placement.start_date:
        raise ValidationError({"end_date": [_("A placement cannot end before it starts.")]})
    if placement.payroll.filter(month__gt=month_start(end_date)).exists():
        raise ValidationError({"end_date": [_("This placement has payroll after this date; correct the payroll "
                                              "or choose a later end date.")]})
    placement.end_date, placement.end_reason = end_date, (reason or "").strip()
    placement.full_clean()
    placement.save(update_fields=["end_date", "end_reason"])
    audit.record(actor, "placement.end", placement, {"end_date": str(end_date), "reason": placement.end_reason})
    return placement
