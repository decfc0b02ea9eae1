"""A run's life: requested (queued) → calculating → draft → submitted → approved → paid, or failed.
Maker-checker: the person who submits a run never approves it."""

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict
from accounts.permissions import require
from core import jobs, queue
from core.months import parse_month
from core.writes import plain

from ..choices import LOCKED_STATUSES, OPEN_STATUSES, RECALCULABLE_STATUSES, LineStatus, RunKind, RunStatus
from ..models import SubsidyLine, SubsidyRun
from .calculation import KEY_FIELDS, compute_lines, difference_lines, totals_of, write_lines
from .integrity import mark_dependents_stale, money_lock, refuse_if_stale
from .policies import policy_for, terms_of

logger = logging.getLogger(__name__)

# A calculation that has not finished after this long is taken to have died with its worker.
STALE_CALCULATION = timedelta(minutes=30)
CALCULATION_LANGUAGE = "zh-hans"  # reasons are stored in Chinese, for the clerk to read aloud


def _user(actor):
    """The user row to store as maker/checker: none for the system's actor."""
    return actor if getattr(actor, "pk", None) else None


# --- requesting and calculating ---------------------------------------------------------------

def run_request(*, actor, month, enqueue: bool = True) -> tuple[SubsidyRun, bool]:
    """Ask for a month's calculation. The month's regular run is made once (the database's
    unique constraint decides between simultaneous requests); a draft or failed run is queued
    again; after approval an adjustment run takes the differences. Returns (run, created).
    Raises BackgroundUnavailable (after the commit, with the run marked failed and why) when the
    task queue cannot take the calculation."""
    require(actor, "subsidies.run.calculate", message=_("Only county staff start a subsidy calculation."))
    try:
        month = parse_month(month)
    except ValidationError as exc:
        raise ValidationError({"month": exc.error_list}) from None
    today = timezone.localdate()
    if month > today.replace(day=1):
        raise ValidationError({"month": _("%(month)s has not begun; only past and current months are calculated.")
                               % {"month": f"{month:%Y-%m}"}})
    policy = policy_for(month)
    if policy is None:
        raise ValidationError({"month": _("No subsidy policy covers %(month)s.") % {"month": f"{month:%Y-%m}"}})
    with transaction.atomic():
        run, created = _get_or_create(month, RunKind.REGULAR, policy, actor)
        if not created and run.status in LOCKED_STATUSES:
            run, created = _get_or_create(month, RunKind.ADJUSTMENT, policy, actor)
        before = None if created else run.status
        if not created:
            run = SubsidyRun.objects.select_for_update().get(pk=run.pk)
            before = run.status
            if run.status == RunStatus.SUBMITTED:
                raise Conflict(_("This run has been submitted for approval; reject it back to draft before "
                                 "recalculating."), code="run_submitted")
            if run.status in RECALCULABLE_STATUSES:
                run.status, run.policy, run.error = RunStatus.QUEUED, policy, ""
                run.save(update_fields=["status", "policy", "error"])
        changes = {"status": [before, run.status]}
        if created:
            changes.update(month=[None, f"{month:%Y-%m}"], kind=[None, run.kind])
        audit.record(actor, "subsidy_run.request", run, changes)
        if enqueue and run.status == RunStatus.QUEUED:
            _enqueue_on_commit(run)
    return run, created


def _enqueue_on_commit(run: SubsidyRun) -> None:
    """Queue the calculation once the run is committed. If the broker is down the run does not stay
    `queued` with nobody to run it: it ends failed with the reason, and the caller is told."""
    from ..tasks import calculate_subsidy_run

    run_id = run.pk

    def unavailable(reason):
        SubsidyRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.FAILED, error=reason)

    transaction.on_commit(lambda: queue.send(calculate_subsidy_run, run_id, on_unavailable=unavailable))


def _get_or_create(month, kind, policy, actor) -> tuple[SubsidyRun, bool]:
    lookup = SubsidyRun.objects.filter(month=month, kind=kind)
    if kind == RunKind.ADJUSTMENT:
        lookup = lookup.filter(status__in=OPEN_STATUSES)
    existing = lookup.first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return SubsidyRun.objects.create(month=month, kind=kind, policy=policy, created_by=_user(actor)), True
    except IntegrityError:
        # Another request made it a moment ago: the database kept one run, use it.
        return lookup.get(), False


class LeaseLost(Exception):
    """The run is no longer ours (swept as failed, or taken over): write nothing."""


def _claimable(now) -> Q:
    # A queued run; or one whose worker died (its lease lapsed), unless it has died too often. Runs
    # calculating from before leases existed keep the old rule: stale after 30 minutes.
    lapsed = jobs.lapsed(now) | Q(lease_expires_at__isnull=True, calculation_started_at__lt=now - STALE_CALCULATION)
    return Q(status=RunStatus.QUEUED) | (Q(status=RunStatus.CALCULATING, attempts__lt=jobs.MAX_ATTEMPTS) & lapsed)


