"""Writes for guarantee loans. Each service checks its actor first, validates, saves atomically and
audits `{field: [old, new]}`. The status moves only along TRANSITIONS (a move it does not list is a
Conflict, API 409, with the reason in the reader's language)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.exceptions import Conflict
from accounts.permissions import require
from core.writes import UNSET, change, create, given, update

from . import rules, selectors
from .choices import LENT, ApplicantKind, LoanStatus
from .models import Instalment, Loan, LoanPolicy, Repayment

S = LoanStatus
ZERO = Decimal("0.00")

# The one table of the workflow: target status -> (the statuses it may be reached from, the reason a
# move from any other status is refused).
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    S.APPROVED: (frozenset({S.APPLIED}), gettext_lazy("Only a loan that has been applied for can be approved.")),
    S.REJECTED: (frozenset({S.APPLIED}), gettext_lazy("Only a loan that has been applied for can be rejected.")),
    S.DISBURSED: (frozenset({S.APPROVED}),
                  gettext_lazy("Only a loan approved by the county can be disbursed.")),
    S.REPAYING: (frozenset({S.DISBURSED, S.OVERDUE}),
                 gettext_lazy("Only a disbursed or overdue loan can move to repaying.")),
    S.REPAID: (frozenset({S.DISBURSED, S.REPAYING, S.OVERDUE}),
               gettext_lazy("Only a disbursed loan can be repaid.")),
    S.OVERDUE: (frozenset({S.DISBURSED, S.REPAYING}), gettext_lazy("Only a loan being repaid can become overdue.")),
    S.WRITTEN_OFF: (frozenset({S.OVERDUE}), gettext_lazy("Only an overdue loan can be written off.")),
}


def check_transition(loan: Loan, to: str) -> None:
    allowed, reason = TRANSITIONS[to]
    if loan.status not in allowed:
        raise Conflict(_("%(reason)s This loan is now: %(status)s.") % {
            "reason": reason, "status": LoanStatus(loan.status).label}, code="loan_transition")


def _locked(loan: Loan) -> Loan:
    # Two officers acting at once must not both pass the state check.
    return Loan.objects.select_for_update().get(pk=loan.pk)


def _date(value, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("Enter a valid date.")})
    return value


def _not_before(day: date, earlier: date | None, field: str, message: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError({field: message % {"date": earlier.isoformat()}})


# --- applications ------------------------------------------------------------------------------

def _borrower_township(worker, enterprise):
    if bool(worker) == bool(enterprise):
        raise ValidationError({NON_FIELD_ERRORS: _("A loan has one borrower: a person or a firm.")})
    if worker:
        return worker.village.township
    if enterprise.township_id is None:
        raise ValidationError({"enterprise": _("This enterprise has no township on record; record it first.")})
    return enterprise.township


def _policy_and_limits(*, worker, enterprise, amount, term_months, applied_on) -> LoanPolicy:
    policy = selectors.policy_in_force(applied_on) if isinstance(applied_on, date) else None
    if policy is None:
        raise ValidationError({"applied_on": _("No loan policy is in force on this date.")})
    problems = rules.limit_problems(kind=ApplicantKind.INDIVIDUAL if worker else ApplicantKind.FIRM,
                                    amount=amount, term_months=term_months, policy=policy)
    if problems:
        raise ValidationError(problems)
    return policy


def loan_apply(*, actor, worker=None, enterprise=None, lender_bank=UNSET, guarantee_fund=UNSET, amount=UNSET,
               term_months=UNSET, annual_rate=UNSET, subsidy_share=UNSET, applied_on=UNSET) -> Loan:
    """Record an application within the limits of the loan policy in force on `applied_on`."""
    require(actor, "loans.loan.write")
    township = _borrower_township(worker, enterprise)
    policy = _policy_and_limits(worker=worker, enterprise=enterprise, amount=amount or None,
                                term_months=term_months or None, applied_on=applied_on)
    return create(Loan, actor=actor, action="loan.create", scope_field="worker" if worker else "enterprise",
                  worker=worker, enterprise=enterprise, township=township, policy=policy, **given(
                      lender_bank=lender_bank, guarantee_fund=guarantee_fund, amount=amount,
                      term_months=term_months, annual_rate=annual_rate, subsidy_share=subsidy_share,
                      applied_on=applied_on))


@transaction.atomic
def loan_update(*, actor, loan: Loan, worker=UNSET, enterprise=UNSET, lender_bank=UNSET, guarantee_fund=UNSET,
                amount=UNSET, term_months=UNSET, annual_rate=UNSET, subsidy_share=UNSET, applied_on=UNSET) -> Loan:
    """Correct an application; once the county has decided on it, its terms stay as decided."""
    require(actor, "loans.loan.write", loan)
    loan = _locked(loan)
    if loan.status != S.APPLIED:
        raise Conflict(_("Only an application not yet decided can be changed. This loan is now: %(status)s.")
                       % {"status": LoanStatus(loan.status).label}, code="loan_decided")
    fields = given(worker=worker, enterprise=enterprise, lender_bank=lender_bank, guarantee_fund=guarantee_fund,
                   amount=amount, term_months=term_months, annual_rate=annual_rate, subsidy_share=subsidy_share,
                   applied_on=applied_on)
    new_worker = fields.get("worker", loan.worker)
    new_enterprise = fields.get("enterprise", loan.enterprise)
    fields["township"] = _borrower_township(new_worker, new_enterprise)
    fields["policy"] = _policy_and_limits(
        worker=new_worker, enterprise=new_enterprise, amount=fields.get("amount", loan.amount),
        term_months=fields.get("term_months", loan.term_months), applied_on=fields.get("applied_on", loan.applied_on))
    return update(loan, actor=actor, action="loan.update", scope_field="worker" if new_worker else "enterprise",
                  **fields)


# --- the county's decision and the disbursement -----------------------------------------------

def _move(actor, loan: Loan, to: str, action: str, **fields) -> Loan:
    changes = {"status": change(loan.status, to)}
    for name, value in fields.items():
        changes[name] = change(getattr(loan, name), value)
        setattr(loan, name, value)
    loan.status = to
    loan.save(update_fields=["status", *fields])
    audit.record(actor, action, loan, changes)
    return loan


@transaction.atomic
def loan_approve(*, actor, loan: Loan, on: date) -> Loan:
    """The county approves an application; its terms are checked again against its policy's limits."""
    require(actor, "loans.loan.approve", loan)
    on = _date(on, "date")
    loan = _locked(loan)
    check_transition(loan, S.APPROVED)
    _not_before(on, loan.applied_on, "date", _("The approval cannot be before the application (%(date)s)."))
    problems = rules.limit_problems(kind=loan.kind, amount=loan.amount, term_months=loan.term_months,
                                    policy=loan.policy)
    if problems:
        raise Conflict(" ".join(problems.values()), code="loan_over_limit")
    return _move(actor, loan, S.APPROVED, "loan.approve", approved_on=on)


