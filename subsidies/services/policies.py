"""Which policy applies to a month, and its figures as pure data for `rules`."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from accounts import audit
from accounts.permissions import require
from core.writes import plain

from .. import rules
from ..choices import LOCKED_STATUSES
from ..models import Policy, Rule


def policy_for(month: date) -> Policy | None:
    return (
        Policy.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=month), effective_from__lte=month)
        .prefetch_related("rules").order_by("-effective_from").first()
    )


def terms_of(policy: Policy) -> rules.Terms:
    return rules.Terms(
        code=policy.code,
        min_wage=policy.min_monthly_wage,
        min_days=policy.min_days,
        min_age=policy.min_age,
        max_age=policy.max_age,
        rules={
            rule.component: rules.RuleTerms(
                categories=frozenset(rule.eligible_categories or ()),
                amount=rule.amount,
                monthly_cap=rule.monthly_cap,
                yearly_workshop_cap=rule.yearly_workshop_cap,
                month_limit=rule.month_limit,
                qualifying_month=rule.qualifying_month,
                certificate_amounts={k: Decimal(str(v)) for k, v in (rule.certificate_amounts or {}).items()},
            )
            for rule in policy.rules.all()
        },
        pays_loan_interest=policy.pays_loan_interest,
        startup=rules.StartupTerms(amount=policy.startup_award_amount, months=policy.startup_months_operated,
                                   min_other_workers=policy.startup_min_other_workers),
        transport=rules.TransportTerms(amount=policy.transport_amount, months=policy.transport_months),
    )


def terms_by_month(months: list[date]) -> dict[date, rules.Terms]:
    """Each month's own policy (one query): a new version never changes an earlier month."""
    policies = list(Policy.objects.prefetch_related("rules").order_by("effective_from"))
    result = {}
    for month in months:
        covering = [p for p in policies if p.effective_from <= month and (p.effective_to is None
                                                                         or p.effective_to >= month)]
        if covering:
            result[month] = terms_of(covering[-1])
    return result


def validate_no_overlap(policy: Policy) -> None:
    """Two policies never cover the same month (rule across rows, so it lives here)."""
    if not policy.effective_from:
        return
    others = Policy.objects.exclude(pk=policy.pk).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=policy.effective_from))
    if policy.effective_to:
        others = others.filter(effective_from__lte=policy.effective_to)
    clash = others.first()
    if clash:
        raise ValidationError({"effective_from": _("These dates overlap policy %(code)s.") % {"code": clash.code}})


RULE_FIELDS = ("eligible_categories", "amount", "monthly_cap", "yearly_workshop_cap", "month_limit",
               "qualifying_month", "certificate_amounts")
# What may still change on a policy that approved runs were paid under: its labels, and its end date
# as long as it still covers those months.
LABEL_FIELDS = ("name", "document_number", "effective_to")


def _rule_terms(rule: Rule) -> tuple:
    values = {f: getattr(rule, f) for f in RULE_FIELDS}
    values["eligible_categories"] = sorted(values["eligible_categories"] or [])
    values["certificate_amounts"] = {k: str(Decimal(str(v)).quantize(Decimal("0.01")))
                                     for k, v in sorted((values["certificate_amounts"] or {}).items())}
    return rule.component, tuple((f, str(v)) for f, v in values.items())


def _changes(before: Policy | None, policy: Policy, old_rules: list[Rule], rules: list[Rule]) -> dict:
    fields = [f.name for f in Policy._meta.concrete_fields if f.name != "id"]
    changes = {f: [plain(getattr(before, f)) if before else None, plain(getattr(policy, f))] for f in fields
               if before is None or getattr(before, f) != getattr(policy, f)}
    old, new = dict(map(_rule_terms, old_rules)), dict(map(_rule_terms, rules))
    for component in sorted(old.keys() | new.keys()):
        if old.get(component) != new.get(component):
            changes[f"rule.{component}"] = [dict(old[component]) if component in old else None,
                                            dict(new[component]) if component in new else None]
    return changes


