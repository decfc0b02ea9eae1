"""Which policy applies to a month, and its figures as pure data for `rules`."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import audit

from .. import rules
from ..models import Policy


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


@transaction.atomic
def policy_save(*, actor, policy: Policy) -> Policy:
    """Create or change a policy (county admins). Months already calculated keep their runs."""
    policy.full_clean()
    validate_no_overlap(policy)
    created = policy.pk is None
    policy.save()
    audit.record(actor, "subsidy_policy.create" if created else "subsidy_policy.update", policy,
                 {"effective_from": str(policy.effective_from), "effective_to": str(policy.effective_to or "")})
    return policy
