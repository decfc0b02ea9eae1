"""Pages: runs, a run with its totals, flags and actions, its lines, the Excel report, and a
workshop's subsidy history (an htmx fragment for the workshop page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import COUNTY_ROLES, Role
from accounts.exceptions import Conflict
from accounts.pages import XLSX_TYPE, ScopedListView
from core.queue import BackgroundUnavailable

from . import selectors, services
from .choices import Component, ReportStatus, RunStatus
from .filtersets import SubsidyLineFilterSet, SubsidyRunFilterSet
from .forms import MarkPaidForm, ReasonForm, RunRequestForm
from .tables import SubsidyLineTable, SubsidyRunTable

VIEW_ROLES = frozenset(Role.values) - {Role.BROKER}
FLAGS_SHOWN = 50


def _may_view(user):
    if user.role not in VIEW_ROLES:
        raise PermissionDenied


class RunListView(ScopedListView):
    roles = VIEW_ROLES
    selector = selectors.run_list
    filterset_class = SubsidyRunFilterSet
    table_class = SubsidyRunTable
    template_name = "subsidies/run_list.html"
    title = gettext_lazy("Subsidy runs")
    export_name = "subsidy-runs"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["request_form"] = RunRequestForm() if self.request.user.is_county else None
        context["gap_months"] = [f"{m:%Y-%m}" for m in selectors.gap_months(user=self.request.user)]
        return context


class LineListView(ScopedListView):
    roles = VIEW_ROLES
    filterset_class = SubsidyLineFilterSet
    table_class = SubsidyLineTable
    export_name = "subsidy-lines"

    def get_queryset(self):
        self.run = selectors.run_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.line_list(user=self.request.user).filter(run=self.run).order_by("id")

    @property
    def title(self):
        return _("Lines of subsidy run %(run)s") % {"run": self.run}


def _allowed_actions(run, user) -> dict:
    county, admin = user.role in COUNTY_ROLES, user.role == Role.COUNTY_ADMIN
    checker = admin and run.status == RunStatus.SUBMITTED and run.submitted_by_id != user.pk
    return {
        "recalculate": county and (run.status in (RunStatus.DRAFT, RunStatus.FAILED)
                                   or (run.status == RunStatus.CALCULATING and run.lease_expired)),
        "submit": county and run.status == RunStatus.DRAFT and not run.is_stale,
        "approve": checker and not run.is_stale,
        "reject": checker,
        "mark_paid": admin and run.status == RunStatus.APPROVED,
        "clear": county and run.status == RunStatus.DRAFT,
    }


@login_required
def run_detail(request, pk):
    _may_view(request.user)
    run = selectors.run_get(user=request.user, pk=pk)
    totals = selectors.run_totals(run=run, user=request.user)
    townships = selectors.totals_by_township(run=run, user=request.user)
    flagged = list(selectors.flagged_lines(run=run, user=request.user)[:FLAGS_SHOWN])
    components = [(c.value, c.label, totals[c.value]) for c in Component]
    chart = {
        "labels": [row["township"] for row in townships],
        "datasets": [{"label": str(label), "data": [float(row[value]) for row in townships]}
                     for value, label, _total in components],
    }
    return render(request, "subsidies/run_detail.html", {
        "run": run, "totals": totals, "components": components, "townships": townships, "chart": chart,
        "flagged": flagged, "flags_more": len(flagged) == FLAGS_SHOWN, "can": _allowed_actions(run, request.user),
        "reason_form": ReasonForm(), "paid_form": MarkPaidForm(), "report": selectors.report_list(
            user=request.user).filter(run=run).first(),
    })


def _run_action(request, pk, do):
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        do(run)
    except (Conflict, BackgroundUnavailable) as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("subsidy-run-detail", pk=pk)


@login_required
@require_POST
def run_request(request):
    form = RunRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors["month"]))
        return redirect("subsidy-run-list")
    try:
        run, _created = services.run_request(actor=request.user, month=form.cleaned_data["month"])
    except (Conflict, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, Conflict) else "；".join(exc.messages))
        return redirect("subsidy-run-list")
    except BackgroundUnavailable as exc:
        messages.error(request, exc.message)  # the run, if one was made, shows failed with the same reason
        return redirect("subsidy-run-list")
    messages.success(request, _("The calculation of %(month)s has started.") % {"month": run.month_label})
    return redirect("subsidy-run-detail", pk=run.pk)


@login_required
@require_POST
def run_action(request, pk, action):
    user = request.user

    def submit(run):
        services.run_submit(actor=user, run=run)
        messages.success(request, _("Submitted for approval."))

    def approve(run):
        services.run_approve(actor=user, run=run)
        messages.success(request, _("Approved."))

    def reject(run):
        services.run_reject(actor=user, run=run, reason=request.POST.get("reason", ""))
        messages.success(request, _("Rejected back to draft."))

    def mark_paid(run):
        services.run_mark_paid(actor=user, run=run, voucher=request.POST.get("voucher", ""),
                               paid_on=request.POST.get("paid_on") or None)
        messages.success(request, _("Marked paid."))

    def recalculate(run):
        if run.status in (RunStatus.FAILED, RunStatus.CALCULATING):
            services.run_retry(actor=user, run=run)
        else:
            services.run_request(actor=user, month=run.month)
        messages.success(request, _("The calculation has started."))

    handlers = {"submit": submit, "approve": approve, "reject": reject, "mark-paid": mark_paid,
                "recalculate": recalculate}
    if action not in handlers:
        raise Http404
    return _run_action(request, pk, handlers[action])


@login_required
@require_POST
def line_clear(request, pk):
    line = selectors.line_list(user=request.user).filter(pk=pk).first()
    if line is None:
        raise Http404
    try:
        services.line_clear(actor=request.user, line=line, reason=request.POST.get("reason", ""))
        messages.success(request, _("The line is cleared for payment."))
    except (Conflict, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, Conflict) else "；".join(exc.messages))
    return redirect("subsidy-run-detail", pk=line.run_id)


@login_required
@require_POST
def report_request(request, pk):
    _may_view(request.user)
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        report = services.report_request(actor=request.user, run=run)
    except (Conflict, BackgroundUnavailable) as exc:
        return render(request, "subsidies/report_status.html", {"run": run, "error": exc.message})
    return render(request, "subsidies/report_status.html", {"run": run, "report": report})


@login_required
def report_status(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    return render(request, "subsidies/report_status.html", {"run": report.run, "report": report})


@login_required
def report_download(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, content_type=XLSX_TYPE,
                        filename=f"subsidy-{report.run.month:%Y-%m}-{report.run_id}.xlsx")


@login_required
def workshop_history(request, workshop_id):
    """An HTML fragment (no layout): the workshop's approved and paid subsidies by month."""
    workshop = selectors.workshop_for_history(user=request.user, workshop_id=workshop_id)
    rows = selectors.workshop_history(user=request.user, workshop=workshop)
    return render(request, "subsidies/workshop_history.html", {
        "workshop": workshop, "rows": rows, "components": [(c.value, c.label) for c in Component],
    })