@transaction.atomic
def loan_reject(*, actor, loan: Loan, on: date, reason: str) -> Loan:
    require(actor, "loans.loan.approve", loan)
    on = _date(on, "date")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the application.")})
    loan = _locked(loan)
    check_transition(loan, S.REJECTED)
    _not_before(on, loan.applied_on, "date", _("The decision cannot be before the application (%(date)s)."))
    return _move(actor, loan, S.REJECTED, "loan.reject", rejected_on=on, decision_reason=reason)


@transaction.atomic
def loan_disburse(*, actor, loan: Loan, on: date) -> Loan:
    """The bank has paid the loan out on `on`: the instalment schedule starts from that day."""
    require(actor, "loans.loan.disburse", loan)
    on = _date(on, "date")
    loan = _locked(loan)
    check_transition(loan, S.DISBURSED)
    _not_before(on, loan.approved_on, "date", _("The disbursement cannot be before the approval (%(date)s)."))
    Instalment.objects.bulk_create(
        Instalment(loan=loan, number=row.number, due_on=row.due_on, principal=row.principal,
                   cumulative_principal=row.cumulative_principal)
        for row in rules.schedule(amount=loan.amount, term_months=loan.term_months, disbursed_on=on))
    return _move(actor, loan, S.DISBURSED, "loan.disburse", disbursed_on=on)


@transaction.atomic
def loan_write_off(*, actor, loan: Loan, on: date, reason: str) -> Loan:
    """An overdue loan the guarantee fund has covered is written off (county administrators)."""
    require(actor, "loans.loan.write_off", loan)
    on = _date(on, "date")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for writing the loan off.")})
    loan = _locked(loan)
    check_transition(loan, S.WRITTEN_OFF)
    _not_before(on, loan.disbursed_on, "date", _("The write-off cannot be before the disbursement (%(date)s)."))
    return _move(actor, loan, S.WRITTEN_OFF, "loan.write_off", written_off_on=on, decision_reason=reason)


# --- repayments -------------------------------------------------------------------------------

def principal_repaid(loan: Loan) -> Decimal:
    return loan.repayments.aggregate(total=Sum("principal"))["total"] or ZERO