def run_calculate(*, actor, run_id: int) -> SubsidyRun:
    """Calculate (or recalculate) a queued run: claim it with a token and a lease, lock it in the
    calculation's transaction (SELECT … FOR UPDATE), check the token is still ours, replace its lines
    and totals, commit. Delivered twice, or after the run was failed or decided, it does nothing.
    A crash leaves it `failed` with the error; if even that cannot be written (the database is
    down), the lease lapses and the sweeper fails it. `actor`: SYSTEM from the task."""
    require(actor, "subsidies.run.calculate")
    now = timezone.now()
    token = jobs.claim(SubsidyRun.objects.filter(_claimable(now), pk=run_id), status=RunStatus.CALCULATING,
                       calculation_started_at=now, error="")
    run = SubsidyRun.objects.select_related("policy").get(pk=run_id)
    if token is None:
        return run  # already calculated, being calculated, failed or locked: at-least-once delivery is harmless
    try:
        with transaction.atomic(), translation.override(CALCULATION_LANGUAGE):
            # The money lock before the run's row lock: an approval takes the lock, then rows (it marks
            # runs stale), so the other order could deadlock with it.
            money_lock(shared=True)  # no approval lands while this calculation reads what was paid
            held = jobs.locked_if_ours(SubsidyRun, run_id, token)
            if held is None:
                raise LeaseLost
            jobs.test_pause(held)
            _calculate(run, token, actor)
    except LeaseLost:
        logger.warning("subsidy run %s: the lease was lost; this attempt wrote nothing", run_id)
    except Exception as exc:
        logger.exception("subsidy run %s failed", run_id)
        SubsidyRun.objects.filter(pk=run_id, lease_token=token).update(
            status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], **jobs.released())
    run.refresh_from_db()
    return run


def _calculate(run: SubsidyRun, token: str, actor) -> None:
    lines = compute_lines(run.month, terms_of(run.policy))
    if run.kind == RunKind.ADJUSTMENT:
        lines = difference_lines(run.month, lines)
    # A draft recalculated keeps the decisions already taken on lines that come out the same.
    cleared = {
        tuple(row[:len(KEY_FIELDS)]): (tuple(row[-4]), *row[-3:])
        for row in run.lines.filter(cleared_by__isnull=False).values_list(
            *KEY_FIELDS, "flags", "cleared_by_id", "cleared_at", "clear_reason")
    }
    for line in lines:
        decision = cleared.get(line.key)
        if decision and decision[0] == tuple(line.flags):
            line.status, line.cleared_by_id, line.cleared_at, line.clear_reason = (LineStatus.PAYABLE,
                                                                                 *decision[1:])
    run.lines.all().delete()
    write_lines(run.pk, lines)
    totals = totals_of(lines)
    finished = SubsidyRun.objects.filter(pk=run.pk, lease_token=token).update(
        status=RunStatus.DRAFT, calculated_at=timezone.now(), error="", stale_since=None, stale_reason="",
        **totals, **jobs.released())
    if not finished:
        raise LeaseLost  # rolls the lines back
    # Recorded for whoever asked for the calculation (the system's, for the beat's own runs).
    audit.record(run.created_by or actor, "subsidy_run.calculate", run, {
        "status": [RunStatus.CALCULATING, RunStatus.DRAFT],
        **{k: [str(getattr(run, k)) if getattr(run, k) is not None else None, str(v)] for k, v in totals.items()}})


def run_retry(*, actor, run: SubsidyRun) -> SubsidyRun:
    """Queue a failed run again; also one whose worker died before the sweeper got to it."""
    require(actor, "subsidies.run.calculate", message=_("Only county staff start a subsidy calculation."))
    run.refresh_from_db(fields=["status", "lease_expires_at"])
    if not (run.status == RunStatus.FAILED or (run.status == RunStatus.CALCULATING and run.lease_expired)):
        raise Conflict(_("Only a failed run is retried."), code="run_not_failed")
    _requeue(actor, run)
    run.refresh_from_db()
    return run


def _requeue(actor, run):
    retryable = Q(status=RunStatus.FAILED) | Q(status=RunStatus.CALCULATING, lease_expires_at__lt=timezone.now())
    with transaction.atomic():
        requeued = SubsidyRun.objects.filter(retryable, pk=run.pk).update(
            status=RunStatus.QUEUED, error="", **jobs.released())
        if not requeued:
            raise Conflict(_("Only a failed run is retried."), code="run_not_failed")
        audit.record(actor, "subsidy_run.retry", run, {"status": [run.status, RunStatus.QUEUED]})
        _enqueue_on_commit(run)


# --- maker-checker ----------------------------------------------------------------------------

def _locked_run(run: SubsidyRun) -> SubsidyRun:
    return SubsidyRun.objects.select_for_update().get(pk=run.pk)


def _expect(run: SubsidyRun, status: str, message: str):
    if run.status != status:
        raise Conflict(message, code="run_wrong_state")


