"""Lists for officials and operators (filter, page, Excel export), the operator's referral decisions,
and the registry pages declared per model (core.pages' Record views)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.permissions import can
from core.errors import REFUSALS, add_page_message
from core.pages import (
    SIGNED_IN,
    PermissionRequiredMixin,
    RecordCreateView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
    ScopedListView,
)

from .. import filtersets, forms, selectors, services, tables
from .workers import MaskedTableMixin


class PlacementListView(MaskedTableMixin, ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.placement_list)
    filterset_class = filtersets.PlacementFilterSet
    table_class = tables.PlacementTable
    export_name = "placements"
    template_name = "labor/list.html"
    title = gettext_lazy("Placements")


class PayrollListView(MaskedTableMixin, ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.payroll_list)
    filterset_class = filtersets.PayrollFilterSet
    table_class = tables.PayrollTable
    export_name = "payroll"
    template_name = "labor/list.html"
    title = gettext_lazy("Payroll")


class ReferralListView(ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.referral_list)
    filterset_class = filtersets.ReferralFilterSet
    table_class = tables.ReferralTable
    export_name = "referrals"
    template_name = "labor/list.html"
    title = gettext_lazy("Referrals")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.match_rate(self.get_queryset())
        context["can_decide"] = can(self.request.user, "labor.referral.decide")
        return context


class DecisionView(PermissionRequiredMixin, View):
    """A workshop's hire/decline of a pending referral, posted from its list: a refusal or a bad form is a
    message on the page, and the user is back on the list as they had filtered, sorted and paged it."""

    selector = None  # (*, user) -> the referrals the user may decide
    service = None  # (*, actor, referral, outcome, reason) -> the decided referral
    list_url_name = ""
    form_class = forms.DecideForm

    def post(self, request, pk):
        try:
            referral = type(self).selector(user=request.user).get(pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose hire or decline."))
        else:
            try:
                type(self).service(actor=request.user, referral=referral, **form.cleaned_data)
                messages.success(request, _("Decision saved."))
            except REFUSALS as exc:
                add_page_message(request, exc)
        # only the list's query comes from the form: the path is ours
        back = QueryDict(request.POST.get("back", "")).urlencode()
        return redirect(reverse(self.list_url_name) + (f"?{back}" if back else ""))


class DecideView(DecisionView):
    permission = "labor.referral.decide"
    selector = staticmethod(selectors.referral_list)
    service = staticmethod(services.referral_decide)
    list_url_name = "labor-referral-list"


class MaskedRecordListView(MaskedTableMixin, RecordListView):
    """A registry list with ID numbers: masked except for county staff, on the page and in Excel."""


class CooperativeRecord:
    record_name = "cooperative"
    title = gettext_lazy("Cooperatives")
    selector = staticmethod(selectors.cooperative_list)
    form_class = forms.CooperativeForm
    write_permission = "labor.cooperative.write"


class CooperativeListView(CooperativeRecord, RecordListView):
    filterset_class = filtersets.CooperativeFilterSet
    table_class = tables.CooperativeTable
    export_name = "cooperative"


class CooperativeDetailView(CooperativeRecord, RecordDetailView):
    related = (
        (gettext_lazy("Members"), "membership-list", "cooperative"),
    )


class CooperativeCreateView(CooperativeRecord, RecordCreateView):
    create_service = staticmethod(services.cooperative_create)


class CooperativeUpdateView(CooperativeRecord, RecordUpdateView):
    update_service = staticmethod(services.cooperative_update)
    instance_arg = "cooperative"


class MembershipRecord:
    record_name = "membership"
    title = gettext_lazy("Cooperative members")
    selector = staticmethod(selectors.membership_list)
    form_class = forms.MembershipForm
    write_permission = "labor.membership.write_page"


class MembershipListView(MembershipRecord, MaskedRecordListView):
    filterset_class = filtersets.MembershipFilterSet
    table_class = tables.MembershipTable
    export_name = "membership"


class MembershipDetailView(MembershipRecord, RecordDetailView):
    pass


class MembershipCreateView(MembershipRecord, RecordCreateView):
    create_service = staticmethod(services.membership_create)


class MembershipUpdateView(MembershipRecord, RecordUpdateView):
    update_service = staticmethod(services.membership_update)
    instance_arg = "membership"


class JobFairRecord:
    record_name = "job-fair"
    title = gettext_lazy("Job fairs")
    selector = staticmethod(selectors.job_fair_list)
    form_class = forms.JobFairForm
    write_permission = "labor.job_fair.write"


class JobFairListView(JobFairRecord, RecordListView):
    filterset_class = filtersets.JobFairFilterSet
    table_class = tables.JobFairTable
    export_name = "job-fair"


class JobFairDetailView(JobFairRecord, RecordDetailView):
    related = (
        (gettext_lazy("Referrals"), "labor-referral-list", "job_fair"),
        (gettext_lazy("Placements"), "labor-placement-list", "job_fair"),
    )


class JobFairCreateView(JobFairRecord, RecordCreateView):
    create_service = staticmethod(services.job_fair_create)


class JobFairUpdateView(JobFairRecord, RecordUpdateView):
    update_service = staticmethod(services.job_fair_update)
    instance_arg = "job_fair"


class TrainingRecord:
    record_name = "training"
    title = gettext_lazy("Trainings")
    selector = staticmethod(selectors.training_list)
    form_class = forms.TrainingForm
    write_permission = "labor.training.write_page"


class TrainingListView(TrainingRecord, RecordListView):
    filterset_class = filtersets.TrainingFilterSet
    table_class = tables.TrainingTable
    export_name = "training"


class TrainingDetailView(TrainingRecord, RecordDetailView):
    related = (
        (gettext_lazy("Completions"), "training-completion-list", "training"),
    )


class TrainingCreateView(TrainingRecord, RecordCreateView):
    create_service = staticmethod(services.training_create)


class TrainingUpdateView(TrainingRecord, RecordUpdateView):
    update_service = staticmethod(services.training_update)
    instance_arg = "training"


# Completions and returns are only ever added (as in the API): a completion may already have been
# paid a training subsidy, so it is not edited afterwards.
class TrainingCompletionRecord:
    record_name = "training-completion"
    title = gettext_lazy("Training completions")
    selector = staticmethod(selectors.training_completion_list)
    form_class = forms.TrainingCompletionForm
    write_permission = "labor.training_completion.write_page"
    editable = False


class TrainingCompletionListView(TrainingCompletionRecord, MaskedRecordListView):
    filterset_class = filtersets.TrainingCompletionFilterSet
    table_class = tables.TrainingCompletionTable
    export_name = "training-completion"


class TrainingCompletionDetailView(TrainingCompletionRecord, RecordDetailView):
    pass


class TrainingCompletionCreateView(TrainingCompletionRecord, RecordCreateView):
    create_service = staticmethod(services.training_completion_create)


class ReturneeRecord:
    record_name = "returnee"
    title = gettext_lazy("Returnees")
    selector = staticmethod(selectors.returnee_list)
    form_class = forms.ReturneeForm
    write_permission = "labor.returnee.write_page"
    editable = False


class ReturneeListView(ReturneeRecord, MaskedRecordListView):
    filterset_class = filtersets.ReturneeFilterSet
    table_class = tables.ReturneeTable
    export_name = "returnee"


class ReturneeDetailView(ReturneeRecord, RecordDetailView):
    pass


class ReturneeCreateView(ReturneeRecord, RecordCreateView):
    create_service = staticmethod(services.returnee_create)
