"""Hand-worked examples of every WY-2026 rule and limit, calculated for real on the database."""

from datetime import date
from decimal import Decimal

import pytest

from labor.models import Payroll, Placement
from subsidies.choices import Component, LineStatus, RunStatus
from subsidies.models import Policy, Rule
from tests.factories import (
    PlacementFactory,
    TrainingCompletionFactory,
    TrainingFactory,
    WorkerFactory,
    approved_history,
    certified_workshop,
    payroll_months,
)

from .conftest import approve, calculate, lines_of, months

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def workshop():
    return certified_workshop(on=date(2024, 1, 1))


def placed(workshop, category="poverty_alleviated", born=date(1985, 6, 15), start=date(2025, 1, 1)):
    worker = WorkerFactory(category=category, born=born)
    return PlacementFactory(worker=worker, workshop=workshop, start_date=start)


def amounts(run, component):
    return [line.amount for line in lines_of(run, component=component)]


def test_a_qualifying_month_pays_social_insurance_and_the_job_subsidy(workshop):
    payroll_months(placed(workshop), months("2025-01", "2025-01"), employer_social_insurance=D("512.50"))
    run = calculate("2025-01")
    assert run.status == RunStatus.DRAFT
    assert amounts(run, Component.SOCIAL_INSURANCE) == [D("512.50")]
    assert amounts(run, Component.JOB_SUBSIDY) == [D("300.00")]
    assert amounts(run, Component.HIRING_AWARD) == []
    assert run.payable_total == D("812.50") and run.withheld_total == 0
    assert "512.50" in lines_of(run, component=Component.SOCIAL_INSURANCE)[0].reason


def test_social_insurance_is_paid_at_most_600_a_month(workshop):
    payroll_months(placed(workshop), months("2025-01", "2025-01"), employer_social_insurance=D("800.00"))
    assert amounts(calculate("2025-01"), Component.SOCIAL_INSURANCE) == [D("600.00")]


def test_the_hiring_award_comes_in_the_sixth_qualifying_month(workshop):
    payroll_months(placed(workshop), months("2025-01", "2025-07"))
    assert amounts(calculate("2025-05"), Component.HIRING_AWARD) == []
    june = calculate("2025-06")
    assert amounts(june, Component.HIRING_AWARD) == [D("1000.00")]
    assert lines_of(june, component=Component.HIRING_AWARD)[0].reason == "第6个合格月，吸纳就业奖补1000元"
    assert amounts(calculate("2025-07"), Component.HIRING_AWARD) == []


def test_a_month_with_14_days_pays_nothing_and_does_not_count(workshop):
    placement = placed(workshop)
    payroll_months(placement, months("2025-01", "2025-07"))
    Payroll.objects.filter(placement=placement, month=date(2025, 3, 1)).update(days_worked=14)
    march = calculate("2025-03")
    assert march.line_count == 0 and march.payable_total == 0
    assert amounts(calculate("2025-06"), Component.HIRING_AWARD) == []
    assert amounts(calculate("2025-07"), Component.HIRING_AWARD) == [D("1000.00")]


def test_a_wage_of_1999_pays_nothing(workshop):
    payroll_months(placed(workshop), months("2025-01", "2025-01"), wage_paid=D("1999.00"))
    assert calculate("2025-01").line_count == 0


def test_a_worker_aged_66_on_the_months_last_day_gets_nothing(workshop):
    payroll_months(placed(workshop, born=date(1959, 6, 15)), months("2025-05", "2025-06"))
    assert amounts(calculate("2025-05"), Component.JOB_SUBSIDY) == [D("300.00")]  # still 65 on 31 May
    assert calculate("2025-06").line_count == 0  # 66 on 30 June


