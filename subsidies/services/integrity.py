"""Keeping money right whatever the order of work (issue 10).

Every calculation counts what approved runs of the *other* months paid (see the docstring of
`subsidies.services.calculation`). So a calculated run can only go wrong when another run is approved
after it was calculated: that approval marks the runs it may change *stale*, and a stale run is refused
at submission and approval (409, "recalculate first") until it is recalculated. Drafts, rejections and
cleared lines change nothing another run reads until they are approved, so approval is the one event
to watch.

Approvals and calculations are serialised by one PostgreSQL advisory lock: calculations share it,
an approval takes it alone. So an approval never lands in the middle of a calculation that would
then miss it (SQLite serialises writers anyway)."""

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict
from labor.models import Payroll

from ..choices import ONCE_ONLY_COMPONENTS, Component, LineStatus, RunStatus
from ..models import SubsidyLine, SubsidyRun

MONEY_LOCK = 0x57590A10  # any constant shared by every process of the portal
# Runs whose lines may still be submitted or approved: these can go stale.
WATCHED = (RunStatus.DRAFT, RunStatus.SUBMITTED)
REASON_LANGUAGE = "zh-hans"


def money_lock(*, shared: bool) -> None:
    """Hold the money lock until the transaction ends (PostgreSQL; a no-op elsewhere)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [MONEY_LOCK])


def refuse_if_stale(run: SubsidyRun) -> None:
    if run.stale_since is not None:
        raise Conflict(_("Recalculate first: %(reason)s") % {"reason": run.stale_reason}, code="run_stale")


def mark_dependents_stale(approved: SubsidyRun) -> int:
    """After `approved` was approved: mark stale every open calculated run that reads what it paid.
    A run of month m reads the approved lines of the workers on m's payroll (month limits, the
    once-only hiring and training subsidies) and, in the same year, the hiring awards of m's
    workshops (the yearly cap); an adjustment also reads its own month's approved runs. A start-up award
    or transport subsidy paid (or taken back) by the approved run makes every open run stale: they are
    owed once over every month, to people who need not be on any payroll."""
    paid = SubsidyLine.objects.filter(run=approved, status=LineStatus.PAYABLE).exclude(amount=0).order_by()
    if not paid.exists():
        return 0
    workers = paid.values("worker_id")
    workshops = paid.filter(component=Component.HIRING_AWARD).values("workshop_id")
    # A start-up award or transport subsidy paid (or taken back) here decides whether any other month
    # owes it, for people who need not be on that month's payroll: every open run may change.
    once_only = paid.filter(component__in=ONCE_ONLY_COMPONENTS).exists()
    reads = (
        Q(month=approved.month)
        | Exists(Payroll.objects.filter(month=OuterRef("month"), placement__worker_id__in=workers))
        | Exists(SubsidyLine.objects.filter(run=OuterRef("pk"), worker_id__in=workers))
        | (Q(month__year=approved.month.year)
           & Exists(Payroll.objects.filter(month=OuterRef("month"), placement__workshop_id__in=workshops)))
    )
    if once_only:
        reads = Q()  # every open run
    with translation.override(REASON_LANGUAGE):  # stored, like the lines' reasons, in Chinese
        reason = _("run %(run)s was approved after this run was calculated and may change what it owes") % {
            "run": f"{approved.month:%Y-%m} {approved.get_kind_display()} #{approved.pk}"}
    return (SubsidyRun.objects.filter(status__in=WATCHED, stale_since__isnull=True).exclude(pk=approved.pk)
            .filter(reads).update(stale_since=timezone.now(), stale_reason=reason[:300]))
