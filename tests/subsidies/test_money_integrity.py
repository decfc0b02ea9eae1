"""Money integrity across runs (issue 10), worked as a county really works: months calculated before
the previous one is approved, flagged lines left withheld at approval, payroll corrected afterwards.
Each case runs through the services and again through the API."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.exceptions import Conflict
from accounts.permissions import SYSTEM
from labor.models import Payroll
from subsidies import services
from subsidies.choices import LOCKED_STATUSES, Component, LineStatus, RunKind
from subsidies.models import SubsidyLine
from tests.factories import (
    PlacementFactory,
    WorkerFactory,
    approved_history,
    certified_workshop,
    payroll_months,
)

from .conftest import approve, calculate, lines_of, months

pytestmark = pytest.mark.django_db

D = Decimal
JOB, SI, AWARD = Component.JOB_SUBSIDY, Component.SOCIAL_INSURANCE, Component.HIRING_AWARD


def paid(worker, component=None, month=None) -> Decimal:
    """What approved runs really paid the worker: their payable lines."""
    lines = SubsidyLine.objects.filter(worker=worker, run__status__in=LOCKED_STATUSES, status=LineStatus.PAYABLE)
    if component:
        lines = lines.filter(component=component)
    if month:
        lines = lines.filter(run__month=month)
    return sum((x.amount for x in lines), D("0"))


def paid_months(worker, component) -> int:
    """Months whose net payment of the component over approved runs is above 0."""
    nets = {}
    for line in SubsidyLine.objects.filter(worker=worker, component=component, run__status__in=LOCKED_STATUSES,
                                           status=LineStatus.PAYABLE):
        nets[line.run.month] = nets.get(line.run.month, 0) + line.amount
    return sum(1 for net in nets.values() if net > 0)


class Api:
    """The county's two administrators (maker and checker) working through the REST API."""

    def __init__(self, api, maker, checker, capture):
        self.maker, self.checker, self.capture = api(maker), api(checker), capture

    def calculate(self, month: str) -> dict:
        with self.capture(execute=True):
            response = self.maker.post("/api/v1/subsidy-runs/", {"month": month}, format="json")
        assert response.status_code in (201, 202), response.content
        return self.run(response.data["id"])

    def run(self, run_id) -> dict:
        return self.maker.get(f"/api/v1/subsidy-runs/{run_id}/").json()

    def lines(self, run_id, **filters) -> list[dict]:
        return self.maker.get(f"/api/v1/subsidy-runs/{run_id}/lines/", filters).json()["results"]

    def submit(self, run_id):
        return self.maker.post(f"/api/v1/subsidy-runs/{run_id}/submit/")

    def approve(self, run_id):
        return self.checker.post(f"/api/v1/subsidy-runs/{run_id}/approve/")

    def submit_and_approve(self, run_id) -> dict:
        assert self.submit(run_id).status_code == 200
        response = self.approve(run_id)
        assert response.status_code == 200, response.content
        return response.json()

    def clear(self, line_id, reason="已电话核实"):
        return self.maker.post(f"/api/v1/subsidy-lines/{line_id}/clear/", {"reason": reason}, format="json")


@pytest.fixture
def county(api, county_admin, checker, django_capture_on_commit_callbacks):
    return Api(api, county_admin, checker, django_capture_on_commit_callbacks)


@pytest.fixture
def shops():
    return certified_workshop(on=date(2024, 1, 1), name="A车间"), certified_workshop(on=date(2024, 1, 1),
                                                                                   name="B车间")


# --- 1. adjustments compare with what was paid --------------------------------------------------

def two_workshops_in_march(shops):
    """B placed first (no social insurance), A later (500 yuan): in March both lines are flagged as
    duplicate employment and left withheld at approval."""
    a, b = shops
    worker = WorkerFactory()
    at_b = PlacementFactory(worker=worker, workshop=b, start_date=date(2025, 1, 1))
    at_a = PlacementFactory(worker=worker, workshop=a, start_date=date(2025, 2, 1))
    payroll_months(at_b, months("2025-03", "2025-03"), employer_social_insurance=D("0"))
    payroll_months(at_a, months("2025-03", "2025-03"), employer_social_insurance=D("500"))
    return worker, at_a, at_b


