"""The three components of issue 16, worked by hand on small data of their own: the loan interest subsidy
(贷款贴息), the returnee start-up award (返乡创业奖补) and the cross-province transport subsidy (跨省交通补贴).
Each: its amount to the fen, its conditions, once only, its flags, the run's totals, the Excel report, the
payment sheets and the public notice; and all of it when months are calculated out of order the way a county
works (a month approved first, an earlier one calculated late, a flag cleared late, a reversal)."""

import io
import tempfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.permissions import SYSTEM
from labor.resident_id import mask
from loans import services as loan_services
from subsidies import services
from subsidies.choices import Component, LineStatus, RunKind, RunStatus
from subsidies.models import Policy, SubsidyLine
from subsidies.notices import notice_rows, payment_sheets
from subsidies.services.reports import write_report
from tests.exports import exported
from tests.factories import (
    EnterpriseFactory,
    PlacementFactory,
    ReturneeFactory,
    VillageFactory,
    WorkerFactory,
    certified_workshop,
    payroll_months,
)
from tests.labor.outbound_factories import OutboundPlacementFactory
from tests.loans.factories import lent_loan

from .conftest import approve, calculate, months

pytestmark = pytest.mark.django_db
D = Decimal
ZERO = D("0.00")


def lines(run, component):
    return list(SubsidyLine.objects.filter(run=run, component=component).order_by("id"))


def paid_over_approved_runs(component, **key) -> Decimal:
    return sum((line.amount for line in SubsidyLine.objects.filter(
        run__status__in=(RunStatus.APPROVED, RunStatus.PAID), status=LineStatus.PAYABLE, component=component,
        **key)), ZERO)


# --- data -------------------------------------------------------------------------------------

@pytest.fixture
def village(jiuyuan):
    return VillageFactory(township=jiuyuan)


def startup(village, *, founded_on=date(2025, 1, 10), others=1, returnee_on_payroll=False,
            payroll=("2025-05", "2025-09")):
    """A returnee's enterprise running one certified workshop, with `others` other workers on its payroll."""
    firm = EnterpriseFactory(name="返乡创业茶叶经营部", founded_on=founded_on, township=village.township)
    workshop = certified_workshop(on=date(2024, 1, 1), enterprise=firm, village=village, name="返乡创业茶叶车间")
    returnee = ReturneeFactory(worker__village=village, worker__name="返乡张三", enterprise=firm)
    for _ in range(others):
        payroll_months(PlacementFactory(workshop=workshop, worker=WorkerFactory(village=village)),
                       months(*payroll))
    if returnee_on_payroll:
        payroll_months(PlacementFactory(workshop=workshop, worker=returnee.worker), months(*payroll))
    return returnee


def east_worker(village, *, start=date(2025, 1, 15), category="poverty_alleviated", return_date=None, **worker):
    worker = WorkerFactory(village=village, category=category, name="赴浙李四", **worker)
    return OutboundPlacementFactory(worker=worker, start_date=start, return_date=return_date,
                                    status="returned" if return_date else "working")


# --- the returnee start-up award ----------------------------------------------------------------

def test_the_award_is_paid_once_in_the_month_the_enterprise_has_run_six_months_with_another_worker(
        village, county_officer, checker):
    returnee = startup(village)  # founded 10 January: six months on 10 July
    june = calculate("2025-06")
    assert lines(june, Component.STARTUP_AWARD) == []  # 5 months by 30 June: no award
    july = calculate("2025-07")
    (award,) = lines(july, Component.STARTUP_AWARD)
    assert (award.worker_id, award.enterprise_id, award.workshop_id, award.township_id) == (
        returnee.worker_id, returnee.enterprise_id, None, village.township_id)
    assert award.amount == D("10000.00") and award.status == LineStatus.PAYABLE
    assert award.basis == {"founded_on": "2025-01-10", "months_operated": 6, "months_required": 6,
                           "other_workers_on_payroll": 1, "other_workers_required": 1}
    assert "2025-01-10" in award.reason and "10000" in award.reason
    assert july.startup_award_total == D("10000.00")
    tiers = july.hiring_award_total + july.social_insurance_total + july.job_subsidy_total + july.training_total
    assert july.payable_total == tiers + D("10000.00")
    approve(july, county_officer, checker)
    assert lines(calculate("2025-08"), Component.STARTUP_AWARD) == []  # once per returnee
    again = calculate("2025-07")  # July recalculated after approval: an adjustment, nothing to add
    assert again.kind == RunKind.ADJUSTMENT and lines(again, Component.STARTUP_AWARD) == []


