"""Two townships' worth of small data for the home page's figures: 旧院镇 (the township officer's)
and 太平镇. Every figure the dashboard tests expect is built here; the expected values are spelled
out in `COUNTY` and `JIUYUAN` beside the rows that make them."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.choices import Role
from accounts.permissions import SYSTEM
from labor.models import Returnee
from subsidies import services as subsidy_services
from tests.factories import (
    CooperationFundFactory,
    DifficultyFactory,
    EnterpriseFactory,
    JobFairFactory,
    LivestreamFactory,
    PlacementFactory,
    PostFactory,
    ReferralFactory,
    TrainingCompletionFactory,
    TrainingFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    certified_workshop,
    make_user,
    payroll_months,
)

CERTIFIED_ON = date(2024, 1, 1)


def pay_month(month: str, *, maker, checker) -> None:
    """Calculate a month in process, submit, approve (another administrator) and mark it paid."""
    run, _created = subsidy_services.run_request(actor=checker, month=month, enqueue=False)
    run = subsidy_services.run_calculate(actor=SYSTEM, run_id=run.pk)
    subsidy_services.run_submit(actor=maker, run=run)
    run = subsidy_services.run_approve(actor=checker, run=run)
    subsidy_services.run_mark_paid(actor=checker, run=run, voucher=f"PZ-{month}", paid_on=date(2026, 3, 1))


def approve_month(month: str, *, maker, checker) -> None:
    run, _created = subsidy_services.run_request(actor=checker, month=month, enqueue=False)
    run = subsidy_services.run_calculate(actor=SYSTEM, run_id=run.pk)
    subsidy_services.run_submit(actor=maker, run=run)
    subsidy_services.run_approve(actor=checker, run=run)


@pytest.fixture
def two_townships(jiuyuan, taiping, county_admin, county_officer):
    """Returns (county figures expected, 旧院镇 figures expected), keyed like the cards."""
    jy_village, tp_village = VillageFactory(township=jiuyuan), VillageFactory(township=taiping)

    # Enterprises: two in 旧院 (one from the east), one local in 太平, one east county-wide (no township).
    jy_local = EnterpriseFactory(origin="local", township=jiuyuan)
    jy_east = EnterpriseFactory(origin="east", township=jiuyuan)
    tp_local = EnterpriseFactory(origin="local", township=taiping)
    county_east = EnterpriseFactory(origin="east", township=None)

    # Workshops certified today: 旧院 one assistance + one processing (a revoked one and a never-certified
    # one do not count); 太平 one assistance + one processing.
    jy_assist = certified_workshop(on=CERTIFIED_ON, kind="assistance", village=jy_village, enterprise=jy_local)
    jy_process = certified_workshop(on=CERTIFIED_ON, kind="processing", village=jy_village, enterprise=jy_east)
    certified_workshop(on=CERTIFIED_ON, revoked_on=date(2025, 6, 1), kind="assistance", village=jy_village,
                       enterprise=jy_local)
    WorkshopFactory(kind="processing", village=jy_village, enterprise=jy_local)
    tp_assist = certified_workshop(on=CERTIFIED_ON, kind="assistance", village=tp_village, enterprise=tp_local)
    tp_process = certified_workshop(on=CERTIFIED_ON, kind="processing", village=tp_village, enterprise=county_east)

    # Posts: 旧院 12 reserved + 4 open places; 太平 5 reserved + 3 open.
    jy_reserved = PostFactory(workshop=jy_assist, headcount=12, reserved=True)
    jy_open = PostFactory(workshop=jy_process, headcount=4, reserved=False)
    tp_reserved = PostFactory(workshop=tp_assist, headcount=5, reserved=True)
    PostFactory(workshop=tp_process, headcount=3, reserved=False)

    # Difficulties: 旧院 one open, one resolved; 太平 two open.
    DifficultyFactory(workshop=jy_assist)
    DifficultyFactory(workshop=jy_assist, status="resolved", resolved_on=date(2025, 5, 1), resolution="供电已接入")
    DifficultyFactory(workshop=tp_assist)
    DifficultyFactory(workshop=tp_process, category="land")

    # Workers and placements. 旧院: w1 (poverty-alleviated, reserved post, paid subsidies), w2 (general,
    # through a job fair). 太平: w3 (monitored, reserved post, paid subsidies), w4 (ended, job fair).
    w1 = WorkerFactory(village=jy_village, category="poverty_alleviated")
    w2 = WorkerFactory(village=jy_village, category="general")
    w3 = WorkerFactory(village=tp_village, category="monitored")
    w4 = WorkerFactory(village=tp_village, category="general")
    p1 = PlacementFactory(worker=w1, workshop=jy_assist, post=jy_reserved, start_date=date(2025, 1, 1))
    p2 = PlacementFactory(worker=w2, workshop=jy_process, post=jy_open, source="job_fair",
                          start_date=date(2025, 3, 1))
    p3 = PlacementFactory(worker=w3, workshop=tp_assist, post=tp_reserved, start_date=date(2025, 1, 1))
    PlacementFactory(worker=w4, workshop=tp_process, source="job_fair", start_date=date(2025, 1, 1),
                     end_date=date(2025, 6, 30))

    # Payroll. 2026-02 is the latest month: 旧院 pays 3,200 and 2,800 (average 3,000.00); 太平 3,600
    # (county average 3,200.00). Employer social insurance makes the subsidies exact to the fen.
    payroll_months(p1, [date(2025, 12, 1), date(2026, 1, 1)], employer_social_insurance=Decimal("512.34"))
    payroll_months(p1, [date(2026, 2, 1)], employer_social_insurance=Decimal("512.34"))
    payroll_months(p2, [date(2026, 2, 1)], wage_paid=Decimal("2800.00"))
    payroll_months(p3, [date(2025, 12, 1)], employer_social_insurance=Decimal("450.00"))
    payroll_months(p3, [date(2026, 1, 1)], employer_social_insurance=Decimal("580.00"))
    payroll_months(p3, [date(2026, 2, 1)], wage_paid=Decimal("3600.00"), employer_social_insurance=Decimal("580.00"))

    # Subsidies: 2025-12 and 2026-01 paid; 2026-02 approved but not yet paid (not counted).
    # w1: 512.34 social insurance + 300 job subsidy a month; w3: 450 + 300, then 580 + 300.
    pay_month("2025-12", maker=county_officer, checker=county_admin)
    pay_month("2026-01", maker=county_officer, checker=county_admin)
    approve_month("2026-02", maker=county_officer, checker=county_admin)

    # Referrals: 旧院 2 hired, 1 declined, 1 pending; 太平 1 hired.
    for post, outcome in [(jy_reserved, "hired"), (jy_open, "hired"), (jy_open, "declined"),
                          (jy_reserved, "pending"), (tp_reserved, "hired")]:
        ReferralFactory(worker=WorkerFactory(village=post.workshop.village), post=post, outcome=outcome,
                        decided_on=None if outcome == "pending" else date(2025, 2, 10))

    JobFairFactory(township=jiuyuan)
    JobFairFactory(township=taiping)
    JobFairFactory(township=taiping)
    TrainingCompletionFactory(worker=w1, training=TrainingFactory(organizer_workshop=jy_assist))
    TrainingCompletionFactory(worker=w3, training=TrainingFactory(organizer_workshop=tp_assist))
    Returnee.objects.create(worker=w2, returned_on=date(2024, 5, 1), enterprise=jy_local)
    Returnee.objects.create(worker=w4, returned_on=date(2024, 6, 1))

    CooperationFundFactory(township=jiuyuan, amount=Decimal("1234567.89"))
    CooperationFundFactory(township=taiping, amount=Decimal("2000000.00"))
    CooperationFundFactory(township=None, amount=Decimal("500000.00"))
    LivestreamFactory(village=jy_village, sales=Decimal("1020.50"))
    LivestreamFactory(village=jy_village, sales=Decimal("1020.50"))
    LivestreamFactory(village=tp_village, sales=Decimal("99.99"))

    county = {
        "villages": 2,
        "certified_workshops": 4, "assistance_workshops": 2, "processing_workshops": 2,
        "posts": 24, "reserved_posts": 17, "reserved_share": Decimal("70.83"),
        "open_difficulties": 3, "resolved_difficulties": 1,
        # the referrals' five workers are registered too
        "workers": 9, "workers_in_work": 3, "placements": 4, "job_fair_placements": 2,
        "match_rate": Decimal("75.00"), "average_monthly_wage": Decimal("3200.00"),
        "reserved_posts_filled": 2, "reserved_fill_rate": Decimal("11.76"),
        "job_fairs": 3, "training_completions": 2, "returnees": 2, "returnee_enterprises": 1,
        "subsidies_paid": Decimal("3254.68"), "paid_social_insurance": Decimal("2054.68"),
        "paid_job_subsidy": Decimal("1200.00"), "paid_hiring_award": Decimal("0.00"),
        "paid_training": Decimal("0.00"),
        "enterprises": 4, "east_enterprises": 2, "local_enterprises": 2,
        "cooperation_funds": Decimal("3734567.89"), "livestream_sessions": 3,
        "livestream_sales": Decimal("2140.99"),
    }
    jiuyuan_only = {
        "townships": 1, "villages": 1,
        "certified_workshops": 2, "assistance_workshops": 1, "processing_workshops": 1,
        "posts": 16, "reserved_posts": 12, "reserved_share": Decimal("75.00"),
        "open_difficulties": 1, "resolved_difficulties": 1,
        "workers": 6, "workers_in_work": 2, "placements": 2, "job_fair_placements": 1,
        "match_rate": Decimal("66.67"), "average_monthly_wage": Decimal("3000.00"),
        "reserved_posts_filled": 1, "reserved_fill_rate": Decimal("8.33"),
        "job_fairs": 1, "training_completions": 1, "returnees": 1, "returnee_enterprises": 1,
        "subsidies_paid": Decimal("1624.68"), "paid_social_insurance": Decimal("1024.68"),
        "paid_job_subsidy": Decimal("600.00"), "paid_hiring_award": Decimal("0.00"),
        "paid_training": Decimal("0.00"),
        "enterprises": 2, "east_enterprises": 1, "local_enterprises": 1,
        "cooperation_funds": Decimal("1234567.89"), "livestream_sessions": 2,
        "livestream_sales": Decimal("2041.00"),
    }
    by_year = ({2025: Decimal("1562.34"), 2026: Decimal("1692.34")}, {2025: Decimal("812.34"), 2026: Decimal("812.34")})
    return {"county": county, "jiuyuan": jiuyuan_only, "county_by_year": by_year[0], "jiuyuan_by_year": by_year[1]}


@pytest.fixture
def taiping_officer(taiping):
    return make_user("taiping-officer", Role.TOWNSHIP_OFFICER, township=taiping)


@pytest.fixture(autouse=True)
def _dashboard_figures_not_cached(settings):
    """Each test reads the figures its data makes (one test turns the cache back on)."""
    settings.DASHBOARD_CACHE_SECONDS = 0
