"""Workshop pages: registry lists/forms declared per model (core.pages' Record views), the workshop
page, certification actions behind a confirmation page, and raising/resolving difficulties from the
workshop page."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from accounts.permissions import can
from core.errors import REFUSALS, add_form_errors
from core.pages import (
    PermissionRequiredMixin,
    RecordCreateView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
    requires,
)

from . import filtersets, forms, selectors, services, tables
from .choices import CertificationAction, WorkshopStatus
from .models import Workshop


class WorkshopRecord:
    record_name = "workshop"
    title = gettext_lazy("Workshops")
    selector = staticmethod(selectors.workshop_list)
    form_class = forms.WorkshopForm
    write_permission = "workshops.workshop.write_page"


class WorkshopListView(WorkshopRecord, RecordListView):
    filterset_class = filtersets.WorkshopFilterSet
    table_class = tables.WorkshopTable
    export_name = "workshop"


class WorkshopDetailView(WorkshopRecord, RecordDetailView):
    """The workshop's page: its record, posts, liaisons, open difficulties, certification history."""

    template_name = "workshops/workshop_detail.html"
    exclude_from_detail = ("created_at",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workshop = self.object
        user = self.request.user
        may_certify = can(user, "workshops.workshop.certify_page", workshop)
        context.update(
            posts=workshop.posts.order_by("title"),
            liaisons=workshop.liaisons.order_by("department"),
            difficulties=selectors.open_difficulties(workshop=workshop),
            history=selectors.certification_history(workshop=workshop),
            can_certify=may_certify and workshop.status != WorkshopStatus.CERTIFIED,
            can_revoke=may_certify and workshop.status == WorkshopStatus.CERTIFIED,
            raise_form=forms.RaiseDifficultyForm(user=user),
            resolve_form=forms.ResolveDifficultyForm(initial={"resolved_on": timezone.localdate()}, auto_id=False),
        )
        return context


class WorkshopCreateView(WorkshopRecord, RecordCreateView):
    create_service = staticmethod(services.workshop_create)


class WorkshopUpdateView(WorkshopRecord, RecordUpdateView):
    update_service = staticmethod(services.workshop_update)
    instance_arg = "workshop"


class PostRecord:
    record_name = "post"
    title = gettext_lazy("Posts")
    selector = staticmethod(selectors.post_list)
    form_class = forms.PostForm
    write_permission = "workshops.post.write_page"


class PostListView(PostRecord, RecordListView):
    filterset_class = filtersets.PostFilterSet
    table_class = tables.PostTable
    export_name = "post"


class PostDetailView(PostRecord, RecordDetailView):
    pass


class PostCreateView(PostRecord, RecordCreateView):
    create_service = staticmethod(services.post_create)


class PostUpdateView(PostRecord, RecordUpdateView):
    update_service = staticmethod(services.post_update)
    instance_arg = "post"


class LiaisonRecord:
    record_name = "liaison"
    title = gettext_lazy("1+N liaisons")
    selector = staticmethod(selectors.liaison_list)
    form_class = forms.LiaisonForm
    write_permission = "workshops.liaison.write"


class LiaisonListView(LiaisonRecord, RecordListView):
    filterset_class = filtersets.LiaisonFilterSet
    table_class = tables.LiaisonTable
    export_name = "liaison"


class LiaisonDetailView(LiaisonRecord, RecordDetailView):
    pass


class LiaisonCreateView(LiaisonRecord, RecordCreateView):
    create_service = staticmethod(services.liaison_create)


class LiaisonUpdateView(LiaisonRecord, RecordUpdateView):
    update_service = staticmethod(services.liaison_update)
    instance_arg = "liaison"


class DifficultyRecord:
    record_name = "difficulty"
    title = gettext_lazy("Difficulties")
    selector = staticmethod(selectors.difficulty_list)
    form_class = forms.DifficultyForm
    write_permission = "workshops.difficulty.write_page"


class DifficultyListView(DifficultyRecord, RecordListView):
    filterset_class = filtersets.DifficultyFilterSet
    table_class = tables.DifficultyTable
    export_name = "difficulty"


class DifficultyDetailView(DifficultyRecord, RecordDetailView):
    pass


class DifficultyCreateView(DifficultyRecord, RecordCreateView):
    create_service = staticmethod(services.difficulty_raise)


class DifficultyUpdateView(DifficultyRecord, RecordUpdateView):
    update_service = staticmethod(services.difficulty_update)
    instance_arg = "difficulty"


class TransitionView(PermissionRequiredMixin, FormView):
    """GET shows the confirmation (with today's workforce against the criteria); POST acts."""

    permission = "workshops.workshop.certify_page"  # certify and revoke
    template_name = "workshops/transition.html"

    @cached_property
    def workshop(self) -> Workshop:
        try:
            return selectors.workshop_get(user=self.request.user, pk=self.kwargs["pk"])
        except Workshop.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(workshop=self.workshop, title=self.title, action=self.action,
                       workforce=selectors.workforce_on(self.workshop, timezone.localdate()),
                       thresholds=selectors.criteria_thresholds(),
                       share_percent=f"{Decimal(str(selectors.criteria_thresholds()['min_share'])) * 100:g}")
        return context

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except REFUSALS as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return redirect("workshop-detail", pk=self.workshop.pk)


class CertifyView(TransitionView):
    form_class = forms.CertifyForm
    action = "certify"

    @property
    def title(self):
        return _("Certify %(workshop)s") % {"workshop": self.workshop}

    done_message = gettext_lazy("The workshop is certified.")

    def act(self, data):
        services.workshop_certify(actor=self.request.user, workshop=self.workshop, on=data["date"],
                                  override_reason=data.get("override_reason", ""))


class RevokeView(TransitionView):
    form_class = forms.RevokeForm
    action = "revoke"
    done_message = gettext_lazy("The certification is revoked.")

    @property
    def title(self):
        return _("Revoke the certification of %(workshop)s") % {"workshop": self.workshop}

    def act(self, data):
        services.workshop_revoke(actor=self.request.user, workshop=self.workshop, on=data["date"],
                                 reason=data["reason"])


class RaiseDifficultyView(PermissionRequiredMixin, View):
    permission = "workshops.difficulty.write_page"

    def post(self, request, pk):
        try:
            workshop = selectors.workshop_get(user=request.user, pk=pk)
        except Workshop.DoesNotExist:
            raise Http404 from None
        form = forms.RaiseDifficultyForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.difficulty_raise(actor=request.user, workshop=workshop, **form.cleaned_data)
                messages.success(request, _("The difficulty is recorded."))
                return redirect("workshop-detail", pk=workshop.pk)
            except REFUSALS as exc:
                add_form_errors(form, exc)
        return render(request, "workshops/difficulty_form.html", {"form": form, "workshop": workshop,
                                                                   "title": _("Raise a difficulty")})


class ResolveDifficultyView(PermissionRequiredMixin, View):
    permission = "workshops.difficulty.resolve"

    def post(self, request, pk):
        difficulty = selectors.difficulty_list(user=request.user).filter(pk=pk).first()
        if difficulty is None:
            raise Http404
        form = forms.ResolveDifficultyForm(request.POST)
        if form.is_valid():
            try:
                services.difficulty_resolve(actor=request.user, difficulty=difficulty, **form.cleaned_data)
                messages.success(request, _("The difficulty is resolved."))
                return redirect("workshop-detail", pk=difficulty.workshop_id)
            except REFUSALS as exc:
                add_form_errors(form, exc)
        return render(request, "workshops/difficulty_form.html", {
            "form": form, "workshop": difficulty.workshop, "difficulty": difficulty,
            "title": _("Resolve a difficulty")})


@requires("workshops.certification_notice.view")
def certification_notice(request, pk, event_id):
    """The printable notice (认定公告) of one certification of a workshop in the user's scope."""
    workshop = get_object_or_404(selectors.workshop_list(user=request.user), pk=pk)
    event = get_object_or_404(workshop.certification_events.select_related("actor"), pk=event_id,
                              action=CertificationAction.CERTIFIED)
    return render(request, "workshops/certification_notice.html", {"workshop": workshop, "event": event})