def test_no_award_when_only_the_returnee_is_on_the_payroll(village):
    startup(village, others=0, returnee_on_payroll=True)
    assert lines(calculate("2025-08"), Component.STARTUP_AWARD) == []


def test_a_policy_asking_for_two_other_workers_pays_none_to_a_firm_with_one(village):
    startup(village, others=1)
    Policy.objects.filter(code="WY-2026").update(startup_min_other_workers=2)
    assert lines(calculate("2025-08"), Component.STARTUP_AWARD) == []


def test_an_award_approved_in_a_later_month_is_not_paid_again_when_an_earlier_month_is_calculated_late(
        village, county_officer, checker):
    returnee = startup(village)
    approve(calculate("2025-08"), county_officer, checker)  # the county calculated August first
    assert paid_over_approved_runs(Component.STARTUP_AWARD) == D("10000.00")
    assert lines(calculate("2025-07"), Component.STARTUP_AWARD) == []  # July late: already paid in August
    # The founding date was mistyped: it is 1 March, so by 31 August the firm had run 5 months. August's
    # adjustment takes the award back; approved, it frees it, and September (6 months on 1 September) pays it.
    returnee.enterprise.founded_on = date(2025, 3, 1)
    returnee.enterprise.save()
    august = calculate("2025-08")
    (back,) = lines(august, Component.STARTUP_AWARD)
    assert back.amount == D("-10000.00") and august.startup_award_total == D("-10000.00")
    approve(august, county_officer, checker)
    assert paid_over_approved_runs(Component.STARTUP_AWARD) == ZERO
    (september,) = lines(approve(calculate("2025-09"), county_officer, checker), Component.STARTUP_AWARD)
    assert september.amount == D("10000.00")
    assert paid_over_approved_runs(Component.STARTUP_AWARD, worker=returnee.worker) == D("10000.00")


def test_two_drafts_holding_the_award_cannot_both_be_approved(village, county_officer, checker):
    startup(village)
    july, august = calculate("2025-07"), calculate("2025-08")
    assert len(lines(july, Component.STARTUP_AWARD)) == len(lines(august, Component.STARTUP_AWARD)) == 1
    approve(july, county_officer, checker)
    august.refresh_from_db()
    assert august.is_stale  # refused until recalculated, which then no longer holds the award
    assert lines(calculate("2025-08"), Component.STARTUP_AWARD) == []


def test_a_shared_phone_withholds_the_award_until_cleared_late_in_the_months_adjustment(
        village, county_officer, checker, county_admin):
    returnee = startup(village)
    for _ in range(3):  # four workers on one phone number
        WorkerFactory(village=village, phone=returnee.worker.phone)
    july = calculate("2025-07")
    (award,) = lines(july, Component.STARTUP_AWARD)
    assert award.status == LineStatus.WITHHELD and award.flags == ["shared_phone"]
    assert july.withheld_total >= D("10000.00")
    approve(july, county_officer, checker)  # approved with the award still withheld: not paid
    assert paid_over_approved_runs(Component.STARTUP_AWARD) == ZERO
    assert lines(calculate("2025-08"), Component.STARTUP_AWARD)[0].status == LineStatus.WITHHELD  # still owed
    adjustment = calculate("2025-07")  # the county checks it by phone and clears it in July's adjustment
    (raised,) = lines(adjustment, Component.STARTUP_AWARD)
    assert raised.amount == D("10000.00") and raised.status == LineStatus.WITHHELD
    services.line_clear(actor=county_admin, line=raised, reason="电话核实：确为本人")
    approve(adjustment, county_officer, checker)
    assert paid_over_approved_runs(Component.STARTUP_AWARD) == D("10000.00")
    assert lines(calculate("2025-08"), Component.STARTUP_AWARD) == []  # August's draft, recalculated: paid


# --- the cross-province transport subsidy ---------------------------------------------------------

