"""Pages: runs, a run with its totals, flags and actions, its lines, the Excel report, and a
workshop's subsidy history (an htmx fragment for the workshop page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import can
from core import money
from core.errors import REFUSALS, add_page_message, message_text
from core.pages import ScopedListView, check, requires

from . import notices, selectors, services
from .choices import Component, RunStatus
from .filtersets import SubsidyLineFilterSet, SubsidyRunFilterSet
from .forms import MarkPaidForm, ReasonForm, RunRequestForm
from .tables import SubsidyLineTable, SubsidyRunTable

FLAGS_SHOWN = 50
# Every run, line and report page needs "subsidies.run.view" (brokers have none of them).
VIEW = "subsidies.run.view"


class RunListView(ScopedListView):
    permission = VIEW
    selector = selectors.run_list
    filterset_class = SubsidyRunFilterSet
    table_class = SubsidyRunTable
    template_name = "subsidies/run_list.html"
    title = gettext_lazy("Subsidy runs")
    export_name = "subsidy-runs"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["request_form"] = RunRequestForm() if can(self.request.user, "subsidies.run.calculate") else None
        context["gap_months"] = [f"{m:%Y-%m}" for m in selectors.gap_months(user=self.request.user)]
        return context


class LineListView(ScopedListView):
    permission = VIEW
    filterset_class = SubsidyLineFilterSet
    table_class = SubsidyLineTable
    export_name = "subsidy-lines"

    def get_queryset(self):
        self.run = selectors.run_named(pk=self.kwargs["pk"])
        return selectors.run_line_rows(user=self.request.user, run=self.run)

    @property
    def title(self):
        return _("Lines of subsidy run %(run)s") % {"run": self.run}


def _allowed_actions(run, user) -> dict:
    """What the run's page offers `user` now: their permission and the run's state."""
    checker = (can(user, "subsidies.run.approve") and run.status == RunStatus.SUBMITTED
               and run.submitted_by_id != user.pk)
    return {
        "recalculate": can(user, "subsidies.run.calculate") and (
            run.status in (RunStatus.DRAFT, RunStatus.FAILED)
            or (run.status == RunStatus.CALCULATING and run.lease_expired)),
        "submit": can(user, "subsidies.run.submit") and run.status == RunStatus.DRAFT and not run.is_stale,
        "approve": checker and not run.is_stale,
        "reject": checker,
        "mark_paid": can(user, "subsidies.run.mark_paid") and run.status == RunStatus.APPROVED,
        "clear": can(user, "subsidies.line.clear") and run.status == RunStatus.DRAFT,
    }


@requires(VIEW)
def run_detail(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    totals = selectors.run_totals(run=run, user=request.user)
    townships = selectors.totals_by_township(run=run, user=request.user)
    flagged = list(selectors.flagged_lines(run=run, user=request.user)[:FLAGS_SHOWN])
    components = [(c.value, c.label, totals[c.value]) for c in Component]
    allowed = _allowed_actions(run, request.user)
    user = request.user
    papers = can(user, "subsidies.notice.view") and run.status in notices.NOTICE_STATUSES
    chart = {
        "labels": [row["township"] for row in townships],
        "datasets": [{"label": str(label), "data": [float(row[value]) for row in townships]}
                     for value, label, _total in components],
    }
    return render(request, "subsidies/run_detail.html", {
        "run": run, "totals": totals, "components": components, "townships": townships, "chart": chart,
        "flagged": flagged, "flags_more": len(flagged) == FLAGS_SHOWN, "allowed": allowed,
        "notices": run.scoped_notices,
        "notice_townships": notices.townships_of_run(run=run, user=user) if papers else [],
        "may_post_notice": papers and can(user, "subsidies.notice.post"),
        "may_print_sheets": can(user, "subsidies.sheet.view") and run.status in notices.SHEET_STATUSES,
        "paid_warnings": notices.notice_warnings(run=run, user=user, today=timezone.localdate())
        if allowed["mark_paid"] else [],
        "reason_form": ReasonForm(), "paid_form": MarkPaidForm(), "report": selectors.report_list(
            user=request.user).filter(run=run).first(),
    })


def _run_action(request, pk, do):
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        do(run)
    except REFUSALS as exc:
        add_page_message(request, exc)
    return redirect("subsidy-run-detail", pk=pk)


def _calculation_message(request, run) -> None:
    """What the calculation just requested has come to by now (in-process tasks have already finished
    it; with a worker it is usually still queued): the run's real status, never "started" for a run
    that is done."""
    run.refresh_from_db()
    values = {"month": run.month_label}
    if run.status == RunStatus.QUEUED:
        messages.info(request, _("The calculation of %(month)s is queued.") % values)
    elif run.status == RunStatus.CALCULATING:
        messages.info(request, _("The calculation of %(month)s is running.") % values)
    elif run.status == RunStatus.FAILED:
        messages.error(request, _("The calculation of %(month)s failed: %(reason)s")
                       % {**values, "reason": run.error or _("no reason was recorded.")})
    else:
        messages.success(request, _("The calculation of %(month)s is finished: %(lines)s lines, %(payable)s "
                                    "payable.") % {**values, "lines": f"{run.line_count:,}",
                                                   "payable": money.yuan(run.payable_total)})


def _form_refusal(form) -> str:
    """A bound form's errors as one page message."""
    return message_text(ValidationError(
        [f"{form[name].label}：{error}" if name in form.fields else error
         for name, errors in form.errors.items() for error in errors]))


