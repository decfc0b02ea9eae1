"""Pages for subsidy policies: county staff read them, county admins create versions and edit them."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import add_form_errors
from core.pages import requires

from . import selectors, services
from .forms import COMPONENT_POLICY_FIELDS, PolicyForm, rule_forms
from .models import Policy

LOCKED_MARK = "locked"  # posted by a policy form shown with its locked fields disabled


@requires("subsidies.policy.view")
def policy_list(request):
    # The template asks can.subsidies_policy_edit for the "new version" button.
    return render(request, "subsidies/policy_list.html", {"policies": selectors.policy_list(user=request.user)})


@requires("subsidies.policy.view")
def policy_detail(request, pk):
    policy = selectors.policy_get(user=request.user, pk=pk)
    return render(request, "subsidies/policy_detail.html", {
        "policy": policy, "rules": policy.rules.all(), "runs": policy.runs.order_by("-month", "-id")[:24],
        "lock": services.policy_lock(policy),
    })


def _edit(request, policy: Policy, title: str, initial_rules):
    # What the service would refuse to change is disabled up front (the service's rule, asked here).
    lock = services.policy_lock(policy) if policy.pk else None
    if request.method == "POST":
        # A form shown locked posts LOCKED_MARK and none of its disabled fields, which keep their values. A
        # form opened before the policy was locked posts every field: the service refuses what changed.
        shown_locked = lock is not None and request.POST.get(LOCKED_MARK) == "1"
        form = PolicyForm(request.POST, instance=policy, lock=lock if shown_locked else None)
        rules = rule_forms(request.POST, rules=initial_rules if shown_locked else (), locked=shown_locked)
        if form.is_valid() and all(r.is_valid() for r in rules):
            try:
                saved = services.policy_save(actor=request.user, policy=form.save(commit=False),
                                             rules=[rule for r in rules if (rule := r.rule()) is not None])
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Policy %(code)s saved.") % {"code": saved.code})
                return redirect("subsidy-policy-detail", pk=saved.pk)
        if lock is not None and not shown_locked:
            # Refused because the policy was locked meanwhile: show it locked now (the reason above the
            # form), keeping what was typed into the fields that may still change.
            refused = form.errors
            form = PolicyForm(request.POST, instance=Policy.objects.get(pk=policy.pk), lock=lock)
            form.is_valid()
            for name, reasons in refused.items():
                field = form.fields.get(name)
                target = name if field is not None and not field.disabled else None
                for reason in reasons:
                    if reason != lock.reason and reason not in form.errors.get(target or NON_FIELD_ERRORS, []):
                        form.add_error(target, reason)
            rules = rule_forms(rules=initial_rules, locked=True)
    else:
        form = PolicyForm(instance=policy, lock=lock)
        rules = rule_forms(rules=initial_rules, locked=lock is not None)
    return render(request, "subsidies/policy_form.html", {"form": form, "rule_forms": rules, "title": title,
                                                           "policy": policy, "lock": lock})


@requires("subsidies.policy.edit")
def policy_create(request):
    """A new version, prefilled from the policy in force (or `?from=<id>`)."""
    source_id, policies = request.GET.get("from", ""), selectors.policy_list(user=request.user)
    source = policies.filter(pk=source_id).first() if source_id.isdigit() else policies.first()
    policy = Policy()
    if source is not None and request.method != "POST":
        for field in ("name", "document_number", "min_monthly_wage", "min_days", "min_age", "max_age",
                      *COMPONENT_POLICY_FIELDS):
            setattr(policy, field, getattr(source, field))
    return _edit(request, policy, _("New subsidy policy version"), source.rules.all() if source else ())


@requires("subsidies.policy.edit")
def policy_update(request, pk):
    policy = selectors.policy_get(user=request.user, pk=pk)
    return _edit(request, policy, _("Edit policy %(code)s") % {"code": policy.code}, policy.rules.all())
