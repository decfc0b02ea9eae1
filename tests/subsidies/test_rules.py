"""The pure rules, without a database: what a clerk would check by hand."""

from datetime import date
from decimal import Decimal

from subsidies import rules

TERMS = rules.Terms(code="T", min_wage=Decimal("2000"), min_days=15, min_age=16, max_age=65, rules={})


def qualifies(**overrides):
    values = {"days_worked": 22, "wage_paid": Decimal("3200"), "birth_date": date(1985, 6, 15), "certified": True,
              "month": date(2025, 6, 1), "terms": TERMS, **overrides}
    return rules.is_qualifying(**values)


def test_a_full_month_at_a_certified_workshop_qualifies():
    assert qualifies()


def test_14_days_do_not_qualify_but_15_do():
    assert not qualifies(days_worked=14)
    assert qualifies(days_worked=15)


def test_a_wage_of_1999_does_not_qualify_but_2000_does():
    assert not qualifies(wage_paid=Decimal("1999.00"))
    assert qualifies(wage_paid=Decimal("2000.00"))


def test_age_is_taken_on_the_months_last_day():
    # Born 1959-06-15: 65 on 31 May 2025, 66 on 30 June 2025.
    assert qualifies(birth_date=date(1959, 6, 15), month=date(2025, 5, 1))
    assert not qualifies(birth_date=date(1959, 6, 15), month=date(2025, 6, 1))
    # Turns 16 on 30 June 2025: qualifies in June, not in May.
    assert qualifies(birth_date=date(2009, 6, 30), month=date(2025, 6, 1))
    assert not qualifies(birth_date=date(2009, 6, 30), month=date(2025, 5, 1))


def test_birth_bounds_match_the_age_rule():
    born_after, born_by = TERMS.birth_bounds(date(2025, 6, 1))
    assert born_after == date(1959, 6, 30) and born_by == date(2009, 6, 30)


def test_an_uncertified_workshop_does_not_qualify():
    assert not qualifies(certified=False)


def test_certification_is_the_latest_event_on_the_day():
    events = [(date(2025, 1, 1), 1, "certified"), (date(2025, 6, 15), 2, "revoked")]
    assert rules.certified_on(events, date(2025, 5, 31))
    assert not rules.certified_on(events, date(2025, 6, 30))
    assert not rules.certified_on(events, date(2024, 12, 31))
    # Same date: the later-recorded event wins.
    assert rules.certified_on([(date(2025, 1, 1), 1, "revoked"), (date(2025, 1, 1), 2, "certified")],
                              date(2025, 1, 31))


def test_social_insurance_is_capped_at_600():
    assert rules.capped(Decimal("512.5"), Decimal("600")) == Decimal("512.50")
    assert rules.capped(Decimal("800"), Decimal("600")) == Decimal("600")


def test_month_limits():
    assert rules.within_month_limit(35, 36)
    assert not rules.within_month_limit(36, 36)
    assert rules.within_month_limit(1000, None)


def test_yearly_cap_pays_the_remainder_then_zero():
    amounts = [Decimal("1000")] * 3
    assert rules.apply_yearly_cap(amounts, Decimal("48500"), Decimal("50000")) == [
        Decimal("1000"), Decimal("500"), Decimal("0")]
    assert rules.apply_yearly_cap(amounts, Decimal("0"), None) == amounts


def test_training_amount_by_certificate():
    table = {"none": Decimal("300"), "entry": Decimal("1000"), "intermediate": Decimal("1500"),
             "advanced": Decimal("2000")}
    assert rules.training_amount("intermediate", table) == Decimal("1500.00")
    assert rules.training_amount("unknown", table) is None


def test_headcount_jump_needs_both_half_again_and_ten_workers():
    assert rules.headcount_jumped(10, 20)
    assert not rules.headcount_jumped(10, 15)  # +50 % exactly is not "more than"
    assert not rules.headcount_jumped(4, 9)  # +125 % but only 5 workers
    assert rules.headcount_jumped(0, 10)


def test_months():  # parsing months: tests/core/test_months.py
    assert rules.month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert rules.previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert rules.yuan(Decimal("1000.00")) == "1000" and rules.yuan(Decimal("512.5")) == "512.50"


def test_a_worker_month_cap_is_shared_in_placement_order():
    D = Decimal
    assert rules.share_worker_month([D("450"), D("550")], D("600")) == [D("450.00"), D("150.00")]
    assert rules.share_worker_month([D("600"), D("300")], D("600")) == [D("600.00"), D("0.00")]
    assert rules.share_worker_month([D("100"), D("200")], None) == [D("100.00"), D("200.00")]