def test_a_workshop_revoked_mid_year_stops_paying_from_that_month():
    revoked = certified_workshop(on=date(2025, 1, 1), revoked_on=date(2025, 6, 15))
    payroll_months(placed(revoked), months("2025-01", "2025-07"))
    assert amounts(calculate("2025-05"), Component.JOB_SUBSIDY) == [D("300.00")]
    assert calculate("2025-06").line_count == 0  # revoked on or before 30 June
    assert calculate("2025-07").line_count == 0


def test_general_workers_get_nothing_and_hard_to_employ_only_social_insurance(workshop):
    payroll_months(placed(workshop, category="general"), months("2025-01", "2025-01"))
    payroll_months(placed(workshop, category="hard_to_employ"), months("2025-01", "2025-01"))
    run = calculate("2025-01")
    assert [line.component for line in lines_of(run)] == [Component.SOCIAL_INSURANCE]


def test_the_hiring_award_stops_at_50000_a_workshop_a_year(workshop):
    placements = [placed(workshop) for _ in range(51)]
    Payroll.objects.bulk_create([
        Payroll(placement=p, month=m, days_worked=22, wage_paid=D("3200"), employer_social_insurance=0)
        for p in placements for m in months("2025-01", "2025-06")
    ])
    june = calculate("2025-06")
    awards = amounts(june, Component.HIRING_AWARD)
    assert len(awards) == 51 and sum(awards) == D("50000.00")
    capped = [line for line in lines_of(june, component=Component.HIRING_AWARD) if line.amount == 0]
    assert len(capped) == 1 and "50000" in capped[0].reason and "上限" in capped[0].reason
    assert june.hiring_award_total == D("50000.00")


def test_the_cap_counts_awards_approved_earlier_in_the_year(workshop, county_officer, county_admin):
    first, late = placed(workshop), placed(workshop, start=date(2025, 2, 1))
    payroll_months(first, months("2025-01", "2025-07"))
    payroll_months(late, months("2025-02", "2025-07"))
    Rule.objects.filter(component=Component.HIRING_AWARD).update(yearly_workshop_cap=D("1500.00"))
    approve(calculate("2025-06"), county_officer, county_admin)
    july = calculate("2025-07")
    assert amounts(july, Component.HIRING_AWARD) == [D("500.00")]


def test_job_subsidy_stops_after_12_months_across_runs(workshop, county_officer, county_admin):
    payroll_months(placed(workshop), months("2025-01", "2026-01"), employer_social_insurance=D("0"))
    for month in months("2025-01", "2025-12"):
        run = calculate(f"{month:%Y-%m}")
        assert amounts(run, Component.JOB_SUBSIDY) == [D("300.00")]
        approve(run, county_officer, county_admin)
    assert amounts(calculate("2026-01"), Component.JOB_SUBSIDY) == []


def test_a_withheld_month_does_not_count_towards_the_limit(workshop, county_officer, county_admin):
    placement = placed(workshop)
    payroll_months(placement, months("2025-02", "2025-02"))
    approved_history(worker=placement.worker, workshop=workshop, component=Component.JOB_SUBSIDY,
                     months=months("2024-01", "2024-11"), amount=D("300"))
    assert amounts(calculate("2025-02"), Component.JOB_SUBSIDY) == [D("300.00")]  # 11 paid: the 12th is due


def test_social_insurance_stops_after_36_months_across_runs(workshop, county_officer, county_admin):
    placement = placed(workshop)
    approved_history(worker=placement.worker, workshop=workshop, component=Component.SOCIAL_INSURANCE,
                     months=months("2022-01", "2024-11"), amount=D("500"))  # 35 months paid
    payroll_months(placement, months("2025-01", "2025-02"))
    january = calculate("2025-01")
    assert amounts(january, Component.SOCIAL_INSURANCE) == [D("500.00")]
    assert "36" in lines_of(january, component=Component.SOCIAL_INSURANCE)[0].reason
    approve(january, county_officer, county_admin)
    assert amounts(calculate("2025-02"), Component.SOCIAL_INSURANCE) == []