def correct_b(at_b):
    """B's payroll was wrong: the worker did only 10 days there in March."""
    Payroll.objects.filter(placement=at_b).update(days_worked=10)


def test_an_adjustment_pays_a_and_takes_nothing_from_b_that_was_never_paid(shops, county_officer, checker):
    a, b = shops
    worker, at_a, at_b = two_workshops_in_march(shops)
    march = calculate("2025-03")
    assert {(x.workshop_id, x.component, x.amount, x.status) for x in lines_of(march)} == {
        (b.pk, JOB, D("300.00"), LineStatus.WITHHELD), (a.pk, SI, D("500.00"), LineStatus.WITHHELD),
        (a.pk, JOB, D("0.00"), LineStatus.WITHHELD)}
    approve(march, county_officer, checker)  # approved with both lines still withheld: nothing paid
    assert paid(worker) == 0
    correct_b(at_b)
    adjustment = calculate("2025-03")
    assert adjustment.kind == RunKind.ADJUSTMENT
    by_shop = {}
    for line in lines_of(adjustment):
        by_shop[line.workshop_id] = by_shop.get(line.workshop_id, 0) + line.amount
    assert by_shop == {a.pk: D("800.00")}  # B: 0 (never paid, nothing taken back); A: +800, never paid before
    assert all(x.status == LineStatus.PAYABLE and x.flags == [] for x in lines_of(adjustment))
    approve(adjustment, county_officer, checker)
    assert paid(worker) == D("800.00") and paid(worker, month=date(2025, 3, 1)) == D("800.00")


def test_the_a_b_adjustment_through_the_api(shops, county):
    a, b = shops
    worker, at_a, at_b = two_workshops_in_march(shops)
    march = county.calculate("2025-03")
    assert march["totals"]["payable"] == "0.00" and march["totals"]["withheld"] == "800.00"
    county.submit_and_approve(march["id"])
    correct_b(at_b)
    adjustment = county.calculate("2025-03")
    assert adjustment["kind"] == "adjustment" and adjustment["id"] != march["id"]
    assert adjustment["totals"]["payable"] == "800.00" and adjustment["totals"]["withheld"] == "0.00"
    lines = county.lines(adjustment["id"])
    assert {x["workshop"] for x in lines} == {a.pk}
    assert sorted(D(x["amount"]) for x in lines) == [D("300.00"), D("500.00")]
    assert county.lines(adjustment["id"], workshop=b.pk) == []


# --- 2. caps per worker-month --------------------------------------------------------------------

def test_two_workshops_cleared_pay_one_job_subsidy_and_at_most_600(shops, county_officer, checker):
    a, b = shops
    worker = WorkerFactory()
    first = PlacementFactory(worker=worker, workshop=a, start_date=date(2025, 1, 1))
    second = PlacementFactory(worker=worker, workshop=b, start_date=date(2025, 2, 10))
    payroll_months(first, months("2025-03", "2025-03"), employer_social_insurance=D("450"))
    payroll_months(second, months("2025-03", "2025-03"), employer_social_insurance=D("550"))
    march = calculate("2025-03")
    lines = lines_of(march)
    assert all(x.flags == ["duplicate_employment"] for x in lines)
    for line in lines:  # the county phoned both workshops: part-time at each
        services.line_clear(actor=county_officer, line=line, reason="两处均为兼职，已核实")
    approve(march, county_officer, checker)
    assert paid(worker, SI) == D("600.00")  # 450 at A (placed first), the remaining 150 at B
    assert paid(worker, JOB) == D("300.00")
    at_b = {x.component: x for x in lines_of(march, workshop=b)}
    assert at_b[SI].amount == D("150.00") and at_b[JOB].amount == 0
    assert f"{first.pk}" in at_b[JOB].reason and "先" in at_b[JOB].reason  # names the line that took the month
    assert f"{first.pk}" in at_b[SI].reason and "600" in at_b[SI].reason


