"""The pure rules, worked by hand."""

from datetime import date
from decimal import Decimal

from loans import rules
from loans.models import LoanPolicy

D = Decimal


def policy():
    return LoanPolicy(code="WY-LOAN-2026", individual_max=D("200000.00"), firm_max=D("3000000.00"), max_term_months=36)


def test_a_full_month_at_100_percent_is_the_months_interest():
    # 100,000 × 3.45 % ÷ 12 = 287.50
    assert rules.monthly_interest_subsidy(principal=D("100000"), annual_rate=D("3.45"), subsidy_share=D("100"),
                                          days=31, days_in_month=31) == D("287.50")


def test_the_share_and_the_days_scale_it_and_it_rounds_half_up_to_the_fen():
    # 150,000 × 3.95 % ÷ 12 × 50 % × 16/31 = 493.75 × 0.5 × 16/31 = 127.4193… → 127.42
    assert rules.monthly_interest_subsidy(principal=D("150000"), annual_rate=D("3.95"), subsidy_share=D("50"),
                                          days=16, days_in_month=31) == D("127.42")
    # 50 × 3 % ÷ 12 = 0.125: half a fen rounds up
    assert rules.monthly_interest_subsidy(principal=D("50"), annual_rate=D("3"), subsidy_share=D("100"),
                                          days=1, days_in_month=1) == D("0.13")


def test_days_held_counts_the_first_day_not_the_day_of_repayment():
    first, last = date(2025, 3, 1), date(2025, 3, 31)
    assert rules.days_held(month_start=first, month_end=last, disbursed_on=date(2025, 3, 16), repaid_on=None) == 16
    assert rules.days_held(month_start=first, month_end=last, disbursed_on=date(2024, 1, 1),
                           repaid_on=date(2025, 3, 11)) == 10
    assert rules.days_held(month_start=first, month_end=last, disbursed_on=date(2024, 1, 1),
                           repaid_on=date(2025, 3, 1)) == 0


def test_the_schedule_is_equal_principal_and_ends_on_the_whole_amount():
    rows = rules.schedule(amount=D("100000.00"), term_months=3, disbursed_on=date(2025, 1, 31))
    assert [r.due_on for r in rows] == [date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]
    assert [r.principal for r in rows] == [D("33333.33"), D("33333.34"), D("33333.33")]
    assert [r.cumulative_principal for r in rows] == [D("33333.33"), D("66666.67"), D("100000.00")]


def test_a_refusal_names_the_limit_and_the_policy():
    problems = rules.limit_problems(kind="individual", amount=D("200000.01"), term_months=37, policy=policy())
    assert "200,000.00" in problems["amount"] and "WY-LOAN-2026" in problems["amount"]
    assert "36" in problems["term_months"]
    assert rules.limit_problems(kind="firm", amount=D("3000000.00"), term_months=36, policy=policy()) == {}
    assert "3,000,000.00" in rules.limit_problems(kind="firm", amount=D("3000000.01"), term_months=1,
                                                  policy=policy())["amount"]
