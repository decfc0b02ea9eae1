"""The API contract of issue 5, exactly as written."""

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.choices import Role
from accounts.models import AuditEvent
from subsidies.models import SubsidyLine, SubsidyRun
from tests.factories import PlacementFactory, WorkerFactory, certified_workshop, make_user, payroll_months

from .conftest import months

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_data(jiuyuan, taiping):
    """January 2025: two workers at a Jiuyuan workshop (one also at a Taiping one: duplicate)."""
    from tests.factories import VillageFactory

    home = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan))
    away = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=taiping))
    steady, double = WorkerFactory(), WorkerFactory()
    payroll_months(PlacementFactory(worker=steady, workshop=home), months("2025-01", "2025-01"))
    payroll_months(PlacementFactory(worker=double, workshop=home), months("2025-01", "2025-01"))
    payroll_months(PlacementFactory(worker=double, workshop=away), months("2025-01", "2025-01"))
    return {"home": home, "away": away, "steady": steady, "double": double}


def create_run(client, month="2025-01", **headers):
    return client.post("/api/v1/subsidy-runs/", {"month": month}, format="json", **headers)


def test_post_creates_and_calculates_a_run(api, county_admin, month_data, django_capture_on_commit_callbacks):
    client = api(county_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = create_run(client)
    assert response.status_code == 201
    assert set(response.data) >= {"id", "status"} and response.data["status"] == "queued"
    detail = client.get(f"/api/v1/subsidy-runs/{response.data['id']}/").json()
    assert detail["month"] == "2025-01" and detail["kind"] == "regular" and detail["status"] == "draft"
    # the double worker is one worker-month: 500 + 100 of social insurance (600 at most), one job subsidy
    assert detail["totals"] == {"hiring_award": "0.00", "social_insurance": "1100.00", "job_subsidy": "600.00",
                                "training": "0.00", "loan_interest": "0.00", "startup_award": "0.00",
                                "transport_subsidy": "0.00", "payable": "800.00", "withheld": "900.00"}


def test_a_second_post_for_the_month_returns_the_same_run(api, county_admin, month_data):
    client = api(county_admin)
    first, second = create_run(client), create_run(client)
    assert (first.status_code, second.status_code) == (201, 202)
    assert first.data["id"] == second.data["id"]
    assert SubsidyRun.objects.count() == 1


def test_bad_months_get_field_errors_and_change_nothing(api, county_admin):
    client = api(county_admin)
    for bad in ("2025-13", "January", "", "2999-01"):
        response = create_run(client, bad)
        assert response.status_code == 400, bad
        assert "month" in response.json()["errors"]
    assert create_run(client, "2019-01").status_code == 400  # no policy covers it
    assert not SubsidyRun.objects.exists()


def test_only_county_staff_start_a_calculation(api, township_officer):
    assert create_run(api(township_officer)).status_code == 403


def test_the_idempotency_key_replays_the_first_response(api, county_admin, month_data):
    client = api(county_admin)
    first = create_run(client, HTTP_IDEMPOTENCY_KEY="k-1")
    again = create_run(client, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201) and first.data["id"] == again.data["id"]


def _calculated(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return create_run(client).data["id"]


def test_lines_are_filterable_and_carry_the_contract_fields(api, county_admin, month_data,
                                                            django_capture_on_commit_callbacks):
    client = api(county_admin)
    run_id = _calculated(client, django_capture_on_commit_callbacks)
    body = client.get(f"/api/v1/subsidy-runs/{run_id}/lines/").json()
    assert len(body["results"]) == 6
    line = body["results"][0]
    assert {"id", "workshop", "worker", "component", "amount", "status", "flags", "reason"} <= set(line)
    assert isinstance(line["workshop"], int) and isinstance(line["worker"], int) and isinstance(line["flags"], list)
    home = month_data["home"].pk
    by_workshop = client.get(f"/api/v1/subsidy-runs/{run_id}/lines/", {"workshop": home}).json()["results"]
    assert {x["workshop"] for x in by_workshop} == {home} and len(by_workshop) == 4
    withheld = client.get(f"/api/v1/subsidy-runs/{run_id}/lines/",
                          {"status": "withheld", "component": "job_subsidy"}).json()["results"]
    assert [(x["worker"], x["flags"]) for x in withheld] == [(month_data["double"].pk, ["duplicate_employment"])] * 2
    by_worker = client.get(f"/api/v1/subsidy-runs/{run_id}/lines/", {"worker": month_data["steady"].pk}).json()
    assert {x["amount"] for x in by_worker["results"]} == {"500.00", "300.00"}
    assert client.get(f"/api/v1/subsidy-runs/{run_id}/lines/", {"component": "nope"}).status_code == 400


def test_a_township_officer_sees_only_their_townships_lines_and_totals(api, county_admin, township_officer,
                                                                       month_data,
                                                                       django_capture_on_commit_callbacks):
    run_id = _calculated(api(county_admin), django_capture_on_commit_callbacks)
    client = api(township_officer)
    lines = client.get(f"/api/v1/subsidy-runs/{run_id}/lines/").json()["results"]
    assert {x["workshop"] for x in lines} == {month_data["home"].pk}
    totals = client.get(f"/api/v1/subsidy-runs/{run_id}/").json()["totals"]
    assert totals["social_insurance"] == "1000.00" and totals["withheld"] == "800.00"
    away_line = SubsidyLine.objects.filter(workshop=month_data["away"]).first()
    assert client.get(f"/api/v1/subsidy-lines/{away_line.pk}/").status_code == 404


def test_maker_checker_through_the_api(api, county_admin, month_data, django_capture_on_commit_callbacks):
    checker = make_user("checker", Role.COUNTY_ADMIN)
    maker = api(county_admin)
    run_id = _calculated(maker, django_capture_on_commit_callbacks)
    url = f"/api/v1/subsidy-runs/{run_id}/"
    assert maker.post(url + "approve/").status_code == 409  # not submitted yet
    assert maker.post(url + "submit/").json()["status"] == "submitted"
    refused = maker.post(url + "approve/")
    assert refused.status_code == 409 and refused.json()["detail"]
    assert SubsidyRun.objects.get(pk=run_id).status == "submitted"
    assert api(checker).post(url + "reject/", {"reason": ""}, format="json").status_code == 400
    rejected = api(checker).post(url + "reject/", {"reason": "请核实重复就业"}, format="json").json()
    assert rejected["status"] == "draft" and rejected["rejection_reason"] == "请核实重复就业"
    maker.post(url + "submit/")
    assert api(checker).post(url + "approve/").json()["status"] == "approved"
    assert maker.post(url + "mark-paid/", {"voucher": "", "paid_on": "2025-02-10"},
                      format="json").status_code == 400
    paid = maker.post(url + "mark-paid/", {"voucher": "PZ-2025-001", "paid_on": "2025-02-10"}, format="json").json()
    assert paid["status"] == "paid" and paid["voucher"] == "PZ-2025-001" and paid["paid_on"] == "2025-02-10"
    assert maker.post(url + "mark-paid/", {"voucher": "X", "paid_on": "2025-02-10"},
                      format="json").status_code == 409
    actions = set(AuditEvent.objects.filter(object_id=str(run_id), object_type="subsidies.subsidyrun")
                  .values_list("action", flat=True))
    assert {"subsidy_run.submit", "subsidy_run.reject", "subsidy_run.approve", "subsidy_run.mark_paid"} <= actions


def test_an_officer_may_submit_but_not_approve(api, county_officer, month_data, django_capture_on_commit_callbacks):
    client = api(county_officer)
    run_id = _calculated(client, django_capture_on_commit_callbacks)
    assert client.post(f"/api/v1/subsidy-runs/{run_id}/submit/").status_code == 200
    assert client.post(f"/api/v1/subsidy-runs/{run_id}/approve/").status_code == 403


def test_clearing_a_flagged_line(api, county_admin, township_officer, month_data,
                                 django_capture_on_commit_callbacks):
    client = api(county_admin)
    run_id = _calculated(client, django_capture_on_commit_callbacks)
    line = SubsidyLine.objects.filter(run_id=run_id, status="withheld", workshop=month_data["home"]).first()
    url = f"/api/v1/subsidy-lines/{line.pk}/clear/"
    assert api(township_officer).post(url, {"reason": "ok"}, format="json").status_code == 403
    assert client.post(url, {"reason": " "}, format="json").status_code == 400
    cleared = client.post(url, {"reason": "外地车间为周末兼职，已核实"}, format="json").json()
    assert cleared["status"] == "payable" and cleared["clear_reason"] == "外地车间为周末兼职，已核实"
    totals = client.get(f"/api/v1/subsidy-runs/{run_id}/").json()["totals"]
    assert Decimal(totals["payable"]) == Decimal("800.00") + line.amount
    assert client.post(url, {"reason": "again"}, format="json").status_code == 409


def test_an_approved_run_cannot_be_recalculated_through_the_api(api, county_admin, month_data,
                                                                django_capture_on_commit_callbacks):
    checker = make_user("checker", Role.COUNTY_ADMIN)
    client = api(county_admin)
    run_id = _calculated(client, django_capture_on_commit_callbacks)
    client.post(f"/api/v1/subsidy-runs/{run_id}/submit/")
    api(checker).post(f"/api/v1/subsidy-runs/{run_id}/approve/")
    before = list(SubsidyLine.objects.filter(run_id=run_id).values_list("id", "amount", "status"))
    with django_capture_on_commit_callbacks(execute=True):
        again = create_run(client)
    assert again.status_code == 201 and again.data["id"] != run_id
    adjustment = client.get(f"/api/v1/subsidy-runs/{again.data['id']}/").json()
    assert adjustment["kind"] == "adjustment" and adjustment["totals"]["payable"] == "0.00"
    assert list(SubsidyLine.objects.filter(run_id=run_id).values_list("id", "amount", "status")) == before


def test_the_report_downloads_as_xlsx_with_the_apis_totals(api, county_admin, month_data,
                                                           django_capture_on_commit_callbacks, tmp_path,
                                                           settings):
    settings.MEDIA_ROOT = tmp_path
    client = api(county_admin)
    run_id = _calculated(client, django_capture_on_commit_callbacks)
    response = client.get(f"/api/v1/subsidy-runs/{run_id}/report/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["汇总", "明细", "预警"]
    rows = list(book["明细"].iter_rows(values_only=True))
    assert rows[0][:7] == ("编号", "乡镇", "车间", "工人", "身份证号", "项目", "金额")
    totals = client.get(f"/api/v1/subsidy-runs/{run_id}/").json()["totals"]
    by_component = {}
    for row in rows[1:]:
        by_component[row[5]] = by_component.get(row[5], 0) + Decimal(str(row[6]))
    assert by_component["社保补贴"] == Decimal(totals["social_insurance"])
    assert by_component["岗位补贴"] == Decimal(totals["job_subsidy"])
    assert all("*" in row[4] for row in rows[1:])
    assert len(list(book["预警"].iter_rows(values_only=True))) == 1 + 4


def test_unknown_run_is_404(api, county_admin):
    assert api(county_admin).get("/api/v1/subsidy-runs/999999/").status_code == 404


def test_a_broker_reads_no_run_line_or_report(api, county_admin, township_officer, broker_user, month_data,
                                             settings, tmp_path):
    from .conftest import calculate

    settings.MEDIA_ROOT = tmp_path
    run = calculate("2025-01")
    line = SubsidyLine.objects.filter(run=run, workshop=month_data["home"]).first()
    urls = ["/api/v1/subsidy-runs/", f"/api/v1/subsidy-runs/{run.pk}/", "/api/v1/subsidy-runs/gaps/",
            f"/api/v1/subsidy-runs/{run.pk}/lines/", f"/api/v1/subsidy-runs/{run.pk}/report/",
            "/api/v1/subsidy-lines/", f"/api/v1/subsidy-lines/{line.pk}/"]
    officer, broker = api(township_officer), api(broker_user)
    for url in urls:  # the township officer of the broker's township reads every one of them
        assert officer.get(url).status_code == 200, url
    for url in urls:
        response = broker.get(url)
        assert response.status_code == 403 and response.json()["detail"], url