def test_a_training_completion_pays_by_certificate_once(workshop, county_officer, county_admin):
    placement = placed(workshop)
    course = TrainingFactory(organizer_workshop=workshop)
    TrainingCompletionFactory(training=course, worker=placement.worker, certificate_level="intermediate",
                              completed_on=date(2025, 3, 20))
    stranger = WorkerFactory()  # no placement at the organizer workshop: nothing
    TrainingCompletionFactory(training=course, worker=stranger, completed_on=date(2025, 3, 20))
    march = calculate("2025-03")
    training = lines_of(march, component=Component.TRAINING)
    assert [(line.worker_id, line.amount) for line in training] == [(placement.worker_id, D("1500.00"))]
    assert training[0].training_id == course.pk and training[0].workshop_id == workshop.pk
    approve(march, county_officer, county_admin)
    adjustment = calculate("2025-03")
    assert adjustment.kind == "adjustment" and adjustment.line_count == 0


def test_training_at_an_uncertified_organizer_pays_nothing():
    uncertified = certified_workshop(on=date(2025, 1, 1), revoked_on=date(2025, 2, 1))
    placement = placed(uncertified)
    TrainingCompletionFactory(training=TrainingFactory(organizer_workshop=uncertified), worker=placement.worker,
                              completed_on=date(2025, 3, 20))
    assert calculate("2025-03").line_count == 0


def test_a_new_policy_version_does_not_change_an_earlier_month(workshop):
    Policy.objects.filter(code="WY-2026").update(effective_to=date(2025, 6, 30))
    newer = Policy.objects.create(code="WY-2025-07", name="new", effective_from=date(2025, 7, 1),
                                  min_monthly_wage=D("2500"), min_days=15, min_age=16, max_age=65)
    Rule.objects.create(policy=newer, component=Component.JOB_SUBSIDY, eligible_categories=["poverty_alleviated"],
                        amount=D("400"), month_limit=12)
    payroll_months(placed(workshop), months("2025-06", "2025-07"), wage_paid=D("2200"))
    assert amounts(calculate("2025-06"), Component.JOB_SUBSIDY) == [D("300.00")]
    july = calculate("2025-07")
    assert july.policy == newer and july.line_count == 0  # 2,200 is below the new minimum


def test_recalculating_a_draft_gives_identical_lines(workshop):
    for _ in range(3):
        payroll_months(placed(workshop), months("2025-01", "2025-06"))
    first = calculate("2025-06")
    before = [(x.component, x.worker_id, x.amount, x.status, x.flags, x.reason, x.basis) for x in lines_of(first)]
    again = calculate("2025-06")
    assert again.pk == first.pk and again.status == RunStatus.DRAFT
    assert [(x.component, x.worker_id, x.amount, x.status, x.flags, x.reason, x.basis) for x in lines_of(again)] \
        == before
    assert again.payable_total == first.payable_total == D("5400.00")  # 3 × (500 + 300 + 1000)


def test_a_late_payroll_row_makes_an_adjustment_run_with_only_the_difference(workshop, county_officer,
                                                                             county_admin):
    early = placed(workshop)
    payroll_months(early, months("2025-01", "2025-01"))
    regular = approve(calculate("2025-01"), county_officer, county_admin)
    late = placed(workshop)
    payroll_months(late, months("2025-01", "2025-01"), employer_social_insurance=D("450"))
    adjustment = calculate("2025-01")
    assert adjustment.pk != regular.pk and adjustment.kind == "adjustment"
    assert {line.worker_id for line in lines_of(adjustment)} == {late.worker_id}
    assert adjustment.payable_total == D("750.00")
    regular.refresh_from_db()
    assert regular.status == RunStatus.APPROVED and regular.payable_total == D("800.00")


def test_a_corrected_payroll_row_adjusts_by_the_difference_only(workshop, county_officer, county_admin):
    placement = placed(workshop)
    payroll_months(placement, months("2025-01", "2025-01"), employer_social_insurance=D("400"))
    approve(calculate("2025-01"), county_officer, county_admin)
    Payroll.objects.filter(placement=placement).update(employer_social_insurance=D("550"))
    adjustment = calculate("2025-01")
    assert [(x.component, x.amount) for x in lines_of(adjustment)] == [(Component.SOCIAL_INSURANCE, D("150.00"))]


