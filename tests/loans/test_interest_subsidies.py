"""The county's monthly interest subsidy per loan (loans.selectors.interest_subsidies), worked by hand:
a loan out all month, one disbursed mid-month, one repaid in full during the month, an overdue one."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import SYSTEM
from loans import selectors, services
from tests.factories import EnterpriseFactory, WorkerFactory, township

from .factories import lent_loan, make_loan

pytestmark = pytest.mark.django_db
D = Decimal


def rows(month):
    return {row.loan_id: row for row in selectors.interest_subsidies(month)}


def test_a_loan_out_all_month_gets_the_months_interest_times_the_share():
    loan = lent_loan(amount="100000.00", annual_rate="3.450", subsidy_share="100.00", disbursed_on=date(2025, 2, 1))
    # The first instalment (8,333.33) is paid on its due day, 1 March: the March basis is still the whole
    # 100,000 (principal repaid *before* the month's first day); April's is 91,666.67.
    services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 3, 1), principal=D("8333.33"),
                              interest=D("287.50"))
    march = rows(date(2025, 3, 1))[loan.pk]
    assert march.amount == D("287.50")  # 100,000 × 3.45 % ÷ 12 × 100 % × 31/31
    assert (march.township_id, march.worker_id, march.enterprise_id) == (
        loan.township_id, loan.worker_id, None)
    assert march.basis["principal"] == "100000.00" and march.basis["days"] == 31
    # 91,666.67 × 3.45 % ÷ 12 = 263.5416… → 263.54
    assert rows(date(2025, 4, 15))[loan.pk].amount == D("263.54")
    # February: disbursed on its first day, 28 of 28 days
    assert rows(date(2025, 2, 1))[loan.pk].amount == D("287.50")


def test_a_firm_loan_disbursed_mid_month_counts_the_days_from_disbursement():
    firm = EnterpriseFactory(township=township("511781100"))
    loan = lent_loan(worker=None, enterprise=firm, amount="150000.00", annual_rate="3.950", subsidy_share="50.00",
                     term_months=36, disbursed_on=date(2025, 3, 16))
    march = rows(date(2025, 3, 1))[loan.pk]
    # 150,000 × 3.95 % ÷ 12 × 50 % × 16/31 = 127.419… → 127.42, to the firm
    assert march.amount == D("127.42")
    assert (march.worker_id, march.enterprise_id, march.township_id) == (None, firm.pk, firm.township_id)
    assert "127.42" in march.reason and "16/31" in march.reason
    assert loan.pk not in rows(date(2025, 2, 1))  # not out yet in February


def test_a_loan_repaid_in_full_mid_month_stops_the_day_before_and_is_gone_the_month_after():
    loan = lent_loan(amount="60000.00", disbursed_on=date(2025, 1, 1))
    services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 3, 11), principal=D("60000.00"))
    loan.refresh_from_db()
    assert loan.status == "repaid" and loan.repaid_on == date(2025, 3, 11)
    # 60,000 × 3.45 % ÷ 12 = 172.50 a month; 1–10 March: × 10/31 = 55.645… → 55.65
    assert rows(date(2025, 3, 1))[loan.pk].amount == D("55.65")
    assert loan.pk not in rows(date(2025, 4, 1))


def test_an_overdue_loan_gets_a_row_of_zero_with_the_reason():
    loan = lent_loan(amount="100000.00", disbursed_on=date(2025, 1, 1))
    # Instalment 1 fell due on 1 February and was never paid. On 28 February it is 27 days late: not
    # overdue, the subsidy is paid; on 31 March it is 58 days late: overdue, nothing is paid.
    assert rows(date(2025, 2, 1))[loan.pk].amount == D("287.50")
    march = rows(date(2025, 3, 1))[loan.pk]
    assert march.amount == D("0.00") and march.basis["overdue"] is True
    assert "逾期" in march.reason
    # Paying the arrears (by the end of April) brings the subsidy back for April, on what remains
    services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 4, 2), principal=D("25000.00"))
    # April's basis: 100,000 (nothing repaid before 1 April) → 287.50
    assert rows(date(2025, 4, 1))[loan.pk].amount == D("287.50")
    # May: 75,000 × 3.45 % ÷ 12 = 215.625 → 215.63 (half-up)
    assert rows(date(2025, 5, 1))[loan.pk].amount == D("215.63")


def test_applications_rejected_and_written_off_loans_and_the_query_count():
    applied = make_loan()
    rejected = make_loan()
    services.loan_reject(actor=SYSTEM, loan=rejected, on=date(2025, 1, 11), reason="资料不全")
    written = lent_loan(disbursed_on=date(2025, 1, 1))
    services.loans_refresh_overdue(actor=SYSTEM, on=date(2025, 4, 1))
    services.loan_write_off(actor=SYSTEM, loan=written, on=date(2025, 4, 10), reason="担保基金代偿")
    others = [lent_loan(worker=WorkerFactory(), disbursed_on=date(2025, 1, 1)) for _ in range(3)]
    april = rows(date(2025, 4, 1))
    assert applied.pk not in april and rejected.pk not in april
    assert april[written.pk].amount == D("0.00") and "核销" in april[written.pk].reason
    assert written.pk not in rows(date(2025, 5, 1))
    assert all(loan.pk in april for loan in others)
    with CaptureQueriesContext(connection) as queries:
        selectors.interest_subsidies(date(2025, 4, 1))
    assert len(queries) == 1  # set-based: one query, whatever the number of loans
