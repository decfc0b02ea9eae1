"""Referrals, follow-up visits, job fairs, returnees."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict
from accounts.permissions import require
from core.writes import UNSET, create, created, given, plain, save_in_scope, update

from ..choices import PlacementSource, ReferralOutcome
from ..models import Broker, FollowUp, JobFair, Referral, Returnee, Worker
from .placements import placement_create


def referral_propose(*, actor, worker, post, proposed_on: date | None = None, job_fair=None) -> Referral:
    """A broker proposes a worker for a post."""
    require(actor, "labor.referral.propose")
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
    require(actor, "labor.referral.decide", referral)
    referral = Referral.objects.select_for_update().select_related("post", "worker").get(pk=referral.pk)
    if referral.outcome != ReferralOutcome.PENDING:
        raise Conflict(_("This referral has already been decided."), code="referral_decided")
    if outcome not in (ReferralOutcome.HIRED, ReferralOutcome.DECLINED):
        raise ValidationError({"outcome": [_("Choose hired or declined.")]})
    decided_on = decided_on or timezone.localdate()
    if decided_on < referral.proposed_on:
        raise ValidationError({"decided_on": [_("A referral cannot be decided before it was proposed.")]})
    old = {"outcome": referral.outcome, "decided_on": referral.decided_on, "reason": referral.reason}
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
    changes = {"outcome": [old["outcome"], outcome], "decided_on": [plain(old["decided_on"]), decided_on.isoformat()],
               "reason": [old["reason"], referral.reason]}
    if referral.placement_id:
        changes["placement"] = [None, referral.placement_id]
    audit.record(actor, "referral.decide", referral, changes)
    return referral


def follow_up_create(*, actor, placement, visited_on: date, still_employed: bool = True, note: str = "") -> FollowUp:
    require(actor, "labor.follow_up.write")
    if visited_on < placement.start_date:
        raise ValidationError({"visited_on": [_("A visit cannot be before the placement started.")]})
    follow_up = FollowUp(placement=placement, visited_on=visited_on, still_employed=still_employed, note=note,
                         visited_by=actor if getattr(actor, "pk", None) else None)
    return save_in_scope(actor=actor, instance=follow_up, action="follow_up.create", scope_field="placement",
                         changes=created({"placement": placement, "visited_on": visited_on,
                                          "still_employed": still_employed, "note": note}))


def job_fair_create(*, actor, title=UNSET, date=UNSET, township=UNSET, attendees=UNSET, workshops=()) -> JobFair:
    require(actor, "labor.job_fair.write")
    with transaction.atomic():
        fair = create(JobFair, actor=actor, action="job_fair.create", scope_field="township",
                      **given(title=title, date=date, township=township, attendees=attendees))
        if workshops:
            fair.workshops.set(workshops)
            audit.record(actor, "job_fair.workshops", fair, {"workshops": [[], plain(set(workshops))]})
    return fair


@transaction.atomic
def job_fair_update(*, actor, job_fair: JobFair, title=UNSET, date=UNSET, township=UNSET, attendees=UNSET,
                    workshops=None) -> JobFair:
    require(actor, "labor.job_fair.write", job_fair)
    fair = update(job_fair, actor=actor, action="job_fair.update", scope_field="township",
                  **given(title=title, date=date, township=township, attendees=attendees))
    if workshops is not None:
        before = set(fair.workshops.values_list("pk", flat=True))
        fair.workshops.set(workshops)
        after = {getattr(w, "pk", w) for w in workshops}
        if before != after:
            audit.record(actor, "job_fair.workshops", fair, {"workshops": [sorted(before), sorted(after)]})
    return fair


@transaction.atomic
def returnee_create(*, actor, worker: Worker, returned_on: date, enterprise=None) -> Returnee:
    require(actor, "labor.returnee.write")
    if Returnee.objects.filter(worker=worker).exists():
        raise Conflict(_("This worker is already recorded as a returnee."), code="returnee_exists")
    returnee = create(Returnee, actor=actor, action="returnee.create", scope_field="worker", worker=worker,
                      returned_on=returned_on, enterprise=enterprise)
    if Worker.objects.filter(pk=worker.pk, returnee=False).update(returnee=True):
        audit.record(actor, "worker.update", worker, {"returnee": [False, True]})
    return returnee