def test_a_duplicate_employment_is_withheld_then_cleared(workshop, county_admin):
    other = certified_workshop(on=date(2024, 1, 1))
    worker = WorkerFactory()
    for shop in (workshop, other):
        payroll_months(PlacementFactory(worker=worker, workshop=shop), months("2025-01", "2025-01"))
    run = calculate("2025-01")
    lines = lines_of(run)
    assert len(lines) == 4 and all(x.status == LineStatus.WITHHELD for x in lines)
    assert all(x.flags == ["duplicate_employment"] for x in lines)
    # one worker-month: 500 + 100 of social insurance (600 at most), one job subsidy of 300
    assert run.payable_total == 0 and run.withheld_total == D("900.00")
    from accounts.models import AuditEvent
    from subsidies import services

    services.line_clear(actor=county_admin, line=lines[0], reason="两处均为兼职，已核实")
    run.refresh_from_db()
    assert run.payable_total == lines[0].amount and run.withheld_total == D("900.00") - lines[0].amount
    assert AuditEvent.objects.filter(action="subsidy_line.clear", object_id=str(lines[0].pk)).exists()
    # Recalculating the draft keeps the decision.
    again = calculate("2025-01")
    assert again.payable_total == lines[0].amount


def test_a_phone_on_more_than_three_workers_is_flagged(workshop):
    for _ in range(4):
        payroll_months(PlacementFactory(worker=WorkerFactory(phone="13900000000"), workshop=workshop),
                       months("2025-01", "2025-01"))
    for _ in range(3):
        payroll_months(PlacementFactory(worker=WorkerFactory(phone="13800000000"), workshop=workshop),
                       months("2025-01", "2025-01"))
    run = calculate("2025-01")
    flagged = {x.worker.phone for x in lines_of(run) if x.flags == ["shared_phone"]}
    assert flagged == {"13900000000"}
    assert run.lines.filter(status=LineStatus.WITHHELD).count() == 8


def test_a_headcount_jump_flags_the_new_workers(workshop):
    steady = [placed(workshop) for _ in range(10)]
    for p in steady:
        payroll_months(p, months("2025-01", "2025-02"))
    newcomers = [placed(workshop, start=date(2025, 2, 1)) for _ in range(10)]
    for p in newcomers:
        payroll_months(p, months("2025-02", "2025-02"))
    run = calculate("2025-02")
    flagged = {x.worker_id for x in lines_of(run) if "headcount_jump" in x.flags}
    assert flagged == {p.worker_id for p in newcomers}
    assert not any(x.flags for x in lines_of(run) if x.worker_id in {p.worker_id for p in steady})


def test_a_small_headcount_rise_is_not_flagged(workshop):
    for p in [placed(workshop) for _ in range(10)]:
        payroll_months(p, months("2025-01", "2025-02"))
    for p in [placed(workshop, start=date(2025, 2, 1)) for _ in range(5)]:
        payroll_months(p, months("2025-02", "2025-02"))
    assert calculate("2025-02").withheld_total == 0


def test_the_calculation_runs_a_constant_number_of_queries(workshop, django_assert_max_num_queries):
    for _ in range(3):
        payroll_months(placed(workshop), months("2025-01", "2025-06"))
    # The ceiling counts the job's claim, lease and money lock too, and the three components of issue 16
    # (a query each, and one for the workshops' townships); the point is that it does not grow.
    with django_assert_max_num_queries(50) as small:
        calculate("2025-06")
    for _ in range(30):
        payroll_months(placed(workshop), months("2025-01", "2025-06"))
    Placement.objects.update()
    with django_assert_max_num_queries(len(small.captured_queries)):
        calculate("2025-06")
