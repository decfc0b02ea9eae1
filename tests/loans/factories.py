"""Loans made through the services (so the township, the policy and the schedule are the real ones)."""

from datetime import date
from decimal import Decimal

from accounts.permissions import SYSTEM
from loans import services
from tests.factories import EnterpriseFactory, WorkerFactory

__all__ = ["make_loan", "lent_loan"]


def make_loan(*, worker=None, enterprise=None, amount="100000.00", term_months=12, annual_rate="3.450",
              subsidy_share="100.00", applied_on=date(2025, 1, 10), actor=SYSTEM, **kwargs):
    if worker is None and enterprise is None:
        worker = WorkerFactory()
    return services.loan_apply(actor=actor, worker=worker, enterprise=enterprise, lender_bank="农业银行万源支行",
                               guarantee_fund="万源市创业担保贷款担保基金", amount=Decimal(amount),
                               term_months=term_months, annual_rate=Decimal(annual_rate),
                               subsidy_share=Decimal(subsidy_share), applied_on=applied_on, **kwargs)


def lent_loan(*, disbursed_on=date(2025, 2, 1), applied_on=date(2024, 12, 1), **kwargs):
    loan = make_loan(applied_on=applied_on, **kwargs)
    services.loan_approve(actor=SYSTEM, loan=loan, on=loan.applied_on)
    return services.loan_disburse(actor=SYSTEM, loan=loan, on=disbursed_on)


def firm(**kwargs):
    return EnterpriseFactory(**kwargs)
