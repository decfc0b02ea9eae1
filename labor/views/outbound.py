"""Pages of east labour cooperation, phone-first for the liaison station and brokers: the outbound
placements (record, return, visits), the overdue visits, east posts, and brokers' proposals."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can
from core.pages import SIGNED_IN, ScopedDetailView, ScopedListView, ServiceFormView

from .. import outbound_filters as filters
from .. import outbound_forms as forms
from .. import selectors, services, tables
from ..models import EastPost, OutboundPlacement
from ..models.outbound import VISIT_MONTHS
from .lists import DecisionView
from .workers import MaskedTableMixin

FORM = "labor/outbound/form.html"
LIST = "labor/outbound/list.html"


class OutboundPlacementListView(MaskedTableMixin, ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.outbound_placement_list)
    filterset_class = filters.OutboundPlacementFilterSet
    table_class = tables.OutboundPlacementTable
    export_name = "outbound-placements"
    template_name = LIST
    title = gettext_lazy("Working in the east")

    links = {"create_url": ("outbound-placement-create", "labor.outbound_placement.write"),
             "overdue_url": ("outbound-visit-overdue", "labor.outbound_visit.overdue")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "working_now": selectors.outbound_working(self.request.user).count()}


class OutboundPlacementDetailView(ScopedDetailView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.outbound_placement_list)
    template_name = "labor/outbound/detail.html"
    context_object_name = "placement"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placement, user = self.object, self.request.user
        visits = {v.milestone: v for v in placement.visits.select_related("visited_by")}
        context["visits"] = [{"months": m, "due_on": placement.visit_due_on(m), "visit": visits.get(m)}
                             for m in VISIT_MONTHS]
        context["can_visit"] = can(user, "labor.outbound_visit.write") and placement.return_date is None
        context["can_return"] = can(user, "labor.outbound_placement.write") and placement.return_date is None
        context["full_id"] = selectors.shows_full_id_number(user)
        return context


def _placement(request, pk) -> OutboundPlacement:
    try:
        return selectors.outbound_placement_list(user=request.user).get(pk=pk)
    except OutboundPlacement.DoesNotExist:
        raise Http404 from None


class OutboundPlacementCreateView(ServiceFormView):
    permission = "labor.outbound_placement.write"
    form_class = forms.OutboundPlacementForm
    template_name = FORM

    def get_initial(self):
        return {"east_post": self.request.GET.get("east_post")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Record a job in the east"),
                "cancel_url": reverse("outbound-placement-list")}

    def save(self, form):
        return services.outbound_placement_create(actor=self.request.user, **form.service_kwargs())

    def get_success_url(self):
        return reverse("outbound-placement-detail", args=[self.object.pk])


class OutboundReturnView(ServiceFormView):
    permission = "labor.outbound_placement.write"
    form_class = forms.OutboundReturnForm
    template_name = FORM

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user", None)
        return kwargs

    def get_context_data(self, **kwargs):
        placement = _placement(self.request, self.kwargs["pk"])
        return {**super().get_context_data(**kwargs), "title": _("%(worker)s returns") % {"worker": placement.worker},
                "cancel_url": reverse("outbound-placement-detail", args=[placement.pk])}

    def save(self, form):
        return services.outbound_placement_return(actor=self.request.user,
                                                  placement=_placement(self.request, self.kwargs["pk"]),
                                                  **form.cleaned_data)

    def get_success_url(self):
        return reverse("outbound-placement-detail", args=[self.object.pk])


class OutboundVisitCreateView(ServiceFormView):
    permission = "labor.outbound_visit.write"
    form_class = forms.OutboundVisitForm
    template_name = FORM

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user", None)
        return {**kwargs, "placement": _placement(self.request, self.kwargs["pk"])}

    def get_initial(self):
        return {"milestone": self.request.GET.get("milestone")}

    def get_context_data(self, **kwargs):
        placement = _placement(self.request, self.kwargs["pk"])
        return {**super().get_context_data(**kwargs),
                "title": _("Follow-up visit: %(worker)s") % {"worker": placement.worker},
                "cancel_url": reverse("outbound-placement-detail", args=[placement.pk])}

    def save(self, form):
        return services.outbound_visit_create(actor=self.request.user,
                                              placement=_placement(self.request, self.kwargs["pk"]),
                                              **form.cleaned_data)

    def get_success_url(self):
        return reverse("outbound-placement-detail", args=[self.object.placement_id])


class OutboundVisitListView(ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.outbound_visit_list)
    filterset_class = filters.OutboundVisitFilterSet
    table_class = tables.OutboundVisitTable
    export_name = "outbound-visits"
    template_name = LIST
    title = gettext_lazy("East follow-up visits")
    links = {"overdue_url": ("outbound-visit-overdue", "labor.outbound_visit.overdue")}


class OverdueVisitListView(ScopedListView):
    """The station's to-do: workers still in the east whose 1-, 3- or 6-month visit is due and not recorded."""

    permission = "labor.outbound_visit.overdue"
    selector = staticmethod(selectors.outbound_visits_overdue)
    filterset_class = filters.OverdueVisitFilterSet
    table_class = tables.OverdueVisitTable
    export_name = "outbound-visits-overdue"
    template_name = LIST
    title = gettext_lazy("Overdue follow-up visits")


class EastPostListView(ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.east_post_list)
    filterset_class = filters.EastPostFilterSet
    table_class = tables.EastPostTable
    export_name = "east-posts"
    template_name = LIST
    title = gettext_lazy("East posts")
    links = {"create_url": ("east-post-create", "labor.east_post.write")}


class EastPostCreateView(ServiceFormView):
    permission = "labor.east_post.write"
    form_class = forms.EastPostForm
    template_name = FORM

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("New east post"),
                "cancel_url": reverse("east-post-list")}

    def save(self, form):
        return services.east_post_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("east-post-list")


class EastPostUpdateView(EastPostCreateView):
    def target(self) -> EastPost:
        try:
            return selectors.east_post_list(user=self.request.user).get(pk=self.kwargs["pk"])
        except EastPost.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.target()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit %(thing)s") % {"thing": self.target()}}

    def save(self, form):
        return services.east_post_update(actor=self.request.user, east_post=self.target(), **form.cleaned_data)


class OutboundReferralListView(ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.outbound_referral_list)
    filterset_class = filters.OutboundReferralFilterSet
    table_class = tables.OutboundReferralTable
    export_name = "outbound-referrals"
    template_name = LIST
    title = gettext_lazy("East referrals")
    links = {"create_url": ("outbound-referral-propose", "labor.outbound_referral.propose_page")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "can_decide": can(self.request.user, "labor.outbound_referral.decide")}


class OutboundProposeView(ServiceFormView):
    permission = "labor.outbound_referral.propose_page"
    form_class = forms.OutboundProposeForm
    template_name = FORM

    def get_initial(self):
        return {"east_post": self.request.GET.get("east_post"), "worker": self.request.GET.get("worker")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Propose a worker for an east post"),
                "cancel_url": reverse("outbound-referral-list")}

    def save(self, form):
        return services.outbound_referral_propose(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("outbound-referral-list")


class OutboundDecideView(DecisionView):
    permission = "labor.outbound_referral.decide"
    selector = staticmethod(selectors.outbound_referral_list)
    service = staticmethod(services.outbound_referral_decide)
    list_url_name = "outbound-referral-list"