@transaction.atomic
def run_submit(*, actor, run: SubsidyRun) -> SubsidyRun:
    require(actor, "subsidies.run.submit", message=_("Only county officers and administrators submit a run."))
    run = _locked_run(run)
    _expect(run, RunStatus.DRAFT, _("Only a calculated draft can be submitted."))
    refuse_if_stale(run)
    run.status, run.submitted_by, run.submitted_at = RunStatus.SUBMITTED, _user(actor), timezone.now()
    run.save(update_fields=["status", "submitted_by", "submitted_at"])
    audit.record(actor, "subsidy_run.submit", run, {"status": [RunStatus.DRAFT, RunStatus.SUBMITTED],
                                                    "payable": [None, str(run.payable_total)]})
    return run


CHECKER_ONLY = _("Only a county administrator approves or rejects a run.")


def _checker(actor, run, verb):
    if getattr(actor, "pk", None) is not None and run.submitted_by_id == actor.pk:
        raise Conflict(_("You submitted this run; another county administrator must %(verb)s it.")
                       % {"verb": verb}, code="maker_checker")


@transaction.atomic
def run_approve(*, actor, run: SubsidyRun) -> SubsidyRun:
    require(actor, "subsidies.run.approve", message=CHECKER_ONLY)
    money_lock(shared=False)  # one approval at a time, never during a calculation
    run = _locked_run(run)
    _expect(run, RunStatus.SUBMITTED, _("Only a submitted run can be approved."))
    _checker(actor, run, _("approve"))
    refuse_if_stale(run)
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, _user(actor), timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    stale = mark_dependents_stale(run)
    audit.record(actor, "subsidy_run.approve", run, {"status": [RunStatus.SUBMITTED, RunStatus.APPROVED],
                                                     "payable": [None, str(run.payable_total)],
                                                     "made_stale": [None, plain(stale)]})
    return run


@transaction.atomic
def run_reject(*, actor, run: SubsidyRun, reason: str) -> SubsidyRun:
    require(actor, "subsidies.run.approve", message=CHECKER_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the run is rejected.")})
    run = _locked_run(run)
    _expect(run, RunStatus.SUBMITTED, _("Only a submitted run can be rejected."))
    _checker(actor, run, _("reject"))
    run.status, run.rejected_by, run.rejected_at, run.rejection_reason = (
        RunStatus.DRAFT, _user(actor), timezone.now(), reason)
    run.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
    audit.record(actor, "subsidy_run.reject", run, {"status": [RunStatus.SUBMITTED, RunStatus.DRAFT],
                                                    "rejection_reason": [None, reason]})
    return run


@transaction.atomic
def run_mark_paid(*, actor, run: SubsidyRun, voucher: str, paid_on) -> SubsidyRun:
    require(actor, "subsidies.run.mark_paid", message=_("Only a county administrator marks a run paid."))
    voucher = (voucher or "").strip()
    errors = {}
    if not voucher:
        errors["voucher"] = [_("Enter the payment voucher number.")]
    if isinstance(paid_on, str):
        try:
            paid_on = date.fromisoformat(paid_on)
        except ValueError:
            paid_on = None
            errors["paid_on"] = [_("Enter the payment date as YYYY-MM-DD.")]
    if paid_on is None and "paid_on" not in errors:
        errors["paid_on"] = [_("Enter the payment date as YYYY-MM-DD.")]
    elif paid_on is not None and paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    run = _locked_run(run)
    _expect(run, RunStatus.APPROVED, _("Only an approved run can be marked paid."))
    run.status, run.paid_by, run.paid_at, run.voucher, run.paid_on = (
        RunStatus.PAID, _user(actor), timezone.now(), voucher[:64], paid_on)
    run.save(update_fields=["status", "paid_by", "paid_at", "voucher", "paid_on"])
    audit.record(actor, "subsidy_run.mark_paid", run, {"status": [RunStatus.APPROVED, RunStatus.PAID],
                                                       "voucher": [None, voucher],
                                                       "paid_on": [None, paid_on.isoformat()]})
    return run


@transaction.atomic
def line_clear(*, actor, line: SubsidyLine, reason: str) -> SubsidyLine:
    """A county user releases a withheld line with a written reason (audited)."""
    require(actor, "subsidies.line.clear", message=_("Only county staff clear a flagged line."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this flagged line may be paid.")})
    run = _locked_run(line.run)
    if run.status != RunStatus.DRAFT:
        raise Conflict(_("Flags are decided while the run is a draft."), code="run_wrong_state")
    line = SubsidyLine.objects.select_for_update().get(pk=line.pk)
    if line.status != LineStatus.WITHHELD:
        raise Conflict(_("This line is not withheld."), code="line_not_withheld")
    line.status, line.cleared_by, line.cleared_at, line.clear_reason = (
        LineStatus.PAYABLE, _user(actor), timezone.now(), reason)
    line.save(update_fields=["status", "cleared_by", "cleared_at", "clear_reason"])
    SubsidyRun.objects.filter(pk=run.pk).update(payable_total=F("payable_total") + line.amount,
                                                withheld_total=F("withheld_total") - line.amount)
    audit.record(actor, "subsidy_line.clear", line, {"status": [LineStatus.WITHHELD, LineStatus.PAYABLE],
                                                     "clear_reason": [None, reason], "flags": [None, line.flags],
                                                     "amount": [None, str(line.amount)]})
    return line
