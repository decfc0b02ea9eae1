"""Workers on a phone: find, register with live ID validation, see a worker's placements, propose
them for a post, log a follow-up visit."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.permissions import can
from core.errors import REFUSALS, add_form_errors, add_page_message
from core.pages import SIGNED_IN, PermissionRequiredMixin, ScopedDetailView, ScopedListView

from .. import filtersets, forms, resident_id, selectors, services, tables
from ..models import Worker
from ..services import people


class MaskedTableMixin:
    def get_table_class(self):
        return tables.for_user(super().get_table_class(), self.request.user)


class BrokerHomeView(PermissionRequiredMixin, TemplateView):
    """The broker's phone page: search, register, their referrals and match rate."""

    permission = SIGNED_IN

    template_name = "labor/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.get("q", "").strip()
        if query:
            found = filtersets.WorkerFilterSet({"search": query}, queryset=selectors.worker_list(user=user)).qs[:20]
            context["found"] = list(found)
        context.update(query=query, summary=selectors.broker_summary(user=user),
                       recent=selectors.recent_referrals(user=user, limit=10))
        return context

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and self.request.GET.get("partial") == "results":
            return ["labor/includes/search_results.html"]
        return [self.template_name]


class WorkerListView(MaskedTableMixin, ScopedListView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.worker_list)
    filterset_class = filtersets.WorkerFilterSet
    table_class = tables.WorkerTable
    export_name = "workers"
    template_name = "labor/list.html"

    @property
    def title(self):
        return _("Workers")


class CheckIdNumberView(PermissionRequiredMixin, View):
    """Live validation while the number is typed: a small fragment for htmx."""

    permission = SIGNED_IN

    def get(self, request):
        raw = request.GET.get("id_number", "")
        context = {"raw": raw}
        if raw.strip():
            try:
                parsed = resident_id.parse(raw)
                registered = Worker.objects.filter(id_number=parsed.number)
                context.update(parsed=parsed, sex=_("Male") if parsed.sex == "male" else _("Female"),
                               registered=registered.exists(),
                               # Outside the worker's area: only that it is registered, not where.
                               registered_here=selectors.worker_list(user=request.user).filter(
                                   id_number=parsed.number).exists())
            except resident_id.InvalidResidentId as exc:
                context["error"] = str(exc)
        return render(request, "labor/includes/id_check.html", context)


class WorkerCreateView(PermissionRequiredMixin, FormView):
    permission = "labor.worker.write_page"
    form_class = forms.WorkerForm
    template_name = "labor/worker_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            worker = services.worker_create(actor=self.request.user, **form.cleaned_data)
        except REFUSALS as exc:
            # A conflict here is the ID number already registered: shown on that field.
            add_form_errors(form, exc, field="id_number")
            return self.form_invalid(form)
        messages.success(self.request, _("Worker %(name)s registered.") % {"name": worker.name})
        if self.request.POST.get("then") == "propose" and can(self.request.user, "labor.referral.propose_page"):
            # 保存并推荐上岗: straight on to choosing a post for the new worker.
            return redirect("labor-worker-propose", pk=worker.pk)
        return redirect("labor-worker-detail", pk=worker.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_propose=can(self.request.user, "labor.referral.propose_page"), **kwargs)


class WorkerUpdateView(PermissionRequiredMixin, FormView):
    """Correcting a worker's record (name, phone, village, category, returnee) by the roles that register
    them, in their scope (else 404); the service audits before/after. A category decides subsidies: changing
    it on a worker with subsidy lines first shows the months of those lines and asks to confirm."""

    permission = "labor.worker.write_page"
    form_class = forms.WorkerEditForm
    template_name = "labor/worker_edit.html"

    @cached_property
    def worker(self):
        try:
            return selectors.worker_list(user=self.request.user).select_related("village").get(pk=self.kwargs["pk"])
        except Worker.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        # The form edits its own copy, so the service compares against the saved record.
        instance = Worker.objects.get(pk=self.worker.pk)
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(worker=self.worker, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        if data["category"] != self.worker.category and self.request.POST.get("confirm_category") != data["category"]:
            # Confirmed is for the category shown in the confirmation, not any other chosen after it.
            months = people.subsidy_months(self.worker)
            if months:
                return self.render_to_response(self.get_context_data(
                    form=form, confirming=True, months=[f"{m:%Y-%m}" for m in months],
                    new_category=form.instance.get_category_display(), confirm_value=data["category"]))
        try:
            services.worker_update(actor=self.request.user, worker=self.worker, **data)
        except REFUSALS as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Worker %(name)s saved.") % {"name": self.worker.name})
        return redirect("labor-worker-detail", pk=self.worker.pk)


class WorkerDetailView(ScopedDetailView):
    permission = SIGNED_IN
    selector = staticmethod(selectors.worker_list)
    template_name = "labor/worker_detail.html"
    context_object_name = "worker"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, worker = self.request.user, self.object
        context.update(
            id_number=worker.id_number if selectors.shows_full_id_number(user) else worker.masked_id_number,
            # County staff see the birth date; everyone else the age reached this year (README).
            shows_birth_date=selectors.shows_full_id_number(user),
            age=resident_id.age_this_year(worker.birth_date),
            **selectors.worker_records(user=user, worker=worker),
            referral_form=forms.ReferralForm(user=user),
            follow_up_form=forms.FollowUpForm(),
        )
        return context


class WorkerActionView(PermissionRequiredMixin, View):
    """Base for POSTs about one worker in the user's scope (else 404)."""

    @cached_property
    def worker(self):
        try:
            return selectors.worker_list(user=self.request.user).get(pk=self.kwargs["pk"])
        except Worker.DoesNotExist:
            raise Http404 from None

    def done(self):
        return redirect(reverse("labor-worker-detail", args=[self.worker.pk]))

    def refused(self, exc):
        add_page_message(self.request, exc)
        return self.done()


class ProposeView(WorkerActionView):
    """Proposing a worker for a post. GET: the phone page choosing among the posts as labelled cards
    (workshop, title, vacancies, wage). POST: from that page (`from=page`) a missing choice shows the page
    again with the error; from the worker's page it goes back there with a message."""

    permission = "labor.referral.propose_page"
    template_name = "labor/propose.html"

    def get(self, request, pk):
        return self.page(forms.ReferralForm(user=request.user))

    def page(self, form, status=200):
        return render(request=self.request, template_name=self.template_name, status=status,
                      context={"worker": self.worker, "form": form})

    def post(self, request, pk):
        form = forms.ReferralForm(request.POST, user=request.user)
        from_page = request.POST.get("from") == "page"
        if not form.is_valid():
            if from_page:
                return self.page(form)
            messages.error(request, _("Choose a post."))
            return self.done()
        try:
            services.referral_propose(actor=request.user, worker=self.worker, **form.cleaned_data)
        except REFUSALS as exc:
            if from_page:
                add_form_errors(form, exc, field="post")
                return self.page(form)
            return self.refused(exc)
        messages.success(request, _("Proposed; the workshop will decide."))
        return self.done()


class FollowUpView(WorkerActionView):
    permission = "labor.follow_up.write_page"
    def post(self, request, pk, placement_pk):
        placement = selectors.placement_list(user=request.user).filter(worker=self.worker, pk=placement_pk).first()
        if placement is None:
            raise Http404
        form = forms.FollowUpForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the visit date."))
            return self.done()
        try:
            services.follow_up_create(actor=request.user, placement=placement, **form.cleaned_data)
        except REFUSALS as exc:
            return self.refused(exc)
        messages.success(request, _("Visit logged."))
        return self.done()