def test_the_transport_subsidy_is_paid_once_in_the_month_of_the_three_month_mark(village, county_officer, checker):
    placement = east_worker(village)  # 15 January + 3 months = 15 April
    assert lines(calculate("2025-03"), Component.TRANSPORT_SUBSIDY) == []
    april = calculate("2025-04")
    (line,) = lines(april, Component.TRANSPORT_SUBSIDY)
    assert (line.outbound_id, line.worker_id, line.workshop_id, line.township_id, line.amount) == (
        placement.pk, placement.worker_id, None, village.township_id, D("500.00"))
    assert line.basis == {"completed_on": "2025-04-15", "months_required": 3}
    assert april.transport_subsidy_total == D("500.00") and april.payable_total == D("500.00")
    approve(april, county_officer, checker)
    assert lines(calculate("2025-05"), Component.TRANSPORT_SUBSIDY) == []
    assert lines(calculate("2025-04"), Component.TRANSPORT_SUBSIDY) == []  # April's adjustment: nothing new


def test_no_transport_subsidy_for_a_worker_not_assisted_or_home_before_three_months(village):
    east_worker(village, category="general")
    east_worker(village, return_date=date(2025, 3, 20))  # two months in the east
    assert lines(calculate("2025-04"), Component.TRANSPORT_SUBSIDY) == []


def test_a_later_month_approved_first_leaves_the_transport_subsidy_to_its_own_month(
        village, county_officer, checker):
    east_worker(village)
    approve(calculate("2025-05"), county_officer, checker)
    approve(calculate("2025-03"), county_officer, checker)
    (line,) = lines(approve(calculate("2025-04"), county_officer, checker), Component.TRANSPORT_SUBSIDY)
    assert line.amount == D("500.00")
    assert paid_over_approved_runs(Component.TRANSPORT_SUBSIDY) == D("500.00")


def test_a_policy_of_four_months_moves_the_subsidy_and_still_pays_it_once(village, county_officer, checker):
    placement = east_worker(village)
    approve(calculate("2025-04"), county_officer, checker)  # paid under three months
    Policy.objects.filter(code="WY-2026").update(transport_months=4)
    assert lines(calculate("2025-05"), Component.TRANSPORT_SUBSIDY) == []  # the four-month mark, but paid already
    assert paid_over_approved_runs(Component.TRANSPORT_SUBSIDY, outbound=placement) == D("500.00")


def test_a_shared_phone_withholds_the_transport_subsidy(village):
    placement = east_worker(village)
    for _ in range(3):
        WorkerFactory(village=village, phone=placement.worker.phone)
    (line,) = lines(calculate("2025-04"), Component.TRANSPORT_SUBSIDY)
    assert line.status == LineStatus.WITHHELD and line.flags == ["shared_phone"]


# --- the loan interest subsidy --------------------------------------------------------------------

def test_the_loan_interest_line_is_the_months_subsidy_and_an_overdue_month_gets_none(
        village, county_officer, checker):
    loan = lent_loan(worker=WorkerFactory(village=village), amount="100000.00", annual_rate="3.450",
                     subsidy_share="100.00", disbursed_on=date(2025, 2, 1))
    march = calculate("2025-03")
    (line,) = lines(march, Component.LOAN_INTEREST)
    # 100,000 × 3.45 % ÷ 12 × 100 % × 31/31 = 287.50
    assert (line.loan_id, line.worker_id, line.workshop_id, line.township_id, line.amount) == (
        loan.pk, loan.worker_id, None, village.township_id, D("287.50"))
    assert march.loan_interest_total == D("287.50") and march.payable_total == D("287.50")
    approve(march, county_officer, checker)
    # The first instalment (due 1 March) is unpaid at the end of April, more than 30 days on: overdue.
    april = approve(calculate("2025-04"), county_officer, checker)
    (overdue,) = lines(april, Component.LOAN_INTEREST)
    assert overdue.amount == ZERO and overdue.basis["overdue"] is True
    # The repayment of 20 April (two instalments) is recorded late: April was not in arrears after all.
    # April's adjustment pays the difference only: 287.50 (the principal at April's start is still 100,000).
    loan_services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 4, 20), principal=D("16666.67"))
    adjustment = calculate("2025-04")
    (difference,) = lines(adjustment, Component.LOAN_INTEREST)
    assert adjustment.kind == RunKind.ADJUSTMENT and difference.amount == D("287.50")
    approve(adjustment, county_officer, checker)
    assert paid_over_approved_runs(Component.LOAN_INTEREST, loan=loan) == D("575.00")
    # May: 83,333.33 × 3.45 % ÷ 12 = 239.5833… → 239.58
    assert lines(calculate("2025-05"), Component.LOAN_INTEREST)[0].amount == D("239.58")
    assert lines(calculate("2025-03"), Component.LOAN_INTEREST) == []  # March again: nothing to add


