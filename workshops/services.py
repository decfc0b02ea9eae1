"""Writes for workshops. Certification is a workflow: `workshop_certify` / `workshop_revoke` check the
rules, write a CertificationEvent and set Workshop.status; nothing else changes the status."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict
from industries.writes import create, update

from . import selectors
from .choices import CertificationAction, DifficultyStatus, WorkshopStatus
from .models import CertificationEvent, Difficulty, Liaison, Post, Workshop


def workshop_create(*, actor, **fields) -> Workshop:
    fields.pop("status", None)  # owned by the certification workflow
    return create(Workshop, actor=actor, action="workshop.create", scope_field="village", **fields)


def workshop_update(*, actor, workshop: Workshop, **fields) -> Workshop:
    fields.pop("status", None)
    return update(workshop, actor=actor, action="workshop.update", scope_field="village", **fields)


def criteria_met(workers: int, assisted: int, thresholds: dict) -> bool:
    """At least `min_workers`, and assisted at least `min_assisted` or at least `min_share` of them.
    The share is compared in Decimal: 3 of 10 is exactly 30 %."""
    if workers < thresholds["min_workers"]:
        return False
    share = Decimal(str(thresholds["min_share"]))
    return assisted >= thresholds["min_assisted"] or Decimal(assisted) >= share * workers


def refusal_reason(workers: int, assisted: int, thresholds: dict) -> str:
    return _(
        "The criteria are not met on this date: %(workers)s workers (at least %(min_workers)s needed), "
        "of whom %(assisted)s poverty-alleviated or monitored (at least %(min_assisted)s or %(share)s %% needed)."
    ) % {
        "workers": workers, "assisted": assisted, "min_workers": thresholds["min_workers"],
        "min_assisted": thresholds["min_assisted"],
        "share": f"{Decimal(str(thresholds['min_share'])) * 100:g}",
    }


def _check_date_order(workshop: Workshop, on: date):
    last = workshop.certification_events.order_by("-effective_date", "-id").first()
    if last and on < last.effective_date:
        raise ValidationError({"date": _("The date cannot be before the latest certification change (%(date)s).")
                               % {"date": last.effective_date.isoformat()}})


def _locked(workshop: Workshop) -> Workshop:
    # Two officers acting at once must not both pass the state check.
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


@transaction.atomic
def workshop_certify(*, actor, workshop: Workshop, on: date, override_reason: str = "") -> CertificationEvent:
    """Certify on `on` when the workforce open on that date meets the criteria; otherwise a county
    administrator may override with a written reason. Refused: Conflict with the reason."""
    if not isinstance(on, date):
        raise ValidationError({"date": _("Enter a valid date.")})
    workshop = _locked(workshop)
    override_reason = (override_reason or "").strip()
    if workshop.status == WorkshopStatus.CERTIFIED:
        raise Conflict(_("This workshop is already certified."), code="already_certified")
    _check_date_order(workshop, on)
    counts = selectors.workforce_on(workshop, on)
    thresholds = selectors.criteria_thresholds()
    met = criteria_met(counts["workers"], counts["assisted"], thresholds)
    override = False
    if not met:
        if not override_reason:
            raise Conflict(refusal_reason(counts["workers"], counts["assisted"], thresholds),
                           code="criteria_not_met")
        if not getattr(actor, "is_county_admin", False):
            raise PermissionDenied(_("Only a county administrator may certify without the criteria being met."))
        override = True
    event = CertificationEvent(
        workshop=workshop, action=CertificationAction.CERTIFIED, effective_date=on,
        reason=override_reason, override=override, workers=counts["workers"], assisted_workers=counts["assisted"],
        actor=actor if getattr(actor, "pk", None) else None,
    )
    event.full_clean()
    event.save()
    Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.CERTIFIED)
    audit.record(actor, "workshop.certify_override" if override else "workshop.certify", workshop, {
        "date": on.isoformat(), "workers": counts["workers"], "assisted": counts["assisted"],
        "override_reason": override_reason if override else "",
    })
    return event


@transaction.atomic
def workshop_revoke(*, actor, workshop: Workshop, on: date, reason: str) -> CertificationEvent:
    if not isinstance(on, date):
        raise ValidationError({"date": _("Enter a valid date.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certification.")})
    workshop = _locked(workshop)
    if workshop.status != WorkshopStatus.CERTIFIED:
        raise Conflict(_("Only a certified workshop can have its certification revoked."), code="not_certified")
    _check_date_order(workshop, on)
    counts = selectors.workforce_on(workshop, on)
    event = CertificationEvent(
        workshop=workshop, action=CertificationAction.REVOKED, effective_date=on, reason=reason,
        workers=counts["workers"], assisted_workers=counts["assisted"],
        actor=actor if getattr(actor, "pk", None) else None,
    )
    event.full_clean()
    event.save()
    Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.REVOKED)
    audit.record(actor, "workshop.revoke", workshop, {"date": on.isoformat(), "reason": reason})
    return event


def post_create(*, actor, **fields) -> Post:
    return create(Post, actor=actor, action="post.create", scope_field="workshop", **fields)


def post_update(*, actor, post: Post, **fields) -> Post:
    return update(post, actor=actor, action="post.update", scope_field="workshop", **fields)


def liaison_create(*, actor, **fields) -> Liaison:
    return create(Liaison, actor=actor, action="liaison.create", scope_field="workshop", **fields)


def liaison_update(*, actor, liaison: Liaison, **fields) -> Liaison:
    return update(liaison, actor=actor, action="liaison.update", scope_field="workshop", **fields)


def difficulty_raise(*, actor, **fields) -> Difficulty:
    fields.update(status=DifficultyStatus.OPEN, resolved_on=None, resolution=fields.get("resolution", ""))
    return create(Difficulty, actor=actor, action="difficulty.raise", scope_field="workshop", **fields)


def difficulty_update(*, actor, difficulty: Difficulty, **fields) -> Difficulty:
    """Edit what was raised; the status changes only through raise/resolve."""
    for key in ("status", "resolved_on"):
        fields.pop(key, None)
    return update(difficulty, actor=actor, action="difficulty.update", scope_field="workshop", **fields)


def difficulty_resolve(*, actor, difficulty: Difficulty, resolved_on: date, resolution: str,
                       responsible_department: str = "") -> Difficulty:
    if difficulty.status == DifficultyStatus.RESOLVED:
        raise Conflict(_("This difficulty is already resolved."), code="already_resolved")
    if not isinstance(resolved_on, date):
        raise ValidationError({"resolved_on": _("Enter the date the difficulty was resolved.")})
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Describe how the difficulty was resolved.")})
    fields = {"status": DifficultyStatus.RESOLVED, "resolved_on": resolved_on, "resolution": resolution}
    if responsible_department:
        fields["responsible_department"] = responsible_department
    return update(difficulty, actor=actor, action="difficulty.resolve", scope_field="workshop", **fields)