def test_two_workshops_cleared_through_the_api(shops, county):
    a, b = shops
    worker = WorkerFactory()
    payroll_months(PlacementFactory(worker=worker, workshop=a, start_date=date(2025, 1, 1)),
                   months("2025-03", "2025-03"), employer_social_insurance=D("500"))
    payroll_months(PlacementFactory(worker=worker, workshop=b, start_date=date(2025, 1, 1)),
                   months("2025-03", "2025-03"), employer_social_insurance=D("500"))
    run = county.calculate("2025-03")
    for line in county.lines(run["id"], status="withheld"):
        assert county.clear(line["id"]).status_code == 200
    approved = county.submit_and_approve(run["id"])
    assert approved["totals"]["social_insurance"] == "600.00" and approved["totals"]["job_subsidy"] == "300.00"
    assert approved["totals"]["payable"] == "900.00"
    jobs = county.lines(run["id"], component="job_subsidy")
    assert sorted(x["amount"] for x in jobs) == ["0.00", "300.00"]


def test_two_placements_at_one_workshop_in_a_month_are_one_worker_month(shops, county_officer, checker):
    a, _b = shops
    worker = WorkerFactory()
    left = PlacementFactory(worker=worker, workshop=a, start_date=date(2025, 1, 1), end_date=date(2025, 3, 15),
                            end_reason="合同到期")
    again = PlacementFactory(worker=worker, workshop=a, start_date=date(2025, 3, 16))
    payroll_months(left, months("2025-03", "2025-03"), days_worked=15, employer_social_insurance=D("400"))
    payroll_months(again, months("2025-03", "2025-03"), days_worked=15, employer_social_insurance=D("400"))
    march = calculate("2025-03")
    assert all(x.flags == [] and x.status == LineStatus.PAYABLE for x in lines_of(march))  # not two employers
    assert [(x.placement_id, x.amount) for x in lines_of(march, component=SI)] == [(left.pk, D("400.00")),
                                                                                   (again.pk, D("200.00"))]
    assert [(x.placement_id, x.amount) for x in lines_of(march, component=JOB)] == [(left.pk, D("300.00")),
                                                                                    (again.pk, D("0.00"))]
    approve(march, county_officer, checker)
    assert paid(worker) == D("900.00")


def test_two_placements_at_one_workshop_through_the_api(shops, county):
    a, _b = shops
    worker = WorkerFactory()
    payroll_months(PlacementFactory(worker=worker, workshop=a, start_date=date(2025, 1, 1),
                                    end_date=date(2025, 3, 15)), months("2025-03", "2025-03"), days_worked=15,
                   employer_social_insurance=D("400"))
    payroll_months(PlacementFactory(worker=worker, workshop=a, start_date=date(2025, 3, 16)),
                   months("2025-03", "2025-03"), days_worked=15, employer_social_insurance=D("400"))
    run = county.calculate("2025-03")
    assert run["totals"] == {"hiring_award": "0.00", "social_insurance": "600.00", "job_subsidy": "300.00",
                             "training": "0.00", "loan_interest": "0.00", "startup_award": "0.00",
                             "transport_subsidy": "0.00", "payable": "900.00", "withheld": "0.00"}
    assert all(x["flags"] == [] for x in county.lines(run["id"]))


# --- 3. limits whatever the order ----------------------------------------------------------------

@pytest.fixture
def eleven_months_paid(shops):
    """A worker with 11 job-subsidy months paid in 2024, on payroll in December and January."""
    a, _b = shops
    placement = PlacementFactory(workshop=a, start_date=date(2024, 1, 1))
    approved_history(worker=placement.worker, workshop=a, component=JOB, months=months("2024-01", "2024-11"),
                     amount=D("300"))
    payroll_months(placement, months("2024-12", "2025-01"), employer_social_insurance=D("0"))
    return placement.worker


def test_december_and_january_calculated_before_either_is_approved_pay_12_months(eleven_months_paid,
                                                                                 county_officer, checker):
    worker = eleven_months_paid
    december, january = calculate("2024-12"), calculate("2025-01")
    assert [x.amount for x in lines_of(december)] == [D("300.00")]
    assert [x.amount for x in lines_of(january)] == [D("300.00")]  # both see 11: each would be the 12th
    services.run_submit(actor=county_officer, run=january)
    approve(december, county_officer, checker)
    january.refresh_from_db()
    assert january.is_stale and "2024-12" in january.stale_reason
    with pytest.raises(Conflict) as refused:
        services.run_approve(actor=checker, run=january)
    assert "请先重新计算" in refused.value.message and refused.value.code == "run_stale"
    services.run_reject(actor=checker, run=january, reason="12月已审批，须重新计算")
    with pytest.raises(Conflict):
        services.run_submit(actor=county_officer, run=january)  # still stale as a draft
    january = calculate("2025-01")
    assert not january.is_stale and lines_of(january) == []  # December was the 12th month
    approve(january, county_officer, checker)
    assert paid_months(worker, JOB) == 12 and paid(worker, JOB) == D("3600.00")


