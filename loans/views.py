"""Loan pages: the list (filters, Excel), a loan's page with its schedule, repayments and history, the
application form, the workflow's confirmations, and the limits (county staff read, admins edit)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView

from accounts import audit_display
from accounts.permissions import can
from core.errors import REFUSALS, add_form_errors
from core.pages import (
    SIGNED_IN,
    PermissionRequiredMixin,
    RecordCreateView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
    ScopedListView,
)

from . import filtersets, forms, selectors, services, tables
from .choices import LENT, LoanStatus
from .models import Loan


class LoanRecord:
    record_name = "loan"
    title = gettext_lazy("Guarantee loans")
    selector = staticmethod(selectors.loan_list)
    form_class = forms.LoanForm
    write_permission = "loans.loan.write_page"

    def may_edit(self, user) -> bool:
        # Only an application not yet decided is corrected (the service says so too).
        obj = getattr(self, "object", None) or getattr(self, "target", None)
        return super().may_edit(user) and (obj is None or obj.status == LoanStatus.APPLIED)


class LoanListView(LoanRecord, RecordListView):
    filterset_class = filtersets.LoanFilterSet
    table_class = tables.LoanTable
    export_name = "loans"


# (the action's URL name suffix, its label, the permission, the statuses it applies to, a button style)
ACTIONS = (
    ("approve", gettext_lazy("Approve"), "loans.loan.approve", services.TRANSITIONS[LoanStatus.APPROVED][0],
     "btn-success"),
    ("reject", gettext_lazy("Reject"), "loans.loan.approve", services.TRANSITIONS[LoanStatus.REJECTED][0],
     "btn-outline-danger"),
    ("disburse", gettext_lazy("Record the disbursement"), "loans.loan.disburse",
     services.TRANSITIONS[LoanStatus.DISBURSED][0], "btn-success"),
    ("write-off", gettext_lazy("Write off"), "loans.loan.write_off", services.TRANSITIONS[LoanStatus.WRITTEN_OFF][0],
     "btn-outline-danger"),
)

HISTORY_LABELS = {
    "loan.create": pgettext_lazy("loan history", "Applied"),
    "loan.update": pgettext_lazy("loan history", "Application corrected"),
    "loan.approve": pgettext_lazy("loan history", "Approved"),
    "loan.reject": pgettext_lazy("loan history", "Rejected"),
    "loan.disburse": pgettext_lazy("loan history", "Disbursed"),
    "loan.repaying": pgettext_lazy("loan history", "Repaying"),
    "loan.repaid": pgettext_lazy("loan history", "Repaid in full"),
    "loan.write_off": pgettext_lazy("loan history", "Written off"),
    "loan.overdue_refresh": pgettext_lazy("loan history", "Overdue status checked"),
}


class LoanDetailView(LoanRecord, RecordDetailView):
    template_name = "loans/loan_detail.html"
    exclude_from_detail = ("worker", "enterprise", "created_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        loan, user = self.object, self.request.user
        repayments = list(loan.repayments.order_by("-paid_on", "-id"))
        repaid = sum((r.principal for r in repayments), services.ZERO)
        instalments = list(selectors.instalments(loan=loan))
        today = timezone.localdate()
        for row in instalments:
            row.settled = repaid >= row.cumulative_principal
            row.late = not row.settled and row.due_on < today
        context.update(
            loan=loan, repayments=repayments, instalments=instalments, principal_repaid=repaid,
            outstanding=loan.amount - repaid if loan.status in LENT else None,
            overdue_today=loan.status in LENT and selectors.overdue_loans(
                Loan.objects.filter(pk=loan.pk), on=today).exists(),
            actions=[(reverse(f"loan-{name}", args=[loan.pk]), label, style)
                     for name, label, permission, statuses, style in ACTIONS
                     if loan.status in statuses and can(user, permission, loan)],
            repayment_form=forms.RepaymentForm() if loan.status in LENT and can(
                user, "loans.repayment.write_page", loan) else None,
            history=[{"event": event, "label": HISTORY_LABELS.get(event.action, event.action),
                      "changes": audit_display.changes_of(event)}
                     for event in selectors.loan_history(loan=loan)[:50]],
        )
        return context


class LoanCreateView(LoanRecord, RecordCreateView):
    create_service = staticmethod(services.loan_apply)


class LoanUpdateView(LoanRecord, RecordUpdateView):
    update_service = staticmethod(services.loan_update)
    instance_arg = "loan"


class LoanActionView(PermissionRequiredMixin, FormView):
    """GET shows the confirmation; POST calls the service, whose refusal (not in this state, a limit)
    is shown above the form."""

    template_name = "loans/transition.html"
    form_class = forms.DateForm
    title = ""
    done_message = ""
    button_style = "btn-success"

    @cached_property
    def loan(self) -> Loan:
        try:
            return selectors.loan_get(user=self.request.user, pk=self.kwargs["pk"])
        except Loan.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "loan": self.loan, "title": self.title % {"loan": self.loan},
                "button_style": self.button_style}

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except REFUSALS as exc:
            add_form_errors(form, exc, field="date")
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return redirect("loan-detail", pk=self.loan.pk)


class ApproveView(LoanActionView):
    permission = "loans.loan.approve"
    title = gettext_lazy("Approve %(loan)s")
    done_message = gettext_lazy("The loan is approved.")

    def act(self, data):
        services.loan_approve(actor=self.request.user, loan=self.loan, on=data["date"])


class RejectView(LoanActionView):
    permission = "loans.loan.approve"
    form_class = forms.DateReasonForm
    title = gettext_lazy("Reject %(loan)s")
    done_message = gettext_lazy("The application is rejected.")
    button_style = "btn-danger"

    def act(self, data):
        services.loan_reject(actor=self.request.user, loan=self.loan, on=data["date"], reason=data["reason"])


class DisburseView(LoanActionView):
    permission = "loans.loan.disburse"
    title = gettext_lazy("Record the disbursement of %(loan)s")
    done_message = gettext_lazy("The disbursement is recorded; the repayment schedule starts.")

    def act(self, data):
        services.loan_disburse(actor=self.request.user, loan=self.loan, on=data["date"])


class WriteOffView(LoanActionView):
    permission = "loans.loan.write_off"
    form_class = forms.DateReasonForm
    title = gettext_lazy("Write off %(loan)s")
    done_message = gettext_lazy("The loan is written off.")
    button_style = "btn-danger"

    def act(self, data):
        services.loan_write_off(actor=self.request.user, loan=self.loan, on=data["date"], reason=data["reason"])


class RepaymentCreateView(LoanActionView):
    permission = "loans.repayment.write_page"
    form_class = forms.RepaymentForm
    title = gettext_lazy("Record a repayment of %(loan)s")
    done_message = gettext_lazy("The repayment is recorded.")

    def form_valid(self, form):
        try:
            services.repayment_record(actor=self.request.user, loan=self.loan, **form.cleaned_data)
        except REFUSALS as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return redirect("loan-detail", pk=self.loan.pk)


class RepaymentListView(ScopedListView):
    permission = SIGNED_IN
    title = gettext_lazy("Repayments")
    selector = staticmethod(selectors.repayment_list)
    filterset_class = filtersets.RepaymentFilterSet
    table_class = tables.RepaymentTable
    export_name = "repayments"


class LoanPolicyRecord:
    record_name = "loan-policy"
    title = gettext_lazy("Loan limits")
    selector = staticmethod(selectors.policy_list)
    form_class = forms.LoanPolicyForm
    write_permission = "loans.policy.edit"


class LoanPolicyListView(LoanPolicyRecord, RecordListView):
    permission = "loans.policy.view"
    table_class = tables.LoanPolicyTable
    filterset_class = filtersets.LoanPolicyFilterSet
    export_name = "loan-policies"


class LoanPolicyDetailView(LoanPolicyRecord, RecordDetailView):
    permission = "loans.policy.view"


class LoanPolicyCreateView(LoanPolicyRecord, RecordCreateView):
    create_service = staticmethod(services.policy_create)

    def page_title(self):
        return _("New loan policy version")


class LoanPolicyUpdateView(LoanPolicyRecord, RecordUpdateView):
    update_service = staticmethod(services.policy_update)
    instance_arg = "policy"
