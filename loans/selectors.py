"""Scoped reads of guarantee loans, the overdue rule as a query, and the county's monthly interest
subsidy computed for every loan at once (one query, then the pure rule of loans.rules per row)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent
from accounts.permissions import can
from accounts.scoping import scoped
from core.months import month_end, month_start

from . import rules
from .choices import LENT, OUTSTANDING, LoanStatus
from .models import Instalment, Loan, LoanPolicy, Repayment

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
OVERDUE_AFTER_DAYS = 30
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def loan_list(*, user) -> QuerySet:
    return scoped(Loan.objects.select_related("worker", "enterprise", "township", "policy"), user)


def loan_get(*, user, pk) -> Loan:
    """Raises Loan.DoesNotExist outside the user's scope."""
    return loan_list(user=user).get(pk=pk)


def repayment_list(*, user) -> QuerySet:
    return scoped(Repayment.objects.select_related("loan", "loan__worker", "loan__enterprise"), user)


def instalments(*, loan: Loan) -> QuerySet:
    return loan.instalments.order_by("number")


def loan_history(*, loan: Loan) -> QuerySet:
    """The loan's audit events, newest first (its page shows them to whoever may see the loan)."""
    return AuditEvent.objects.filter(object_type="loans.loan", object_id=str(loan.pk)).select_related(
        "actor").order_by("-created_at", "-id")


def policy_list(*, user) -> QuerySet:
    return LoanPolicy.objects.all() if can(user, "loans.policy.view") else LoanPolicy.objects.none()


