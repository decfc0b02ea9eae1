"""The county dashboard's figures, computed by hand from the two townships' small data
(tests/dashboard/conftest.py) for chosen periods and townships, and compared with what board.build gives.

The data, in short: 旧院镇 has two workshops certified on 2024-01-01 (and a third certified then and revoked on
2025-06-01), 太平镇 two; placements p1 (w1, 旧院, reserved post) and p3 (w3, 太平, reserved post) from
2025-01-01, p2 (w2, 旧院) from 2025-03-01, p4 (w4, 太平) 2025-01-01 to 2025-06-30; payroll 3,200 a month
except p2 2,800 (2026-02) and p3 3,600 (2026-02); subsidies paid for 2025-12 (1,562.34: 旧院 812.34, 太平
750.00) and 2026-01 (1,692.34: 旧院 812.34, 太平 880.00), 2026-02 approved but unpaid; referrals decided on
2025-02-10 (旧院 2 hired 1 declined, 太平 1 hired); training completions on 2025-03-20 (one each)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import board, facts
from dashboard.models import PayrollChange
from dashboard.periods import parse_period
from labor.models import Payroll
from regions.models import Township
from tests.factories import (
    DifficultyFactory,
    EastMarketSaleFactory,
    PlacementFactory,
    PostFactory,
    ProductionBaseFactory,
    VillageFactory,
    WorkerFactory,
    certified_workshop,
    payroll_months,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def build(user, period, township=None, **kwargs):
    return board.build(user=user, period=parse_period(period), township=township, today=TODAY, **kwargs)


def cards(data) -> dict:
    return {card["key"]: (card["value"], card["previous"], card["change"]) for card in data.headlines}


def row(data, name) -> dict:
    frame = data.townships
    return frame[frame["name"] == name].iloc[0].to_dict()


def test_the_countys_first_quarter_of_2026_against_the_last_quarter_of_2025(two_townships, county_officer):
    figures = cards(build(county_officer, "2026-Q1"))
    assert figures["certified_workshops"] == (4, 4, 0)  # on 2026-03-31 and 2025-12-31
    assert figures["assistance_workshops"] == (2, 2, 0)
    assert figures["posts"] == (24, None, None) and figures["reserved_posts"] == (17, None, None)
    assert figures["people_employed"] == (3, 3, 0)  # w1, w2, w3 (w4 left on 2025-06-30)
    # Q1: 3,200 (p1 Jan, Feb; p3 Jan) + 2,800 + 3,600 over 5 payslips; Q4: p1 and p3 in December
    assert figures["average_wage"] == (Decimal("3200.00"), Decimal("3200.00"), Decimal("0.00"))
    assert figures["match_rate"] == (None, None, None)  # nothing decided in either quarter
    # January's run is paid, February's only approved; December's is the previous quarter's
    assert figures["subsidies_paid"] == (Decimal("1692.34"), Decimal("1562.34"), Decimal("130.00"))
    assert figures["placements_made"] == (0, 0, 0)


def test_the_second_quarter_of_2025_loses_the_revoked_workshop_and_the_first_quarters_flows(
        two_townships, county_officer):
    figures = cards(build(county_officer, "2025-Q2"))
    assert figures["certified_workshops"] == (4, 5, -1)  # revoked on 2025-06-01
    assert figures["assistance_workshops"] == (2, 3, -1)
    assert figures["processing_workshops"] == (2, 2, 0)
    assert figures["people_employed"] == (4, 4, 0)  # on 2025-06-30 w4 is still in work
    assert figures["placements_made"] == (0, 4, -4)  # three in January, one in March
    assert figures["match_rate"] == (None, Decimal("75.00"), None)  # 3 hired of 4 decided in Q1
    assert figures["trainings"] == (0, 2, -2)
    assert figures["average_wage"] == (None, None, None)
    assert figures["subsidies_paid"] == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def test_a_township_officer_sees_only_their_township(two_townships, township_officer, taiping):
    data = build(township_officer, "2025-Q1", township=taiping)  # a choice of another township is not theirs
    figures = cards(data)
    assert figures["certified_workshops"][0] == 3  # 旧院's two and the one revoked later
    assert figures["people_employed"][0] == 2  # w1 and w2 (from 2025-03-01)
    assert figures["placements_made"][0] == 2
    assert figures["match_rate"][0] == Decimal("66.67")  # 2 hired of 3 decided
    assert figures["trainings"][0] == 1
    assert list(data.townships["name"]) == ["旧院镇"]


def test_a_township_officer_with_no_choice_gets_the_same(two_townships, township_officer, jiuyuan):
    figures = cards(build(township_officer, "2026-02", township=jiuyuan))
    # February: 3,200 and 2,800; January: p1's 3,200
    assert figures["average_wage"] == (Decimal("3000.00"), Decimal("3200.00"), Decimal("-200.00"))
    assert figures["subsidies_paid"] == (Decimal("0.00"), Decimal("812.34"), Decimal("-812.34"))
    assert figures["posts"][0] == 16 and figures["reserved_posts"][0] == 12


def test_county_staff_choose_a_township(two_townships, county_officer, taiping):
    figures = cards(build(county_officer, "2026-02", township=taiping))
    assert figures["average_wage"] == (Decimal("3600.00"), Decimal("3200.00"), Decimal("400.00"))
    assert figures["subsidies_paid"] == (Decimal("0.00"), Decimal("880.00"), Decimal("-880.00"))
    assert figures["people_employed"] == (1, 1, 0)
    assert figures["certified_workshops"] == (2, 2, 0)


def test_the_township_table_has_every_township_and_adds_up_to_the_county(two_townships, county_officer):
    data = build(county_officer, "2026-Q1")
    assert len(data.townships) == Township.objects.count() == 31
    jiuyuan, taiping = row(data, "旧院镇"), row(data, "太平镇")
    assert {key: jiuyuan[key] for key, _label, _kind in board.TOWNSHIP_COLUMNS} == {
        "workshops": 2, "posts": 16, "people_employed": 2, "reserved_filled": 1,
        "average_wage": Decimal("3066.67"),  # (3,200 + 3,200 + 2,800) / 3
        "subsidies_paid": Decimal("812.34"), "open_difficulties": 1}
    assert {key: taiping[key] for key, _label, _kind in board.TOWNSHIP_COLUMNS} == {
        "workshops": 2, "posts": 8, "people_employed": 1, "reserved_filled": 1,
        "average_wage": Decimal("3400.00"),  # (3,200 + 3,600) / 2
        "subsidies_paid": Decimal("880.00"), "open_difficulties": 2}
    others = data.townships[~data.townships["name"].isin(["旧院镇", "太平镇"])]
    assert set(others["workshops"]) == {0} and set(others["subsidies_paid"]) == {Decimal("0.00")}
    assert all(value is None for value in others["average_wage"])
    assert sum(data.townships["subsidies_paid"], Decimal("0")) == cards(data)["subsidies_paid"][0]


def test_the_township_table_sorts_by_any_column_blanks_last(two_townships, county_officer):
    data = build(county_officer, "2026-Q1", sort="subsidies_paid", descending=True)
    assert list(data.townships["name"][:2]) == ["太平镇", "旧院镇"]
    assert data.chart_column == "subsidies_paid"
    data = build(county_officer, "2026-Q1", sort="average_wage")
    assert list(data.townships["name"][:2]) == ["旧院镇", "太平镇"]  # 3,066.67 then 3,400.00, then the blanks
    assert board.sorted_by(data, "nonsense").sort == "township"


def test_the_monthly_trend(two_townships, county_officer):
    trend = build(county_officer, "2026-Q1").trend
    assert [f"{m:%Y-%m}" for m in trend.index] == [f"{y}-{m:02d}" for y, m in
                                                  [(2025, m) for m in range(4, 13)] + [(2026, 1), (2026, 2), (2026, 3)]]
    december, january, february = (trend.loc[date(2025, 12, 1)], trend.loc[date(2026, 1, 1)],
                                    trend.loc[date(2026, 2, 1)])
    assert (december["people_paid"], december["payroll_total"]) == (2, Decimal("6400.00"))
    assert (february["people_paid"], february["payroll_total"]) == (3, Decimal("9600.00"))
    assert december["paid_social_insurance"] == Decimal("962.34")  # 512.34 + 450.00
    assert december["paid_job_subsidy"] == Decimal("600.00")
    assert january["paid_social_insurance"] == Decimal("1092.34")  # 512.34 + 580.00
    assert january["paid_total"] == Decimal("1692.34")
    assert february["paid_total"] == Decimal("0.00")  # approved, not paid
    placements = build(county_officer, "2025-01..2025-03").trend["placements_made"]
    assert placements[date(2025, 1, 1)] == 3 and placements[date(2025, 3, 1)] == 1
    assert placements.sum() == 4


def test_the_five_colour_industries(two_townships, county_officer, jiuyuan):
    ProductionBaseFactory(township=jiuyuan)  # black chicken
    EastMarketSaleFactory(year=2026, amount=Decimal("1000.50"))  # a tea enterprise from the east
    EastMarketSaleFactory(year=2024, amount=Decimal("99.00"))  # another year
    industries = build(county_officer, "2026-Q1").industries.set_index("industry")
    assert list(industries.index) == ["tea", "herbs", "black_chicken", "fruit_veg", "grain_oil"]
    assert industries.loc["tea", "enterprises"] == 6  # the fixture's four and the two sellers
    assert industries.loc["tea", "workshops"] == 4 and industries.loc["tea", "people_employed"] == 3
    assert industries.loc["tea", "sales"] == Decimal("1000.50")
    assert industries.loc["black_chicken", "bases"] == 1
    assert industries.loc["black_chicken", "colour"] == "#111111"
    assert industries.loc["herbs", "workshops"] == 0


def _queries(user, **kwargs) -> int:
    build(user, "2026-Q1", **kwargs)  # the monthly facts take the new payroll and paid runs (dashboard.facts)
    with CaptureQueriesContext(connection) as captured:
        build(user, "2026-Q1", **kwargs)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_data(two_townships, county_officer, township_officer,
                                                          jiuyuan, taiping):
    before = [_queries(county_officer), _queries(township_officer), _queries(county_officer, township=taiping)]
    for township in (jiuyuan, taiping):
        for _ in range(3):
            workshop = certified_workshop(village=VillageFactory(township=township))
            PostFactory(workshop=workshop, reserved=True)
            DifficultyFactory(workshop=workshop)
            payroll_months(PlacementFactory(workshop=workshop), [date(2026, 1, 1), date(2026, 2, 1)])
    after = [_queries(county_officer), _queries(township_officer), _queries(county_officer, township=taiping)]
    assert after == before
    assert max(after) <= 28  # 25, and issue 16's cards: loans outstanding on two days, workers in the east


def _refresh_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        facts.refresh()
    return len(captured)


def test_the_monthly_facts_follow_every_payroll_write_and_refresh_in_constant_queries(
        two_townships, county_officer, jiuyuan):
    """Bulk writes send no signal: the database's triggers log the months, the next build recomputes them."""
    data = build(county_officer, "2026-02")
    assert cards(data)["average_wage"][0] == Decimal("3200.00")  # (3,200 + 2,800 + 3,600) / 3
    assert facts.refresh() == [] and _refresh_queries() == 1  # nothing changed: one query
    Payroll.objects.filter(month=date(2026, 2, 1), wage_paid=Decimal("2800.00")).update(wage_paid=Decimal("3100.00"))
    assert cards(build(county_officer, "2026-02"))["average_wage"][0] == Decimal("3300.00")
    Payroll.objects.filter(month=date(2026, 2, 1), wage_paid=Decimal("3600.00")).delete()
    assert cards(build(county_officer, "2026-02"))["average_wage"][0] == Decimal("3150.00")
    workshop = certified_workshop(village=VillageFactory(township=jiuyuan))
    payroll_months(PlacementFactory(workshop=workshop), [date(2026, 2, 1), date(2026, 3, 1)],
                   wage_paid=Decimal("4000.00"))
    assert cards(build(county_officer, "2026-02"))["average_wage"][0] == Decimal("3433.33")  # (3,200+3,100+4,000)/3
    counts = []
    for months in ([date(2026, 4, 1)], [date(2026, m, 1) for m in range(4, 13)]):
        payroll_months(PlacementFactory(workshop=workshop), months)
        counts.append(_refresh_queries())
    assert counts[0] == counts[1]  # however many months changed
    assert PayrollChange.objects.count() == 0


