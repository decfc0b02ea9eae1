"""Pages for subsidy policies: county staff read them, county admins create versions and edit them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import add_form_errors
from core.pages import requires

from . import selectors, services
from .forms import PolicyForm, rule_forms
from .models import Policy


@requires("subsidies.policy.view")
def policy_list(request):
    # The template asks can.subsidies_policy_edit for the "new version" button.
    return render(request, "subsidies/policy_list.html", {"policies": selectors.policy_list(user=request.user)})


@requires("subsidies.policy.view")
def policy_detail(request, pk):
    policy = selectors.policy_get(user=request.user, pk=pk)
    return render(request, "subsidies/policy_detail.html", {
        "policy": policy, "rules": policy.rules.all(), "runs": policy.runs.order_by("-month", "-id")[:24],
    })


def _edit(request, policy: Policy, title: str, initial_rules):
    if request.method == "POST":
        form = PolicyForm(request.POST, instance=policy)
        rules = rule_forms(request.POST)
        if form.is_valid() and all(r.is_valid() for r in rules):
            try:
                saved = services.policy_save(actor=request.user, policy=form.save(commit=False),
                                             rules=[rule for r in rules if (rule := r.rule()) is not None])
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Policy %(code)s saved.") % {"code": saved.code})
                return redirect("subsidy-policy-detail", pk=saved.pk)
    else:
        form = PolicyForm(instance=policy)
        rules = rule_forms(rules=initial_rules)
    return render(request, "subsidies/policy_form.html", {"form": form, "rule_forms": rules, "title": title,
                                                           "policy": policy})


@requires("subsidies.policy.edit")
def policy_create(request):
    """A new version, prefilled from the policy in force (or `?from=<id>`)."""
    source_id, policies = request.GET.get("from", ""), selectors.policy_list(user=request.user)
    source = policies.filter(pk=source_id).first() if source_id.isdigit() else policies.first()
    policy = Policy()
    if source is not None and request.method != "POST":
        for field in ("name", "document_number", "min_monthly_wage", "min_days", "min_age", "max_age"):
            setattr(policy, field, getattr(source, field))
    return _edit(request, policy, _("New subsidy policy version"), source.rules.all() if source else ())


@requires("subsidies.policy.edit")
def policy_update(request, pk):
    policy = selectors.policy_get(user=request.user, pk=pk)
    return _edit(request, policy, _("Edit policy %(code)s") % {"code": policy.code}, policy.rules.all())