def _last_locked_month(policy: Policy) -> date | None:
    if policy.pk is None:
        return None
    return policy.runs.filter(status__in=LOCKED_STATUSES).aggregate(m=Max("month"))["m"]


@dataclass(frozen=True)
class PolicyLock:
    """Why a policy's figures and rules may no longer change, and what still may: asked by the edit
    page (which disables the rest up front) and applied by `policy_save`."""

    last_month: date  # the last month with an approved or paid run under the policy
    editable: tuple[str, ...] = LABEL_FIELDS

    @property
    def reason(self) -> str:
        return _("Runs up to %(month)s were approved under this policy, so its figures and rules "
                 "cannot change; create a new version from a later month instead.") % {
                     "month": f"{self.last_month:%Y-%m}"}

    def allows(self, field: str) -> bool:
        return field in self.editable


def policy_lock(policy: Policy) -> PolicyLock | None:
    """None while no approved or paid run was calculated under `policy`."""
    last = _last_locked_month(policy)
    return None if last is None else PolicyLock(last_month=last)


def _check_locked(before: Policy, policy: Policy, changes: dict) -> None:
    """Money already approved under a policy was decided by its figures: those never change."""
    lock = policy_lock(before)
    if lock is None:
        return
    last = lock.last_month
    frozen = sorted(k for k in changes if not lock.allows(k))
    if frozen:
        raise ValidationError(lock.reason)
    if policy.effective_to and policy.effective_to < rules.month_end(last):
        raise ValidationError({"effective_to": _("Runs up to %(month)s were approved under this policy; it must "
                                                 "stay in force until that month's end.") % {"month": f"{last:%Y-%m}"}})


def _close_predecessor(actor, policy: Policy) -> None:
    """A new version starting later ends the open-ended policy before it, on the day before."""
    previous = Policy.objects.select_for_update().filter(
        effective_to__isnull=True, effective_from__lt=policy.effective_from).exclude(pk=policy.pk).first()
    if previous is None:
        return
    old_rules = list(previous.rules.all())
    before = Policy.objects.get(pk=previous.pk)
    previous.effective_to = policy.effective_from - timedelta(days=1)
    changes = _changes(before, previous, old_rules, old_rules)
    _check_locked(before, previous, changes)
    previous.save(update_fields=["effective_to"])
    audit.record(actor, "subsidy_policy.update", previous, changes)


@transaction.atomic
def policy_save(*, actor, policy: Policy, rules: list[Rule] | None = None) -> Policy:
    """Create or change a policy and its rules (county admins). A new version closes the open-ended
    one before it; a policy that approved runs were paid under keeps its figures and rules."""
    require(actor, "subsidies.policy.edit")
    created = policy.pk is None
    before = None if created else Policy.objects.select_for_update().get(pk=policy.pk)
    old_rules = [] if created else list(before.rules.all())
    rules = old_rules if rules is None else rules
    if len({rule.component for rule in rules}) != len(rules):
        raise ValidationError(_("A policy has at most one rule per component."))
    policy.full_clean()
    for rule in rules:
        rule.policy = policy
        rule.full_clean(exclude=["policy"], validate_unique=False)
    changes = _changes(before, policy, old_rules, rules)
    if created:
        _close_predecessor(actor, policy)
    else:
        if not changes:
            return policy
        _check_locked(before, policy, changes)
    validate_no_overlap(policy)
    policy.save()
    if any(key.startswith("rule.") for key in changes):
        policy.rules.all().delete()
        Rule.objects.bulk_create([Rule(policy=policy, component=rule.component,
                                       **{f: getattr(rule, f) for f in RULE_FIELDS}) for rule in rules])
    audit.record(actor, "subsidy_policy.create" if created else "subsidy_policy.update", policy, changes)
    return policy
