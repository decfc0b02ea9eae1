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
from industries.crud import OFFICIALS, Resource

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


COOPERATIVES = Resource(
    name="cooperative", route="labor/cooperatives", title=gettext_lazy("Cooperatives"),
    selector=selectors.cooperative_list, filterset=filtersets.CooperativeFilterSet, table=tables.CooperativeTable,
    form=forms.CooperativeForm, create_service=services.cooperative_create,
    update_service=services.cooperative_update, instance_arg="cooperative",
)
JOB_FAIRS = Resource(
    name="job-fair", route="labor/job-fairs", title=gettext_lazy("Job fairs"),
    selector=selectors.job_fair_list, filterset=filtersets.JobFairFilterSet, table=tables.JobFairTable,
    form=forms.JobFairForm, create_service=services.job_fair_create, update_service=services.job_fair_update,
    instance_arg="job_fair",
)
TRAININGS = Resource(
    name="training", route="labor/trainings", title=gettext_lazy("Trainings"),
    selector=selectors.training_list, filterset=filtersets.TrainingFilterSet, table=tables.TrainingTable,
    form=forms.TrainingForm, create_service=services.training_create, update_service=services.training_update,
    instance_arg="training", write_roles=OFFICIALS | {Role.WORKSHOP_OPERATOR},
)
RESOURCES = [COOPERATIVES, JOB_FAIRS, TRAININGS]