def test_the_later_month_approved_first_still_pays_12(eleven_months_paid, county_officer, checker):
    worker = eleven_months_paid
    december, january = calculate("2024-12"), calculate("2025-01")
    approve(january, county_officer, checker)
    december.refresh_from_db()
    assert december.is_stale  # a later month's approval counts too: limits read every other month
    with pytest.raises(Conflict):
        services.run_submit(actor=county_officer, run=december)
    december = calculate("2024-12")
    assert lines_of(december) == []
    approve(december, county_officer, checker)
    assert paid_months(worker, JOB) == 12


def test_december_and_january_through_the_api(eleven_months_paid, county):
    worker = eleven_months_paid
    december, january = county.calculate("2024-12"), county.calculate("2025-01")
    assert county.submit(january["id"]).status_code == 200
    county.submit_and_approve(december["id"])
    stale = county.run(january["id"])
    assert stale["stale"] is True and "2024-12" in stale["stale_reason"]
    refused = county.approve(january["id"])
    assert refused.status_code == 409 and "请先重新计算" in refused.json()["detail"]
    assert county.checker.post(f"/api/v1/subsidy-runs/{january['id']}/reject/", {"reason": "须重新计算"},
                               format="json").status_code == 200
    assert county.submit(january["id"]).status_code == 409
    again = county.calculate("2025-01")
    assert again["id"] == january["id"] and again["stale"] is False and again["line_count"] == 0
    county.submit_and_approve(january["id"])
    assert paid_months(worker, JOB) == 12


def test_an_unrelated_approval_does_not_make_a_run_stale(shops, county_officer, checker):
    a, b = shops
    payroll_months(PlacementFactory(workshop=a), months("2025-03", "2025-03"))
    payroll_months(PlacementFactory(workshop=b), months("2025-04", "2025-04"))
    march, april = calculate("2025-03"), calculate("2025-04")
    approve(march, county_officer, checker)
    april.refresh_from_db()
    assert not april.is_stale  # other workers, another workshop: nothing April reads changed


def test_a_month_with_no_approved_run_is_shown_but_blocks_nothing(eleven_months_paid, county, county_officer,
                                                                  checker):
    calculate("2024-12")  # calculated, never approved
    january = calculate("2025-01")
    approve(january, county_officer, checker)  # not blocked by December
    assert county.maker.get("/api/v1/subsidy-runs/gaps/").json() == {"months": ["2024-12"]}


# --- 4. withheld lines come back ----------------------------------------------------------------

@pytest.fixture
def shared_phone_june(shops):
    """Four workers with one phone number at A since January: in June (their 6th qualifying month)
    every line of theirs is withheld, the hiring award too."""
    a, _b = shops
    workers = []
    for _ in range(4):
        placement = PlacementFactory(worker=WorkerFactory(phone="13900000001"), workshop=a)
        payroll_months(placement, months("2025-01", "2025-06"))
        workers.append(placement.worker)
    return workers


def test_a_line_withheld_at_approval_is_raised_again_cleared_and_paid(shared_phone_june, county_officer, checker):
    worker = shared_phone_june[0]
    june = calculate("2025-06")
    assert june.payable_total == 0 and june.withheld_total == 4 * D("1800.00")
    approve(june, county_officer, checker)  # the county had not finished checking: approved withheld
    held = june.lines.filter(worker=worker).first()
    with pytest.raises(Conflict):
        services.line_clear(actor=county_officer, line=held, reason="核实")  # an approved run never changes
    adjustment = calculate("2025-06")
    raised = lines_of(adjustment, worker=worker)
    assert {x.component for x in raised} == {AWARD, SI, JOB}  # the award is not lost: June is still the 6th
    assert all(x.status == LineStatus.WITHHELD and x.flags == ["shared_phone"] for x in raised)
    assert all("仍被暂扣" in x.reason for x in raised)
    for line in raised:
        services.line_clear(actor=county_officer, line=line, reason="家人共用手机，已上门核实")
    approve(adjustment, county_officer, checker)
    assert paid(worker) == D("1800.00") and paid(worker, AWARD) == D("1000.00")
    assert paid(shared_phone_june[1]) == 0  # not cleared: still withheld, raised again next time
    assert calculate("2025-06").lines.filter(worker=shared_phone_june[1]).count() == 3
    assert calculate("2025-06").lines.filter(worker=worker).count() == 0  # paid: nothing more is due