@transaction.atomic
def repayment_record(*, actor, loan: Loan, paid_on: date, principal=ZERO, interest=ZERO, note: str = "") -> Repayment:
    """Record a repayment of a lent loan; the loan moves to repaying at the first, to repaid when its
    principal is paid in full, and from overdue back to repaying once no instalment is in arrears."""
    require(actor, "loans.repayment.write", loan)
    paid_on = _date(paid_on, "paid_on")
    loan = _locked(loan)
    if loan.status not in LENT:
        raise Conflict(_("Repayments are recorded for a disbursed loan only. This loan is now: %(status)s.")
                       % {"status": LoanStatus(loan.status).label}, code="loan_not_lent")
    _not_before(paid_on, loan.disbursed_on, "paid_on",
                _("A repayment cannot be before the disbursement (%(date)s)."))
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A repayment cannot be in the future.")})
    principal, interest = Decimal(principal or 0), Decimal(interest or 0)
    remaining = loan.amount - principal_repaid(loan)
    if principal > remaining:
        raise ValidationError({"principal": _("Only %(remaining)s yuan of principal remain to be repaid.")
                               % {"remaining": rules.yuan(remaining)}})
    repayment = create(Repayment, actor=actor, action="repayment.create", loan=loan, paid_on=paid_on,
                       principal=principal, interest=interest, note=(note or "").strip())
    if principal == remaining:
        _move(actor, loan, S.REPAID, "loan.repaid", repaid_on=paid_on)
    elif loan.status == S.DISBURSED:
        _move(actor, loan, S.REPAYING, "loan.repaying")
    elif loan.status == S.OVERDUE and not selectors.overdue_loans(Loan.objects.filter(pk=loan.pk)).exists():
        _move(actor, loan, S.REPAYING, "loan.repaying")
    return repayment


@transaction.atomic
def loans_refresh_overdue(*, actor, on: date | None = None) -> dict:
    """Set-based, daily: lent loans the overdue rule catches on `on` become overdue; overdue loans it no
    longer catches go back to repaying. One audit event per loan moved."""
    require(actor, "loans.overdue.refresh")
    on = on or timezone.localdate()
    overdue_ids = set(selectors.overdue_loans(Loan.objects.all(), on=on).values_list("pk", flat=True))
    loans = Loan.objects.select_related("worker", "enterprise")
    to_overdue = list(loans.filter(status__in=[S.DISBURSED, S.REPAYING], pk__in=overdue_ids))
    cured = list(loans.filter(status=S.OVERDUE).exclude(pk__in=overdue_ids))
    events = []
    for moved, to in ((to_overdue, S.OVERDUE), (cured, S.REPAYING)):
        Loan.objects.filter(pk__in=[loan.pk for loan in moved]).update(status=to)
        events += [(loan, {"status": [loan.status, to]}, str(loan)) for loan in moved]
    audit.record_many(actor, "loan.overdue_refresh", events)
    return {"overdue": len(to_overdue), "repaying": len(cured)}


# --- the policy -------------------------------------------------------------------------------

def _check_no_overlap(policy_id, effective_from, effective_to):
    if not isinstance(effective_from, date):
        return
    others = LoanPolicy.objects.exclude(pk=policy_id).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from))
    if effective_to is not None:
        others = others.filter(effective_from__lte=effective_to)
    clash = others.first()
    if clash is not None:
        raise ValidationError({"effective_from": _("The period overlaps policy %(code)s; end that one first.")
                               % {"code": clash.code}})


def policy_create(*, actor, code=UNSET, name=UNSET, document_number=UNSET, effective_from=UNSET,
                  effective_to=None, individual_max=UNSET, firm_max=UNSET, max_term_months=UNSET) -> LoanPolicy:
    require(actor, "loans.policy.edit")
    _check_no_overlap(None, effective_from, effective_to)
    return create(LoanPolicy, actor=actor, action="loan_policy.create", **given(
        code=code, name=name, document_number=document_number, effective_from=effective_from,
        effective_to=effective_to, individual_max=individual_max, firm_max=firm_max,
        max_term_months=max_term_months))


@transaction.atomic
def policy_update(*, actor, policy: LoanPolicy, code=UNSET, name=UNSET, document_number=UNSET,
                  effective_from=UNSET, effective_to=UNSET, individual_max=UNSET, firm_max=UNSET,
                  max_term_months=UNSET) -> LoanPolicy:
    """Edit a version; limits apply to applications (and approvals) made from then on."""
    require(actor, "loans.policy.edit")
    fields = given(code=code, name=name, document_number=document_number, effective_from=effective_from,
                   effective_to=effective_to, individual_max=individual_max, firm_max=firm_max,
                   max_term_months=max_term_months)
    _check_no_overlap(policy.pk, fields.get("effective_from", policy.effective_from),
                      fields.get("effective_to", policy.effective_to))
    return update(policy, actor=actor, action="loan_policy.update", **fields)
