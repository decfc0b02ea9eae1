"""Placements: a worker at a workshop from a start date; ended, never deleted.

`placement_problems` is the one statement of a placement's own rules; the service and the
spreadsheet import (labor.imports.placements) both apply it, so a row is refused with the
service's message."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts import audit
from accounts.choices import Role
from accounts.exceptions import Conflict
from accounts.permissions import require
from core.months import month_start
from core.writes import created, save_in_scope

from ..choices import PlacementSource
from ..models import Broker, Placement

OPEN_ELSEWHERE = "open_placement"  # the key of the one rule that is a Conflict (409), not bad input


def placement_problems(*, start_date: date | None, end_date: date | None = None, post=None, workshop_id=None,
                       already_open: bool = False, last_payroll_month: date | None = None) -> dict[str, str]:
    """The rules of one placement: {field: message} of those it breaks. `already_open`: the worker
    has an open placement at this workshop (a new open one is then refused); `last_payroll_month`:
    the latest month it has payroll for (it cannot end before that month)."""
    problems = {}
    if post is not None and workshop_id is not None and post.workshop_id != workshop_id:
        problems["post"] = _("This post belongs to another workshop.")
    if end_date is not None and start_date is not None and end_date < start_date:
        problems["end_date"] = _("A placement cannot end before it starts.")
    elif end_date is not None and last_payroll_month is not None and last_payroll_month > month_start(end_date):
        problems["end_date"] = _("This placement has payroll after this date; correct the payroll or choose a later "
                                 "end date.")
    if already_open and end_date is None:
        problems[OPEN_ELSEWHERE] = _("This worker already has an open placement at this workshop.")
    return problems


def validate_placement(**kwargs) -> None:
    """placement_problems as the services raise them: Conflict for an open placement, else ValidationError."""
    problems = placement_problems(**kwargs)
    conflict = problems.pop(OPEN_ELSEWHERE, None)
    if problems:
        raise ValidationError({field: [message] for field, message in problems.items()})
    if conflict:
        raise Conflict(conflict, code="placement_open")


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
    require(actor, "labor.placement.write")
    if broker is None and getattr(actor, "role", None) == Role.BROKER:
        broker = Broker.objects.filter(user=actor).first()
    validate_placement(start_date=start_date, post=post, workshop_id=workshop.pk, already_open=Placement.objects.filter(
        worker=worker, workshop=workshop, end_date__isnull=True).exists())
    placement = Placement(worker=worker, workshop=workshop, post=post, broker=broker, job_fair=job_fair,
                          source=_source_for(actor, broker, job_fair, source), start_date=start_date,
                          monthly_wage=monthly_wage)
    return save_in_scope(actor=actor, instance=placement, action="placement.create", scope_field="worker",
                         changes=created({"worker": worker, "workshop": workshop, "start_date": start_date,
                                          "monthly_wage": monthly_wage, "post": post, "broker": broker,
                                          "job_fair": job_fair, "source": placement.source}))


@transaction.atomic
def placement_end(*, actor, placement: Placement, end_date: date, reason: str = "") -> Placement:
    """End a placement on `end_date`; its payroll months must all lie on or before that month."""
    require(actor, "labor.placement.write", placement)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.end_date is not None:
        raise Conflict(_("This placement has already ended."), code="placement_ended")
    validate_placement(start_date=placement.start_date, end_date=end_date,
                       last_payroll_month=placement.payroll.aggregate(last=Max("month"))["last"])
    old = {"end_date": None, "end_reason": placement.end_reason}
    placement.end_date, placement.end_reason = end_date, (reason or "").strip()
    placement.full_clean()
    placement.save(update_fields=["end_date", "end_reason"])
    audit.record(actor, "placement.end", placement, {
        "end_date": [None, str(end_date)], "end_reason": [old["end_reason"], placement.end_reason],
        "status": ["open", "ended"]})
    return placement