def test_a_worker_paid_by_two_workshops_in_a_month_is_one_person_paid(two_townships, county_officer,
                                                                      township_officer, jiuyuan):
    """People paid wages counts people, not payslips (the payroll total still has both wages)."""
    first = certified_workshop(village=VillageFactory(township=jiuyuan))
    second = certified_workshop(village=VillageFactory(township=jiuyuan))
    both = WorkerFactory()
    payroll_months(PlacementFactory(workshop=first, worker=both), [date(2026, 3, 1)], wage_paid=Decimal("1000.00"))
    payroll_months(PlacementFactory(workshop=second, worker=both), [date(2026, 3, 1)], wage_paid=Decimal("500.00"))
    for user in (county_officer, township_officer):
        march = build(user, "2026-Q1").trend.loc[date(2026, 3, 1)]
        assert (march["people_paid"], march["payroll_total"]) == (1, Decimal("1500.00"))
    february = build(township_officer, "2026-Q1").trend.loc[date(2026, 2, 1)]
    assert february["people_paid"] == 2  # 旧院镇's two workers (太平镇's third is not theirs)
    assert build(county_officer, "2026-Q1", township=jiuyuan).trend.loc[date(2026, 2, 1)]["people_paid"] == 2


def test_beat_keeps_the_facts_current_so_a_request_finds_nothing_to_recompute(two_townships, county_officer):
    from django.conf import settings

    from dashboard.tasks import refresh_facts

    assert settings.CELERY_BEAT_SCHEDULE["dashboard-refresh-facts"]["schedule"] == 60
    assert refresh_facts.delay().get() > 0  # the fixture's payroll months and its two paid runs
    assert refresh_facts.delay().get() == 0
    assert _refresh_queries() == 1
    assert cards(build(county_officer, "2026-02"))["average_wage"][0] == Decimal("3200.00")