@requires("subsidies.run.calculate")
@require_POST
def run_request(request):
    form = RunRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, message_text(ValidationError(form.errors["month"])))
        return redirect("subsidy-run-list")
    try:
        run, _created = services.run_request(actor=request.user, month=form.cleaned_data["month"])
    except REFUSALS as exc:
        # A queue outage: the run, if one was made, shows failed with the same reason.
        add_page_message(request, exc)
        return redirect("subsidy-run-list")
    _calculation_message(request, run)
    return redirect("subsidy-run-detail", pk=run.pk)


@requires(VIEW)
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
        form = MarkPaidForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_refusal(form))
            return
        services.run_mark_paid(actor=user, run=run, **form.cleaned_data)
        messages.success(request, _("Marked paid."))

    def recalculate(run):
        if run.status in (RunStatus.FAILED, RunStatus.CALCULATING):
            services.run_retry(actor=user, run=run)
        else:
            run, _created = services.run_request(actor=user, month=run.month)
        _calculation_message(request, run)

    handlers = {"submit": ("subsidies.run.submit", submit), "approve": ("subsidies.run.approve", approve),
                "reject": ("subsidies.run.approve", reject), "mark-paid": ("subsidies.run.mark_paid", mark_paid),
                "recalculate": ("subsidies.run.calculate", recalculate)}
    if action not in handlers:
        raise Http404
    permission, handler = handlers[action]
    check(user, permission)
    return _run_action(request, pk, handler)


@requires("subsidies.line.clear")
@require_POST
def line_clear(request, pk):
    line = selectors.line_list(user=request.user).filter(pk=pk).first()
    if line is None:
        raise Http404
    try:
        services.line_clear(actor=request.user, line=line, reason=request.POST.get("reason", ""))
        messages.success(request, _("The line is cleared for payment."))
    except REFUSALS as exc:
        add_page_message(request, exc)
    return redirect("subsidy-run-detail", pk=line.run_id)


@requires(VIEW)
def workshop_history(request, workshop_id):
    """An HTML fragment (no layout): the workshop's approved and paid subsidies by month; the
    workshop page loads it only for those who may see subsidy runs."""
    workshop = selectors.workshop_for_history(user=request.user, workshop_id=workshop_id)
    rows = selectors.workshop_history(user=request.user, workshop=workshop)
    return render(request, "subsidies/workshop_history.html", {
        "workshop": workshop, "rows": rows, "components": [(c.value, c.label) for c in Component],
    })

