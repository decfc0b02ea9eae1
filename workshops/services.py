"""Writes for workshops. Certification is a workflow: `workshop_certify` / `workshop_revoke` check the
rules, write a CertificationEvent and set Workshop.status; nothing else changes the status."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict
from accounts.permissions import require
from core.writes import UNSET, create, given, update

from . import selectors
from .choices import CertificationAction, DifficultyStatus, WorkshopStatus
from .models import CertificationEvent, Difficulty, Liaison, Post, Workshop


def comparable_name(name: str) -> str:
    """A workshop's name as two names are compared: case-folded, with every space removed (half- or
    full-width), so "茶叶 车间" and "茶叶车间", "Tea Shop" and "tea shop" are one name."""
    return re.sub(r"\s+", "", name or "").casefold()


def check_unique_name(*, name, village, exclude_pk=None) -> None:
    """One village never has two workshops of the same name (compared by `comparable_name`)."""
    if not name or village is None:
        return  # full_clean reports the missing field
    wanted = comparable_name(name)
    others = Workshop.objects.filter(village=village).exclude(pk=exclude_pk).values_list("name", flat=True)
    clash = next((other for other in others if comparable_name(other) == wanted), None)
    if clash is not None:
        raise ValidationError({"name": _("This village already has a workshop named “%(name)s”: choose another "
                                         "name, or open the existing workshop instead of registering it again.")
                               % {"name": clash}})


def workshop_create(*, actor, name=UNSET, kind=UNSET, form=UNSET, industry=UNSET, enterprise=UNSET, village=UNSET,
                    address=UNSET, opened_on=UNSET, reuses_idle_asset=UNSET) -> Workshop:
    """The status is not a parameter: it is owned by the certification workflow."""
    require(actor, "workshops.workshop.write")
    check_unique_name(name=name or "", village=village or None)
    return create(Workshop, actor=actor, action="workshop.create", scope_field="village", **given(
        name=name, kind=kind, form=form, industry=industry, enterprise=enterprise, village=village, address=address,
        opened_on=opened_on, reuses_idle_asset=reuses_idle_asset))


def workshop_update(*, actor, workshop: Workshop, name=UNSET, kind=UNSET, form=UNSET, industry=UNSET,
                    enterprise=UNSET, village=UNSET, address=UNSET, opened_on=UNSET,
                    reuses_idle_asset=UNSET) -> Workshop:
    require(actor, "workshops.workshop.write", workshop)
    check_unique_name(name=workshop.name if name is UNSET else name,
                      village=workshop.village if village is UNSET else village, exclude_pk=workshop.pk)
    return update(workshop, actor=actor, action="workshop.update", scope_field="village", **given(
        name=name, kind=kind, form=form, industry=industry, enterprise=enterprise, village=village, address=address,
        opened_on=opened_on, reuses_idle_asset=reuses_idle_asset))


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
        "of whom %(assisted)s poverty-alleviated or monitored (at least %(min_assisted)s or %(share)s %% needed). "
        "Record the missing workers' placements in this workshop first, or choose a date on which the criteria "
        "were met, then certify again; a county administrator may instead certify with a written reason."
    ) % {
        "workers": workers, "assisted": assisted, "min_workers": thresholds["min_workers"],
        "min_assisted": thresholds["min_assisted"],
        "share": f"{Decimal(str(thresholds['min_share'])) * 100:g}",
    }


def _check_date_order(workshop: Workshop, on: date):
    last = workshop.certification_events.order_by("-effective_date", "-id").first()
    if last and on < last.effective_date:
        raise ValidationError({"date": _("The date cannot be before the latest certification change (%(date)s): "
                                         "choose that date or a later one, then submit again.")
                               % {"date": last.effective_date.isoformat()}})


def _locked(workshop: Workshop) -> Workshop:
    # Two officers acting at once must not both pass the state check.
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


@transaction.atomic
def workshop_certify(*, actor, workshop: Workshop, on: date, override_reason: str = "") -> CertificationEvent:
    """Certify on `on` when the workforce open on that date meets the criteria; otherwise a county
    administrator may override with a written reason. Refused: Conflict with the reason."""
    require(actor, "workshops.workshop.certify", workshop)
    if not isinstance(on, date):
        raise ValidationError({"date": _("Enter a valid date (YYYY-MM-DD), then submit again.")})
    workshop = _locked(workshop)
    override_reason = (override_reason or "").strip()
    if workshop.status == WorkshopStatus.CERTIFIED:
        raise Conflict(_("This workshop is already certified, so there is nothing to certify; to certify it "
                         "anew, revoke its certification first."), code="already_certified")
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
            raise PermissionDenied(_("Only a county administrator may certify without the criteria being met: "
                                     "record the missing workers' placements first, or ask a county "
                                     "administrator to certify it with a written reason."))
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
        "status": [workshop.status, WorkshopStatus.CERTIFIED], "date": [None, on.isoformat()],
        "workers": [None, counts["workers"]], "assisted": [None, counts["assisted"]],
        "override_reason": [None, override_reason if override else ""],
    })
    return event


@transaction.atomic
def workshop_revoke(*, actor, workshop: Workshop, on: date, reason: str) -> CertificationEvent:
    require(actor, "workshops.workshop.certify", workshop)
    if not isinstance(on, date):
        raise ValidationError({"date": _("Enter a valid date (YYYY-MM-DD), then submit again.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certification, then confirm again.")})
    workshop = _locked(workshop)
    if workshop.status != WorkshopStatus.CERTIFIED:
        raise Conflict(_("Only a certified workshop can have its certification revoked: this one is not "
                         "certified, so there is nothing to revoke; certify it first if it meets the criteria."),
                       code="not_certified")
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
    audit.record(actor, "workshop.revoke", workshop, {"status": [workshop.status, WorkshopStatus.REVOKED],
                                                      "date": [None, on.isoformat()], "reason": [None, reason]})
    return event


def post_create(*, actor, workshop=UNSET, title=UNSET, headcount=UNSET, monthly_wage=UNSET, reserved=UNSET) -> Post:
    require(actor, "workshops.post.write")
    return create(Post, actor=actor, action="post.create", scope_field="workshop", **given(
        workshop=workshop, title=title, headcount=headcount, monthly_wage=monthly_wage, reserved=reserved))


def post_update(*, actor, post: Post, workshop=UNSET, title=UNSET, headcount=UNSET, monthly_wage=UNSET,
                reserved=UNSET) -> Post:
    require(actor, "workshops.post.write", post)
    return update(post, actor=actor, action="post.update", scope_field="workshop", **given(
        workshop=workshop, title=title, headcount=headcount, monthly_wage=monthly_wage, reserved=reserved))


def liaison_create(*, actor, workshop=UNSET, department=UNSET, contact_person=UNSET, phone=UNSET) -> Liaison:
    require(actor, "workshops.liaison.write")
    return create(Liaison, actor=actor, action="liaison.create", scope_field="workshop", **given(
        workshop=workshop, department=department, contact_person=contact_person, phone=phone))


def liaison_update(*, actor, liaison: Liaison, workshop=UNSET, department=UNSET, contact_person=UNSET,
                   phone=UNSET) -> Liaison:
    require(actor, "workshops.liaison.write", liaison)
    return update(liaison, actor=actor, action="liaison.update", scope_field="workshop", **given(
        workshop=workshop, department=department, contact_person=contact_person, phone=phone))


def difficulty_raise(*, actor, workshop=UNSET, category=UNSET, description=UNSET, raised_on=UNSET,
                     responsible_department=UNSET) -> Difficulty:
    """Raised open; status, resolution and resolved_on are set by difficulty_resolve only."""
    require(actor, "workshops.difficulty.write")
    return create(Difficulty, actor=actor, action="difficulty.raise", scope_field="workshop",
                  status=DifficultyStatus.OPEN, resolved_on=None, resolution="", **given(
                      workshop=workshop, category=category, description=description, raised_on=raised_on,
                      responsible_department=responsible_department))


def difficulty_update(*, actor, difficulty: Difficulty, workshop=UNSET, category=UNSET, description=UNSET,
                      raised_on=UNSET, responsible_department=UNSET) -> Difficulty:
    """Edit what was raised; the status changes only through raise/resolve."""
    require(actor, "workshops.difficulty.write", difficulty)
    return update(difficulty, actor=actor, action="difficulty.update", scope_field="workshop", **given(
        workshop=workshop, category=category, description=description, raised_on=raised_on,
        responsible_department=responsible_department))


def difficulty_resolve(*, actor, difficulty: Difficulty, resolved_on: date, resolution: str,
                       responsible_department: str = "") -> Difficulty:
    require(actor, "workshops.difficulty.resolve", difficulty)
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