# --- issue 16: loans outstanding, start-up awards paid, workers in the east ----------------------------

@pytest.fixture
def loans_awards_and_east(two_townships, jiuyuan, taiping):
    """Loan A (旧院) 100,000 lent 2025-10-01, 8,333.33 repaid on 2025-11-01 and on 2026-02-01; loan B (太平)
    50,000 lent 2025-11-15, repaid in full on 2026-01-20. Start-up awards paid: 10,000 (太平) for 2025-11 and
    10,000 (旧院) for 2026-03, neither with a workshop. In the east: e1 (旧院) from 2025-11-01, e2 (太平)
    2026-01-10 to 2026-03-01, e3 (旧院) from 2026-02-01."""
    from accounts.permissions import SYSTEM
    from loans import services as loan_services
    from subsidies.models import Policy, SubsidyLine, SubsidyRun
    from tests.labor.outbound_factories import OutboundPlacementFactory
    from tests.loans.factories import lent_loan

    jy, tp = VillageFactory(township=jiuyuan), VillageFactory(township=taiping)
    a = lent_loan(worker=WorkerFactory(village=jy), amount="100000.00", term_months=12,
                  disbursed_on=date(2025, 10, 1))
    for day in (date(2025, 11, 1), date(2026, 2, 1)):
        loan_services.repayment_record(actor=SYSTEM, loan=a, paid_on=day, principal=Decimal("8333.33"))
    b = lent_loan(worker=WorkerFactory(village=tp), amount="50000.00", term_months=12,
                  disbursed_on=date(2025, 11, 15))
    loan_services.repayment_record(actor=SYSTEM, loan=b, paid_on=date(2026, 1, 20), principal=Decimal("50000.00"))
    policy = Policy.objects.get(code="WY-2026")
    for month, township, village in ((date(2025, 11, 1), taiping, tp), (date(2026, 3, 1), jiuyuan, jy)):
        run = SubsidyRun.objects.create(month=month, policy=policy, status="paid", voucher="WY-T", paid_on=month)
        SubsidyLine.objects.bulk_create([SubsidyLine(run=run, township=township, worker=WorkerFactory(village=village),
                                                     component="startup_award", amount=Decimal("10000.00"),
                                                     reason="返乡创业奖补")])
    OutboundPlacementFactory(worker=WorkerFactory(village=jy), start_date=date(2025, 11, 1))
    OutboundPlacementFactory(worker=WorkerFactory(village=tp), start_date=date(2026, 1, 10),
                             return_date=date(2026, 3, 1), status="returned")
    OutboundPlacementFactory(worker=WorkerFactory(village=jy), start_date=date(2026, 2, 1))