def test_a_withheld_line_raised_again_through_the_api(shared_phone_june, county):
    worker = shared_phone_june[0]
    june = county.calculate("2025-06")
    county.submit_and_approve(june["id"])
    held = county.lines(june["id"], worker=worker.pk)[0]
    assert county.clear(held["id"]).status_code == 409
    adjustment = county.calculate("2025-06")
    raised = county.lines(adjustment["id"], worker=worker.pk)
    assert len(raised) == 3 and all(x["status"] == "withheld" for x in raised)
    for line in raised:
        assert county.clear(line["id"], "家人共用手机，已上门核实").status_code == 200
    approved = county.submit_and_approve(adjustment["id"])
    assert approved["totals"]["payable"] == "1800.00" and approved["totals"]["withheld"] == "5400.00"
    assert paid(worker) == D("1800.00")


# --- 5. reversals -----------------------------------------------------------------------------

def test_a_reversed_month_no_longer_counts(eleven_months_paid, county_officer, checker):
    worker = eleven_months_paid
    approve(calculate("2024-12"), county_officer, checker)  # the 12th month
    Payroll.objects.filter(placement__worker=worker, month=date(2024, 12, 1)).update(days_worked=9)  # corrected
    reversal = calculate("2024-12")
    assert [x.amount for x in lines_of(reversal)] == [D("-300.00")]
    approve(reversal, county_officer, checker)
    assert paid_months(worker, JOB) == 11
    january = calculate("2025-01")
    assert [x.amount for x in lines_of(january)] == [D("300.00")]
    assert "12" in lines_of(january)[0].reason  # the 12th month, paid in January now


def test_a_reversed_month_through_the_api(eleven_months_paid, county):
    worker = eleven_months_paid
    county.submit_and_approve(county.calculate("2024-12")["id"])
    Payroll.objects.filter(placement__worker=worker, month=date(2024, 12, 1)).update(days_worked=9)
    reversal = county.calculate("2024-12")
    assert reversal["totals"]["job_subsidy"] == "-300.00"
    county.submit_and_approve(reversal["id"])
    january = county.calculate("2025-01")
    assert january["totals"]["job_subsidy"] == "300.00"


# --- 6. headcount jump --------------------------------------------------------------------------

def headcount(workshop, first_month_workers=12, newcomers=10):
    """12 workers from the workshop's first payroll month (January), 10 more from February."""
    steady = [PlacementFactory(workshop=workshop) for _ in range(first_month_workers)]
    for p in steady:
        payroll_months(p, months("2025-01", "2025-02"))
    new = [PlacementFactory(workshop=workshop, start_date=date(2025, 2, 1)) for _ in range(newcomers)]
    for p in new:
        payroll_months(p, months("2025-02", "2025-02"))
    return {p.worker_id for p in new}


def test_a_first_payroll_month_is_no_jump_and_a_real_jump_the_next_month_is(shops):
    a, _b = shops
    newcomers = headcount(a)
    february = calculate("2025-02")  # calculated first: the county works out of order
    january = calculate("2025-01")
    assert january.withheld_total == 0 and not any(x.flags for x in lines_of(january))  # 0 → 12 is no jump
    jumped = {x.worker_id for x in lines_of(february) if "headcount_jump" in x.flags}
    assert jumped == newcomers  # 12 → 22: more than 50 % and at least 10 more


def test_a_workshop_back_after_a_pause_is_compared_with_its_last_payroll_month(shops):
    a, _b = shops
    for p in [PlacementFactory(workshop=a) for _ in range(12)]:
        payroll_months(p, [date(2025, 1, 1), date(2025, 4, 1)])  # nothing in February and March
    assert calculate("2025-04").withheld_total == 0  # 12 in January, 12 in April


