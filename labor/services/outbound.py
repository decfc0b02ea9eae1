"""East labour cooperation: east posts, brokers' proposals for them, the liaison station's outbound
placements (recorded, returned) and its follow-up visits. `<entity>_<action>(*, actor, ...)`: the
permission first, then the rules (a clear Chinese reason each), atomic, audited `{field: [old, new]}`."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.choices import Role
from accounts.exceptions import Conflict
from accounts.permissions import require
from core.months import months_after
from core.writes import UNSET, create, created, given, save_in_scope, update
from industries.choices import Origin

from ..choices import ReferralOutcome
from ..models import Broker, EastPost, OutboundPlacement, OutboundReferral, OutboundVisit
from ..models.outbound import VISIT_MONTHS, OutboundStatus


def _broker_of(actor):
    if getattr(actor, "role", None) == Role.BROKER and getattr(actor, "pk", None):
        return Broker.objects.filter(user=actor).first()
    return None


def _check_east(enterprise, field="enterprise"):
    if enterprise is not None and enterprise.origin != Origin.EAST:
        raise ValidationError({field: [_("The employer must be an east enterprise (origin: east).")]})


def _check_wage(wage, field="monthly_wage"):
    if wage is None or not isinstance(wage, (Decimal, int)) or Decimal(wage) <= 0:
        raise ValidationError({field: [_("The monthly wage must be more than 0.")]})


def east_post_create(*, actor, enterprise, city: str, title: str, monthly_wage: Decimal, province: str = "浙江省",
                     vacancies: int = 1, is_open: bool = True) -> EastPost:
    require(actor, "labor.east_post.write")
    _check_east(enterprise)
    _check_wage(monthly_wage)
    return create(EastPost, actor=actor, action="east_post.create", enterprise=enterprise, province=province,
                  city=city, title=title, monthly_wage=monthly_wage, vacancies=vacancies, is_open=is_open)


def east_post_update(*, actor, east_post: EastPost, enterprise=UNSET, province=UNSET, city=UNSET, title=UNSET,
                     monthly_wage=UNSET, vacancies=UNSET, is_open=UNSET) -> EastPost:
    require(actor, "labor.east_post.write", east_post)
    if enterprise is not UNSET:
        _check_east(enterprise)
    if monthly_wage is not UNSET:
        _check_wage(monthly_wage)
    return update(east_post, actor=actor, action="east_post.update",
                  **given(enterprise=enterprise, province=province, city=city, title=title,
                          monthly_wage=monthly_wage, vacancies=vacancies, is_open=is_open))


def outbound_referral_propose(*, actor, worker, east_post: EastPost, proposed_on: date | None = None
                              ) -> OutboundReferral:
    """A broker (or a partner system) proposes a worker for an east post; the station decides."""
    require(actor, "labor.outbound_referral.propose")
    if not east_post.is_open:
        raise Conflict(_("This east post is closed."), code="east_post_closed")
    if OutboundReferral.objects.filter(worker=worker, east_post=east_post, outcome=ReferralOutcome.PENDING).exists():
        raise Conflict(_("This worker is already proposed for this post."), code="outbound_referral_pending")
    return create(OutboundReferral, actor=actor, action="outbound_referral.propose", scope_field="worker",
                  worker=worker, east_post=east_post, broker=_broker_of(actor),
                  proposed_on=proposed_on or timezone.localdate())


def _open_placement_conflict(worker):
    if OutboundPlacement.objects.filter(worker=worker, return_date__isnull=True).exists():
        raise Conflict(_("This worker already works in the east; record the return first."),
                       code="outbound_open")


@transaction.atomic
def outbound_placement_create(*, actor, worker, start_date: date, monthly_wage: Decimal, east_post=None,
                              enterprise=None, province: str = "", city: str = "", post_title: str = "",
                              broker=None) -> OutboundPlacement:
    """The station records a worker's job in the east. Employer, place and post title default to the
    east post's when one is given."""
    require(actor, "labor.outbound_placement.write")
    if east_post is not None:
        enterprise = enterprise or east_post.enterprise
        province, city = province or east_post.province, city or east_post.city
        post_title = post_title or east_post.title
        if enterprise.pk != east_post.enterprise_id:
            raise ValidationError({"east_post": [_("This post belongs to another employer.")]})
    if enterprise is None:
        raise ValidationError({"enterprise": [_("Choose the east employer.")]})
    _check_east(enterprise)
    _check_wage(monthly_wage)
    if start_date is None:
        raise ValidationError({"start_date": [_("Enter the start date.")]})
    _open_placement_conflict(worker)
    last_return = OutboundPlacement.objects.filter(worker=worker).order_by("-return_date").values_list(
        "return_date", flat=True).first()
    if last_return is not None and start_date < last_return:
        raise ValidationError({"start_date": [_("This worker returned from the east on %(date)s; a new job there "
                                                "cannot start before that.") % {"date": last_return.isoformat()}]})
    placement = OutboundPlacement(worker=worker, enterprise=enterprise, east_post=east_post, broker=broker,
                                  province=province, city=city, post_title=post_title, start_date=start_date,
                                  monthly_wage=monthly_wage, status=OutboundStatus.WORKING)
    return save_in_scope(actor=actor, instance=placement, action="outbound_placement.create", scope_field="worker",
                         changes=created({"worker": worker, "enterprise": enterprise, "east_post": east_post,
                                          "broker": broker, "province": province, "city": city,
                                          "post_title": post_title, "start_date": start_date,
                                          "monthly_wage": monthly_wage, "status": placement.status}))