def test_loans_outstanding_start_up_awards_and_workers_in_the_east_by_hand(loans_awards_and_east, county_officer,
                                                                          township_officer, jiuyuan, taiping):
    figures = cards(build(county_officer, "2026-Q1"))
    # On 2026-03-31: loan A, 100,000 − 2 × 8,333.33; on 2025-12-31: A (100,000 − 8,333.33) and B (50,000)
    assert figures["loans_outstanding"] == (Decimal("83333.34"), Decimal("141666.67"), Decimal("-58333.33"))
    assert figures["startup_awards_paid"] == (Decimal("10000.00"), Decimal("10000.00"), Decimal("0.00"))
    assert figures["workers_in_east"] == (2, 1, 1)  # e1 and e3; on 2025-12-31 e1 (e2 was home by 2026-03-31)
    # the paid facts count the awards, which have no workshop, under their township
    assert figures["subsidies_paid"][0] == Decimal("1692.34") + Decimal("10000.00")
    data = build(county_officer, "2026-Q1", township=jiuyuan)
    assert row(data, "旧院镇")["subsidies_paid"] == Decimal("812.34") + Decimal("10000.00")
    mine = cards(data)
    assert mine["loans_outstanding"][:2] == (Decimal("83333.34"), Decimal("91666.67"))
    assert mine["startup_awards_paid"][:2] == (Decimal("10000.00"), Decimal("0.00"))
    assert mine["workers_in_east"][:2] == (2, 1)
    assert cards(build(township_officer, "2026-Q1")) == {**cards(build(county_officer, "2026-Q1", township=jiuyuan))}
    theirs = cards(build(county_officer, "2026-Q1", township=taiping))
    assert theirs["loans_outstanding"][:2] == (Decimal("0.00"), Decimal("50000.00"))
    assert theirs["startup_awards_paid"][:2] == (Decimal("0.00"), Decimal("10000.00"))
    assert theirs["workers_in_east"][:2] == (0, 0)
    links = {card["key"]: card["url"] for card in data.headlines}
    assert links["workers_in_east"] == f"/labor/east/?started_to=2026-03-31&township={jiuyuan.code}"
    assert links["loans_outstanding"] == f"/loans/?township={jiuyuan.code}"


def test_the_new_cards_read_in_chinese_on_the_dashboard(loans_awards_and_east, client, county_officer):
    client.force_login(county_officer)
    body = client.get("/?period=2026-Q1").content.decode()
    assert "创业担保贷款余额" in body and "已发放返乡创业奖补" in body and "赴东部务工人数" in body
