"""Workshop pages: registry lists/forms (industries.crud), the workshop page, certification
actions behind a confirmation page, and raising/resolving difficulties from the workshop page."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from accounts.choices import Role
from accounts.exceptions import Conflict
from accounts.pages import RoleRequiredMixin
from industries.crud import OFFICIALS, Resource, ResourceDetailView, add_service_errors

from . import filtersets, forms, selectors, services, tables
from .choices import WorkshopStatus
from .models import Workshop

KEEPERS = OFFICIALS | {Role.WORKSHOP_OPERATOR}


class WorkshopDetailView(ResourceDetailView):
    template_name = "workshops/workshop_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workshop = self.object
        user = self.request.user
        context.update(
            posts=workshop.posts.order_by("title"),
            liaisons=workshop.liaisons.order_by("department"),
            difficulties=selectors.open_difficulties(workshop=workshop),
            history=selectors.certification_history(workshop=workshop),
            can_certify=user.role in OFFICIALS and workshop.status != WorkshopStatus.CERTIFIED,
            can_revoke=user.role in OFFICIALS and workshop.status == WorkshopStatus.CERTIFIED,
            can_keep=user.role in KEEPERS,
            raise_form=forms.RaiseDifficultyForm(user=user),
            resolve_form=forms.ResolveDifficultyForm(initial={"resolved_on": timezone.localdate()}, auto_id=False),
        )
        return context


WORKSHOPS = Resource(
    name="workshop", route="workshops", title=gettext_lazy("Workshops"),
    selector=selectors.workshop_list, filterset=filtersets.WorkshopFilterSet, table=tables.WorkshopTable,
    form=forms.WorkshopForm, create_service=services.workshop_create, update_service=services.workshop_update,
    instance_arg="workshop", exclude_from_detail=("created_at",),
)
WORKSHOPS.detail_view = type("WorkshopPage", (WorkshopDetailView,), {
    "resource": WORKSHOPS, "selector": staticmethod(selectors.workshop_list)})
POSTS = Resource(
    name="post", route="workshops/posts", title=gettext_lazy("Posts"),
    selector=selectors.post_list, filterset=filtersets.PostFilterSet, table=tables.PostTable, form=forms.PostForm,
    create_service=services.post_create, update_service=services.post_update, instance_arg="post",
    write_roles=KEEPERS,
)
LIAISONS = Resource(
    name="liaison", route="workshops/liaisons", title=gettext_lazy("1+N liaisons"),
    selector=selectors.liaison_list, filterset=filtersets.LiaisonFilterSet, table=tables.LiaisonTable,
    form=forms.LiaisonForm, create_service=services.liaison_create, update_service=services.liaison_update,
    instance_arg="liaison",
)
DIFFICULTIES = Resource(
    name="difficulty", route="workshops/difficulties", title=gettext_lazy("Difficulties"),
    selector=selectors.difficulty_list, filterset=filtersets.DifficultyFilterSet, table=tables.DifficultyTable,
    form=forms.DifficultyForm, create_service=services.difficulty_raise, update_service=services.difficulty_update,
    instance_arg="difficulty", write_roles=KEEPERS,
)
RESOURCES = [WORKSHOPS, POSTS, LIAISONS, DIFFICULTIES]


class TransitionView(RoleRequiredMixin, FormView):
    """GET shows the confirmation (with today's workforce against the criteria); POST acts."""

    roles = OFFICIALS
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
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except (Conflict, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", None) or str(exc))
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


class RaiseDifficultyView(RoleRequiredMixin, View):
    roles = KEEPERS

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
            except ValidationError as exc:
                add_service_errors(form, exc)
        return render(request, "workshops/difficulty_form.html", {"form": form, "workshop": workshop,
                                                                   "title": _("Raise a difficulty")})


class ResolveDifficultyView(RoleRequiredMixin, View):
    roles = KEEPERS

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
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
        return render(request, "workshops/difficulty_form.html", {
            "form": form, "workshop": difficulty.workshop, "difficulty": difficulty,
            "title": _("Resolve a difficulty")})