def policy_in_force(day: date) -> LoanPolicy | None:
    """The version whose period covers `day` (the latest to start, should two overlap)."""
    return (LoanPolicy.objects.filter(effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .order_by("-effective_from", "-id").first())


# --- money repaid and the overdue rule -----------------------------------------------------------

def _principal_repaid(*, before: date | None = None, up_to: date | None = None, ref: str = "pk"):
    """The principal repaid on the outer loan (paid before `before`, or on or before `up_to`), 0 when none."""
    repayments = Repayment.objects.filter(loan=OuterRef(ref))
    if before is not None:
        repayments = repayments.filter(paid_on__lt=before)
    if up_to is not None:
        repayments = repayments.filter(paid_on__lte=up_to)
    total = repayments.order_by().values("loan").annotate(total=Sum("principal")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def with_principal_repaid(queryset: QuerySet, *, up_to: date | None = None) -> QuerySet:
    return queryset.annotate(principal_repaid=_principal_repaid(up_to=up_to))


def _overdue_on(on: date) -> Exists:
    """True for a loan with an instalment due more than 30 days before `on` whose cumulative principal
    exceeds the principal repaid up to `on` (Loan's docstring). Needs the outer `repaid_to_day`."""
    cutoff = on - timedelta(days=OVERDUE_AFTER_DAYS)
    return Exists(Instalment.objects.filter(loan=OuterRef("pk"), due_on__lt=cutoff,
                                            cumulative_principal__gt=OuterRef("repaid_to_day")))


def overdue_loans(queryset: QuerySet, *, on: date | None = None) -> QuerySet:
    """The lent loans of `queryset` that are overdue on `on` (today by default)."""
    on = on or timezone.localdate()
    return (queryset.filter(status__in=LENT).annotate(repaid_to_day=_principal_repaid(up_to=on))
            .filter(_overdue_on(on)))


def not_overdue_loans(queryset: QuerySet, *, on: date | None = None) -> QuerySet:
    on = on or timezone.localdate()
    return queryset.exclude(pk__in=overdue_loans(Loan.objects.all(), on=on).values("pk"))


def overdue_count(user, on: date | None = None) -> int:
    """The number of overdue loans in `user`'s scope (the county's to-do); 0 for users who see none.
    The list behind it: reverse("loan-list") + "?overdue=1"."""
    return overdue_loans(loan_list(user=user), on=on).count()


OVERDUE_LIST_QUERY = "overdue=1"


def outstanding(*, user, on: date | None = None, township=None) -> dict:
    """Loans outstanding in `user`'s scope (and `township`, when given): their number, the amount lent and
    the principal not yet repaid (the dashboard). Now (`on` None): the loans whose status is lent. On a
    past day: the loans disbursed by then and neither repaid in full nor written off by then, less the
    principal repaid up to that day. One SQL aggregate either way."""
    loans = loan_list(user=user).order_by()
    if township is not None:
        loans = loans.filter(township=township)
    if on is None:
        loans, repaid = loans.filter(status__in=OUTSTANDING), _principal_repaid()
    else:
        loans = (loans.filter(disbursed_on__lte=on).exclude(repaid_on__lte=on).exclude(written_off_on__lte=on)
                 .exclude(status__in=[LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.REJECTED]))
        repaid = _principal_repaid(up_to=on)
    totals = loans.annotate(repaid_so_far=repaid).aggregate(
        count=Count("pk"), lent=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD),
        repaid=Coalesce(Sum("repaid_so_far"), Value(ZERO), output_field=MONEY_FIELD))
    lent, repaid_total = Decimal(totals["lent"]).quantize(CENT), Decimal(totals["repaid"]).quantize(CENT)
    return {"count": totals["count"], "principal": lent - repaid_total, "lent": lent}


# --- the county's monthly interest subsidy (贴息) --------------------------------------------------

@dataclass(frozen=True)
class InterestSubsidyRow:
    loan_id: int
    township_id: int
    worker_id: int | None
    enterprise_id: int | None
    amount: Decimal
    basis: dict  # the figures the amount was computed from (JSON values)
    reason: str  # the same in the reader's words


def interest_subsidies(month: date) -> list[InterestSubsidyRow]:
    """One row per loan out during `month` (any day of the month names it): disbursed on or before
    the month's last day, not repaid in full on or before its first day, not written off before it.

    amount = fen(P × annual_rate% / 12 × subsidy_share% × days / days_in_month) (loans.rules), where P
    is the principal outstanding at the month's start and days those the loan is out that month
    (disbursement day counted, day of full repayment not). A loan overdue on the month's last day (the
    overdue rule, with the repayments made up to that day), or written off during the month, gets
    amount 0 with the reason: the county does not subsidise the interest of a loan in arrears.

    One query for every loan (no query per loan); the county-wide list: the calculation is the caller's
    (subsidies'), which applies its own approval."""
    first, last = month_start(month), month_end(month)
    days_in_month = (last - first).days + 1
    loans = (Loan.objects.filter(disbursed_on__lte=last)
             .exclude(repaid_on__lte=first).exclude(written_off_on__lt=first)
             .exclude(status__in=[LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.REJECTED])
             .annotate(repaid_before=_principal_repaid(before=first), repaid_to_day=_principal_repaid(up_to=last))
             .annotate(overdue=_overdue_on(last))
             .order_by("id")
             .values_list("id", "township_id", "worker_id", "enterprise_id", "amount", "annual_rate",
                          "subsidy_share", "disbursed_on", "repaid_on", "written_off_on", "repaid_before", "overdue"))
    rows = []
    for (loan_id, township_id, worker_id, enterprise_id, amount, rate, share, disbursed_on, repaid_on,
         written_off_on, repaid_before, overdue) in loans:
        principal = amount - repaid_before
        days = rules.days_held(month_start=first, month_end=last, disbursed_on=disbursed_on, repaid_on=repaid_on)
        basis = {"month": first.isoformat(), "principal": str(principal), "annual_rate": str(rate),
                 "subsidy_share": str(share), "days": days, "days_in_month": days_in_month}
        if written_off_on is not None and written_off_on <= last:
            value, reason = ZERO, _("Loan written off on %(date)s: no interest subsidy") % {
                "date": written_off_on.isoformat()}
            basis["written_off_on"] = written_off_on.isoformat()
        elif overdue:
            value, reason = ZERO, _("Loan overdue at the end of the month: no interest subsidy")
            basis["overdue"] = True
        else:
            value = rules.monthly_interest_subsidy(principal=principal, annual_rate=rate, subsidy_share=share,
                                                   days=days, days_in_month=days_in_month)
            reason = _("Interest subsidy %(amount)s yuan: %(principal)s yuan × %(rate)s%% ÷ 12 × %(share)s%% × "
                       "%(days)s/%(days_in_month)s days") % {
                "amount": rules.yuan(value), "principal": rules.yuan(principal), "rate": f"{rate.normalize():f}",
                "share": f"{share.normalize():f}", "days": days, "days_in_month": days_in_month}
        basis["amount"] = str(value)
        rows.append(InterestSubsidyRow(loan_id, township_id, worker_id, enterprise_id, value, basis, reason))
    return rows
