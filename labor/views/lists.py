"""Lists for officials and operators (filter, page, Excel export) and the operator's referral decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.choices import Role
from accounts.exceptions import Conflict
from accounts.pages import RoleRequiredMixin, ScopedListView
from industries.crud import OFFICIALS, Resource, ResourceListView

from .. import filtersets, forms, selectors, services, tables
from ..models import Referral
from .workers import MaskedTableMixin


class PlacementListView(MaskedTableMixin, ScopedListView):
    selector = staticmethod(selectors.placement_list)
    filterset_class = filtersets.PlacementFilterSet
    table_class = tables.PlacementTable
    export_name = "placements"
    template_name = "labor/list.html"
    title = gettext_lazy("Placements")


class PayrollListView(MaskedTableMixin, ScopedListView):
    selector = staticmethod(selectors.payroll_list)
    filterset_class = filtersets.PayrollFilterSet
    table_class = tables.PayrollTable
    export_name = "payroll"
    template_name = "labor/list.html"
    title = gettext_lazy("Payroll")


class ReferralListView(ScopedListView):
    selector = staticmethod(selectors.referral_list)
    filterset_class = filtersets.ReferralFilterSet
    table_class = tables.ReferralTable
    export_name = "referrals"
    template_name = "labor/list.html"
    title = gettext_lazy("Referrals")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.match_rate(self.get_queryset())
        context["can_decide"] = self.request.user.role in OFFICIALS | {Role.WORKSHOP_OPERATOR}
        return context


class DecideView(RoleRequiredMixin, View):
    roles = OFFICIALS | {Role.WORKSHOP_OPERATOR}

    def post(self, request, pk):
        try:
            referral = selectors.referral_list(user=request.user).get(pk=pk)
        except Referral.DoesNotExist:
            raise Http404 from None
        form = forms.DecideForm(request.POST)
        if form.is_valid():
            try:
                services.referral_decide(actor=request.user, referral=referral, **form.cleaned_data)
                messages.success(request, _("Decision saved."))
            except (ValidationError, Conflict) as exc:
                messages.error(request, exc.message if isinstance(exc, Conflict) else "; ".join(exc.messages))
        return redirect("labor-referral-list")


FIELD = OFFICIALS | {Role.BROKER}


class MaskedResourceListView(MaskedTableMixin, ResourceListView):
    """A registry list with ID numbers: masked except for county staff, on the page and in Excel."""


COOPERATIVES = Resource(
    name="cooperative", route="labor/cooperatives", title=gettext_lazy("Cooperatives"),
    selector=selectors.cooperative_list, filterset=filtersets.CooperativeFilterSet, table=tables.CooperativeTable,
    form=forms.CooperativeForm, create_service=services.cooperative_create,
    update_service=services.cooperative_update, instance_arg="cooperative",
    related=((gettext_lazy("Members"), "membership-list", "cooperative"),),
)
MEMBERSHIPS = Resource(
    name="membership", route="labor/memberships", title=gettext_lazy("Cooperative members"),
    selector=selectors.membership_list, filterset=filtersets.MembershipFilterSet, table=tables.MembershipTable,
    form=forms.MembershipForm, create_service=services.membership_create,
    update_service=services.membership_update, instance_arg="membership", write_roles=FIELD,
    list_view=MaskedResourceListView,
)
JOB_FAIRS = Resource(
    name="job-fair", route="labor/job-fairs", title=gettext_lazy("Job fairs"),
    selector=selectors.job_fair_list, filterset=filtersets.JobFairFilterSet, table=tables.JobFairTable,
    form=forms.JobFairForm, create_service=services.job_fair_create, update_service=services.job_fair_update,
    instance_arg="job_fair",
    related=((gettext_lazy("Referrals"), "labor-referral-list", "job_fair"),
             (gettext_lazy("Placements"), "labor-placement-list", "job_fair")),
)
TRAININGS = Resource(
    name="training", route="labor/trainings", title=gettext_lazy("Trainings"),
    selector=selectors.training_list, filterset=filtersets.TrainingFilterSet, table=tables.TrainingTable,
    form=forms.TrainingForm, create_service=services.training_create, update_service=services.training_update,
    instance_arg="training", write_roles=OFFICIALS | {Role.WORKSHOP_OPERATOR},
    related=((gettext_lazy("Completions"), "training-completion-list", "training"),),
)
# Completions and returns are only ever added (as in the API): a completion may already have been
# paid a training subsidy, so it is not edited afterwards.
TRAINING_COMPLETIONS = Resource(
    name="training-completion", route="labor/training-completions", title=gettext_lazy("Training completions"),
    selector=selectors.training_completion_list, filterset=filtersets.TrainingCompletionFilterSet,
    table=tables.TrainingCompletionTable, form=forms.TrainingCompletionForm,
    create_service=services.training_completion_create, update_service=None, instance_arg="training_completion",
    write_roles=OFFICIALS | {Role.WORKSHOP_OPERATOR}, list_view=MaskedResourceListView,
)
RETURNEES = Resource(
    name="returnee", route="labor/returnees", title=gettext_lazy("Returnees"),
    selector=selectors.returnee_list, filterset=filtersets.ReturneeFilterSet, table=tables.ReturneeTable,
    form=forms.ReturneeForm, create_service=services.returnee_create, update_service=None,
    instance_arg="returnee", write_roles=FIELD, list_view=MaskedResourceListView,
)
RESOURCES = [COOPERATIVES, MEMBERSHIPS, JOB_FAIRS, TRAININGS, TRAINING_COMPLETIONS, RETURNEES]
