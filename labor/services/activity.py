"""Referrals, follow-up visits, job fairs, returnees."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict
from industries.writes import create, save_in_scope, update

from ..choices import PlacementSource, ReferralOutcome
from ..models import Broker, FollowUp, JobFair, Referral, Returnee, Worker
from .placements import placement_create


def referral_propose(*, actor, worker, post, proposed_on: date | None = None, job_fair=None) -> Referral:
    """A broker proposes a worker for a post."""
    if Referral.objects.filter(worker=worker, post=post, outcome=ReferralOutcome.PENDING).exists():
        raise Conflict(_("This worker is already proposed for this post."), code="referral_pending")
    broker = Broker.objects.filter(user=actor).first() if getattr(actor, "pk", None) else None
    return create(Referral, actor=actor, action="referral.propose", scope_field="worker", worker=worker, post=post,
                  broker=broker, job_fair=job_fair, proposed_on=proposed_on or timezone.localdate())


@transaction.atomic
def referral_decide(*, actor, referral: Referral, outcome: str, decided_on: date | None = None, reason: str = "",
                    start_date: date | None = None, monthly_wage=None) -> Referral:
    """The workshop hires or declines; hiring creates the placement (start date: the decision date;
    wage: the post's unless given)."""
    referral = Referral.objects.select_for_update().select_related("post", "worker").get(pk=referral.pk)
    if referral.outcome != ReferralOutcome.PENDING:
        raise Conflict(_("This referral has already been decided."), code="referral_decided")
    if outcome not in (ReferralOutcome.HIRED, ReferralOutcome.DECLINED):
        raise ValidationError({"outcome": [_("Choose hired or declined.")]})
    decided_on = decided_on or timezone.localdate()
    if decided_on < referral.proposed_on:
        raise ValidationError({"decided_on": [_("A referral cannot be decided before it was proposed.")]})
    referral.outcome, referral.decided_on, referral.reason = outcome, decided_on, (reason or "").strip()
    if outcome == ReferralOutcome.HIRED:
        referral.placement = placement_create(
            actor=actor, worker=referral.worker, workshop=referral.post.workshop, post=referral.post,
            broker=referral.broker, job_fair=referral.job_fair, start_date=start_date or decided_on,
            monthly_wage=monthly_wage if monthly_wage is not None else referral.post.monthly_wage,
            source=PlacementSource.JOB_FAIR if referral.job_fair_id else
            PlacementSource.BROKER if referral.broker_id else PlacementSource.DIRECT,
        )
    referral.full_clean()
    referral.save()
    audit.record(actor, "referral.decide", referral, {"outcome": outcome, "decided_on": decided_on.isoformat(),
                                                      "reason": referral.reason})
    return referral


def follow_up_create(*, actor, placement, visited_on: date, still_employed: bool = True, note: str = "") -> FollowUp:
    if visited_on < placement.start_date:
        raise ValidationError({"visited_on": [_("A visit cannot be before the placement started.")]})
    follow_up = FollowUp(placement=placement, visited_on=visited_on, still_employed=still_employed, note=note,
                         visited_by=actor if getattr(actor, "pk", None) else None)
    return save_in_scope(actor=actor, instance=follow_up, action="follow_up.create", scope_field="placement",
                         changes={"placement": placement.pk, "visited_on": visited_on.isoformat(),
                                  "still_employed": still_employed})


def job_fair_create(*, actor, workshops=(), **fields) -> JobFair:
    with transaction.atomic():
        fair = create(JobFair, actor=actor, action="job_fair.create", scope_field="township", **fields)
        if workshops:
            fair.workshops.set(workshops)
    return fair


@transaction.atomic
def job_fair_update(*, actor, job_fair: JobFair, workshops=None, **fields) -> JobFair:
    fair = update(job_fair, actor=actor, action="job_fair.update", scope_field="township", **fields)
    if workshops is not None:
        fair.workshops.set(workshops)
    return fair


@transaction.atomic
def returnee_create(*, actor, worker: Worker, returned_on: date, enterprise=None) -> Returnee:
    if Returnee.objects.filter(worker=worker).exists():
        raise Conflict(_("This worker is already recorded as a returnee."), code="returnee_exists")
    returnee = create(Returnee, actor=actor, action="returnee.create", scope_field="worker", worker=worker,
                      returned_on=returned_on, enterprise=enterprise)
    Worker.objects.filter(pk=worker.pk, returnee=False).update(returnee=True)
    return returnee