@transaction.atomic
def outbound_placement_return(*, actor, placement: OutboundPlacement, return_date: date, reason: str = ""
                              ) -> OutboundPlacement:
    """The worker came back: the placement ends on `return_date` (after its start) with the reason."""
    require(actor, "labor.outbound_placement.write", placement)
    placement = OutboundPlacement.objects.select_for_update().get(pk=placement.pk)
    if placement.return_date is not None:
        raise Conflict(_("This worker's return is already recorded."), code="outbound_returned")
    if return_date is None or return_date <= placement.start_date:
        raise ValidationError({"return_date": [_("The return date must be after the start date.")]})
    old = {"return_reason": placement.return_reason, "status": placement.status}
    placement.return_date, placement.return_reason = return_date, (reason or "").strip()
    placement.status = OutboundStatus.RETURNED
    placement.full_clean()
    placement.save(update_fields=["return_date", "return_reason", "status", "updated_at"])
    audit.record(actor, "outbound_placement.return", placement, {
        "return_date": [None, str(return_date)], "return_reason": [old["return_reason"], placement.return_reason],
        "status": [old["status"], placement.status]})
    return placement


@transaction.atomic
def outbound_referral_decide(*, actor, referral: OutboundReferral, outcome: str, decided_on: date | None = None,
                             reason: str = "", start_date: date | None = None, monthly_wage=None
                             ) -> OutboundReferral:
    """The station hires or declines; hiring records the outbound placement (start date: the decision
    date; wage: the post's unless given)."""
    require(actor, "labor.outbound_referral.decide", referral)
    referral = OutboundReferral.objects.select_for_update().select_related("east_post__enterprise", "worker").get(
        pk=referral.pk)
    if referral.outcome != ReferralOutcome.PENDING:
        raise Conflict(_("This referral has already been decided."), code="outbound_referral_decided")
    if outcome not in (ReferralOutcome.HIRED, ReferralOutcome.DECLINED):
        raise ValidationError({"outcome": [_("Choose hired or declined.")]})
    decided_on = decided_on or timezone.localdate()
    if decided_on < referral.proposed_on:
        raise ValidationError({"decided_on": [_("A referral cannot be decided before it was proposed.")]})
    old = {"outcome": referral.outcome, "reason": referral.reason}
    referral.outcome, referral.decided_on, referral.reason = outcome, decided_on, (reason or "").strip()
    if outcome == ReferralOutcome.HIRED:
        post = referral.east_post
        referral.placement = outbound_placement_create(
            actor=actor, worker=referral.worker, east_post=post, broker=referral.broker,
            start_date=start_date or decided_on,
            monthly_wage=monthly_wage if monthly_wage is not None else post.monthly_wage)
    referral.full_clean()
    referral.save()
    changes = {"outcome": [old["outcome"], outcome], "decided_on": [None, decided_on.isoformat()],
               "reason": [old["reason"], referral.reason]}
    if referral.placement_id:
        changes["placement"] = [None, referral.placement_id]
    audit.record(actor, "outbound_referral.decide", referral, changes)
    return referral


def outbound_visit_create(*, actor, placement: OutboundPlacement, milestone: int, visited_on: date,
                          note: str = "") -> OutboundVisit:
    """The station's follow-up at 1, 3 or 6 months; once per milestone, not before the worker started."""
    require(actor, "labor.outbound_visit.write", placement)
    if milestone not in VISIT_MONTHS:
        raise ValidationError({"milestone": [_("Choose the 1-, 3- or 6-month visit.")]})
    if visited_on is None or visited_on < placement.start_date:
        raise ValidationError({"visited_on": [_("A visit cannot be before the placement started.")]})
    if OutboundVisit.objects.filter(placement=placement, milestone=milestone).exists():
        raise Conflict(_("This visit is already recorded."), code="outbound_visit_exists")
    visit = OutboundVisit(placement=placement, milestone=milestone, visited_on=visited_on, note=(note or "").strip(),
                          visited_by=actor if getattr(actor, "pk", None) else None)
    return save_in_scope(actor=actor, instance=visit, action="outbound_visit.create", scope_field="placement",
                         changes=created({"placement": placement, "milestone": milestone,
                                          "visited_on": visited_on, "note": visit.note,
                                          "due_on": months_after(placement.start_date, milestone)}))