def test_a_firms_loan_has_no_person_and_is_never_flagged(jiuyuan):
    firm = EnterpriseFactory(township=jiuyuan, name="九源茶业有限公司")
    loan = lent_loan(enterprise=firm, amount="1000000.00", annual_rate="3.000", subsidy_share="50.00",
                     disbursed_on=date(2025, 3, 16))
    (line,) = lines(calculate("2025-03"), Component.LOAN_INTEREST)
    # 1,000,000 × 3 % ÷ 12 × 50 % × 16/31 = 645.1612… → 645.16
    assert (line.worker_id, line.enterprise_id, line.loan_id, line.amount, line.flags) == (
        None, firm.pk, loan.pk, D("645.16"), [])


# --- the papers: report, payment sheets, notice -----------------------------------------------------

@pytest.fixture
def mixed_run(village, jiuyuan, county_officer, checker):
    """September 2025 in one township: a workshop's tier lines, an award, a transport subsidy, a person's
    and a firm's loan interest."""
    startup(village, founded_on=date(2025, 3, 1))  # 6 months on 1 September
    east_worker(village, start=date(2025, 6, 10))  # 3 months on 10 September
    lent_loan(worker=WorkerFactory(village=village, name="贷款王五"), amount="100000.00", annual_rate="3.450",
              subsidy_share="100.00", disbursed_on=date(2025, 9, 1), applied_on=date(2025, 8, 1))
    lent_loan(enterprise=EnterpriseFactory(township=jiuyuan, name="九源茶业有限公司"), amount="1000000.00",
              annual_rate="3.000", subsidy_share="50.00", disbursed_on=date(2025, 9, 1), applied_on=date(2025, 8, 1))
    return approve(calculate("2025-09"), county_officer, checker)


def test_the_run_totals_hold_each_new_component_beside_the_four_tiers(mixed_run):
    run = mixed_run
    # 287.50 (30/30 days) + 1,000,000 × 3 % ÷ 12 × 50 % = 1,250.00
    assert run.loan_interest_total == D("1537.50")
    assert run.startup_award_total == D("10000.00") and run.transport_subsidy_total == D("500.00")
    tiers = run.hiring_award_total + run.social_insurance_total + run.job_subsidy_total + run.training_total
    assert tiers > 0
    assert run.payable_total + run.withheld_total == tiers + D("12037.50")
    assert run.payable_total == sum((line.amount for line in run.lines.filter(status=LineStatus.PAYABLE)), ZERO)


def test_the_report_has_the_new_components_as_rows_and_the_grand_total(mixed_run, county_admin):
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
        write_report(target.name, mixed_run, county_admin)
        book = load_workbook(target.name)
    summary, details = book.worksheets[0], book.worksheets[1]
    rows = list(summary.iter_rows(values_only=True))
    totals = {row[2]: D(str(row[6])) for row in rows if row[0] == "合计" and row[2]}
    assert totals["贷款贴息"] == D("1537.50")
    assert totals["返乡创业奖补"] == D("10000.00")
    assert totals["跨省交通补贴"] == D("500.00")
    (grand,) = [row for row in rows if row[0] == "总计"]
    assert D(str(grand[4])) == mixed_run.payable_total
    detail = list(details.iter_rows(min_row=2, values_only=True))
    firm_line = next(row for row in detail if row[3] == "九源茶业有限公司")
    assert firm_line[2] == "直接发放（无车间）" and firm_line[5] == "贷款贴息" and D(str(firm_line[6])) == D("1250.00")


def test_the_payment_sheets_put_lines_without_a_workshop_on_one_sheet_and_add_up_to_the_run(
        client, county_admin, mixed_run, jiuyuan):
    sheets = payment_sheets(run=mixed_run, user=county_admin, township=jiuyuan)
    direct = sheets[-1]
    assert direct.workshop_id is None and direct.workshop == "直接发放（无车间）"
    assert {w.name: w.total for w in direct.workers} == {
        "返乡张三": D("10000.00"), "赴浙李四": D("500.00"), "贷款王五": D("287.50"), "九源茶业有限公司": D("1250.00")}
    assert sum((s.total for s in sheets), ZERO) == mixed_run.payable_total
    client.force_login(county_admin)
    book = load_workbook(io.BytesIO(exported(
        client, f"/subsidies/runs/{mixed_run.pk}/sheets/{jiuyuan.code}/?format=xlsx").content))
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    header, total_row = summary[0], summary[-1]
    assert list(header[3:-1]) == ["吸纳就业奖补", "社保补贴", "岗位补贴", "培训补贴", "贷款贴息", "返乡创业奖补",
                                  "跨省交通补贴"]
    assert D(str(total_row[-1])) == mixed_run.payable_total  # the township is the whole run here
    for index, field in enumerate(("loan_interest_total", "startup_award_total", "transport_subsidy_total")):
        assert D(str(total_row[7 + index])) == getattr(mixed_run, field)
    last = list(book.worksheets[-1].iter_rows(values_only=True))
    assert D(str(last[-1][-3])) == D("12037.50")  # the direct sheet's total