def test_headcount_jump_through_the_api(shops, county):
    a, _b = shops
    newcomers = headcount(a)
    january = county.calculate("2025-01")
    assert january["totals"]["withheld"] == "0.00"
    february = county.calculate("2025-02")
    flagged = county.lines(february["id"], status="withheld")
    assert {x["worker"] for x in flagged} == newcomers and all(x["flags"] == ["headcount_jump"] for x in flagged)


# --- 7. caps after flags ------------------------------------------------------------------------

def test_the_yearly_cap_goes_to_payable_awards_before_withheld_ones(shops, county_officer, checker):
    from subsidies.models import Rule

    a, _b = shops
    Rule.objects.filter(component=AWARD).update(yearly_workshop_cap=D("2000.00"))
    flagged = [PlacementFactory(worker=WorkerFactory(phone="13700000000"), workshop=a,
                                start_date=date(2024, 12, 1)) for _ in range(4)]  # placed first, but flagged
    clean = [PlacementFactory(workshop=a, start_date=date(2025, 1, 1)) for _ in range(2)]
    for p in flagged + clean:
        payroll_months(p, months("2025-01", "2025-06"), employer_social_insurance=D("0"))
    june = calculate("2025-06")
    awards = {x.worker_id: (x.amount, x.status) for x in lines_of(june, component=AWARD)}
    assert all(awards[p.worker_id] == (D("1000.00"), LineStatus.PAYABLE) for p in clean)
    assert all(awards[p.worker_id][0] == 0 for p in flagged)  # the cap's room went to the payable ones
    approve(june, county_officer, checker)
    assert sum(paid(p.worker, AWARD) for p in clean) == D("2000.00")


# --- 8. the Excel report reads back exact -------------------------------------------------------

CENT = D("0.01")


@pytest.fixture
def odd_amounts(shops, county_officer, checker):
    """A month whose amounts do not add up in binary floating point (SQLite sums that way): 67 workers
    with 486.40, 512.35 and 333.33 of employer's social insurance; approved and paid."""
    a, b = shops
    for n, insurance in enumerate([D("486.40"), D("512.35"), D("333.33")] * 22 + [D("0.10")]):
        payroll_months(PlacementFactory(workshop=a if n % 2 else b), months("2025-03", "2025-03"),
                       employer_social_insurance=insurance)
    run = approve(calculate("2025-03"), county_officer, checker)
    return services.run_mark_paid(actor=checker, run=run, voucher="WY-202503-001", paid_on=date(2025, 4, 10))


def exact(value) -> Decimal:
    """A cell read back by openpyxl, as the exact number it holds (no rounding here on purpose)."""
    assert isinstance(value, int | float), value
    return D(repr(value))


def assert_report_exact(book, run, user):
    from subsidies import selectors

    summary = book["汇总"]
    rows = list(summary.iter_rows(values_only=True))
    title = {row[0]: row[1] for row in rows[1:8]}
    assert "2025-03" in rows[0][0]
    assert title["月份"] == "2025-03" and title["类型"] == "常规" and title["批次状态"] == "已发放"
    assert title["政策"].startswith("WY-2026") and title["支付凭证"] == "WY-202503-001 · 2025-04-10"
    assert title["提交人"].startswith(run.submitted_by.username) and title["审批人"].startswith("county-checker")
    header = next(i for i, row in enumerate(rows) if row[0] == "乡镇")
    body = rows[header + 1:]
    by_workshop = [r for r in body if r[0] not in ("合计", "总计")]
    expected = {(row["workshop__name"], row["component"]): row for row in selectors.totals_by_workshop(run=run,
                                                                                                       user=user)}
    assert len(by_workshop) == len(expected)
    for row in by_workshop:
        for cell in row[4:7]:
            assert exact(cell) == exact(cell).quantize(CENT)  # never 91929.5999999998
    lines = {x.pk: x.amount for x in run.lines.all()}
    details = list(book["明细"].iter_rows(values_only=True))[1:]
    assert len(details) == len(lines)
    assert all(exact(row[6]) == lines[row[0]] for row in details)
    grand = body[-1]
    assert grand[0] == "总计" and exact(grand[4]) == run.payable_total and exact(grand[6]) == (
        run.payable_total + run.withheld_total)
    assert sum(exact(r[4]) for r in body if r[0] == "合计") == run.payable_total
    insurance = next(r for r in body if r[0] == "合计" and r[2] == "社保补贴")
    assert exact(insurance[4]) == run.social_insurance_total
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.paperSize == 9  # A4
    assert summary.print_title_rows.replace("$", "") == f"{header + 1}:{header + 1}"  # the header on every page
    assert summary.sheet_properties.pageSetUpPr.fitToPage and summary.page_setup.fitToWidth == 1
    assert summary.freeze_panes == f"A{header + 2}"


def test_the_excel_report_reads_back_exact(odd_amounts, checker, tmp_path, settings):
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    run = odd_amounts
    assert run.social_insurance_total == 22 * (D("486.40") + D("512.35") + D("333.33")) + D("0.10")
    requested = services.report_request(actor=checker, run=run, enqueue=False)
    report = services.report_build(actor=SYSTEM, report_id=requested.pk)
    assert report.status == "done", report.error
    with report.file.open("rb") as stream:
        assert_report_exact(load_workbook(stream), run, checker)


def test_the_excel_report_through_the_api_reads_back_exact(odd_amounts, county, checker, tmp_path, settings):
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    response = county.checker.get(f"/api/v1/subsidy-runs/{odd_amounts.pk}/report/")
    assert response.status_code == 200
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    assert_report_exact(load_workbook(path), odd_amounts, checker)


def test_the_pages_show_a_stale_run_and_the_months_left_behind(eleven_months_paid, client, county_officer,
                                                               checker):

    december, january = calculate("2024-12"), calculate("2025-01")
    approve(january, county_officer, checker)
    client.force_login(county_officer)
    page = client.get(f"/subsidies/runs/{december.pk}/").content.decode()
    assert 'id="run-stale"' in page and "请先重新计算" in page and "2025-01" in page
    assert 'id="action-submit"' not in page and 'id="action-recalculate"' in page
    listing = client.get("/subsidies/runs/").content.decode()
    assert 'data-gap="2024-12"' in listing and 'data-gap="2025-01"' not in listing


def test_a_withheld_award_paid_later_gets_the_room_its_year_still_has(shops, county_officer, checker):
    from subsidies.models import Rule

    a, _b = shops
    Rule.objects.filter(component=AWARD).update(yearly_workshop_cap=D("3000.00"))
    clean = PlacementFactory(workshop=a, start_date=date(2025, 1, 1))
    held = PlacementFactory(worker=WorkerFactory(phone="13600000000"), workshop=a, start_date=date(2025, 1, 1))
    for _ in range(3):  # the same phone on 4 workers: `held` is flagged; the other three never qualify
        WorkerFactory(phone="13600000000")
    july = PlacementFactory(workshop=a, start_date=date(2025, 2, 1))
    august = PlacementFactory(workshop=a, start_date=date(2025, 3, 1))
    for p in (clean, held):
        payroll_months(p, months("2025-01", "2025-08"), employer_social_insurance=D("0"))
    payroll_months(july, months("2025-02", "2025-08"), employer_social_insurance=D("0"))
    payroll_months(august, months("2025-03", "2025-08"), employer_social_insurance=D("0"))
    june = calculate("2025-06")
    assert {x.worker_id: x.status for x in lines_of(june, component=AWARD)} == {
        clean.worker_id: LineStatus.PAYABLE, held.worker_id: LineStatus.WITHHELD}
    approve(june, county_officer, checker)  # 1,000 paid; the withheld 1,000 not
    approve(calculate("2025-07"), county_officer, checker)  # 1,000 more: room left 1,000
    adjustment = calculate("2025-06")
    raised = lines_of(adjustment, component=AWARD)
    assert [(x.worker_id, x.amount, x.status) for x in raised] == [(held.worker_id, D("1000.00"),
                                                                    LineStatus.WITHHELD)]
    services.line_clear(actor=county_officer, line=raised[0], reason="已核实")
    approve(adjustment, county_officer, checker)
    august_run = calculate("2025-08")
    assert [x.amount for x in lines_of(august_run, component=AWARD)] == [D("0.00")]  # the year's 3,000 are used
    assert "3000" in lines_of(august_run, component=AWARD)[0].reason
    assert sum(paid(p.worker, AWARD) for p in (clean, held, july, august)) == D("3000.00")