def test_the_notice_lists_the_new_lines_of_the_township_masked(client, county_admin, mixed_run, jiuyuan):
    rows = notice_rows(run=mixed_run, user=county_admin, township=jiuyuan)
    direct = [(r.workshop, r.name, r.component, r.amount) for r in rows if r.workshop == ""]
    assert sorted(direct) == sorted([("", "返乡张三", "返乡创业奖补", D("10000.00")),
                                     ("", "赴浙李四", "跨省交通补贴", D("500.00")),
                                     ("", "贷款王五", "贷款贴息", D("287.50")),
                                     ("", "九源茶业有限公司", "贷款贴息", D("1250.00"))])
    client.force_login(county_admin)
    body = client.get(f"/subsidies/runs/{mixed_run.pk}/notices/{jiuyuan.code}/").content.decode()
    for line in SubsidyLine.objects.filter(run=mixed_run, workshop__isnull=True, worker__isnull=False):
        assert mask(line.worker.id_number) in body and line.worker.id_number not in body
    assert "九源茶业有限公司" in body


def test_the_run_api_and_page_show_the_new_totals(mixed_run, county_admin, client, api):
    data = api(county_admin).get(f"/api/v1/subsidy-runs/{mixed_run.pk}/").json()
    assert (data["totals"]["loan_interest"], data["totals"]["startup_award"], data["totals"]["transport_subsidy"]) == (
        "1537.50", "10000.00", "500.00")
    client.force_login(county_admin)
    body = client.get(f"/subsidies/runs/{mixed_run.pk}/").content.decode()
    assert "贷款贴息" in body and "返乡创业奖补" in body and "跨省交通补贴" in body


# --- the policy pages ----------------------------------------------------------------------------

def test_the_policy_page_shows_the_new_components_and_an_admin_edits_them_audited(client, county_admin):
    from accounts.models import AuditEvent

    from .test_policies import form_data

    policy = Policy.objects.get(code="WY-2026")
    assert (policy.startup_award_amount, policy.startup_months_operated, policy.startup_min_other_workers,
            policy.transport_amount, policy.transport_months, policy.pays_loan_interest) == (
        D("10000.00"), 6, 1, D("500.00"), 3, True)
    client.force_login(county_admin)
    body = client.get(f"/subsidies/policies/{policy.pk}/").content.decode()
    assert ("返乡创业奖补：返乡人员创办的企业经营满 6 个月且当月工资表上有不少于 1 名其他务工人员的，"
            "一次性发放 10,000 元") in body
    assert "跨省交通补贴：脱贫人口和监测对象赴东部务工满 3 个月的，一次性发放 500 元" in body
    assert "贷款贴息按月发放，金额为当月利息乘以每笔贷款登记的贴息比例（按贷款政策）" in body
    form = client.get(f"/subsidies/policies/{policy.pk}/edit/").content.decode()
    assert 'name="startup_award_amount"' in form and 'name="transport_months"' in form
    response = client.post(f"/subsidies/policies/{policy.pk}/edit/", form_data(
        {"code": "WY-2026", "effective_from": "2024-01-01", "startup_award_amount": "8000.00",
         "startup_months_operated": "6", "startup_min_other_workers": "2", "transport_amount": "500.00",
         "transport_months": "3", "pays_loan_interest": "True"}))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.startup_award_amount, policy.startup_min_other_workers) == (D("8000.00"), 2)
    event = AuditEvent.objects.filter(action="subsidy_policy.update").latest("id")
    assert event.changes["startup_award_amount"] == ["10000.00", "8000.00"]
    assert event.changes["startup_min_other_workers"] == [1, 2]
