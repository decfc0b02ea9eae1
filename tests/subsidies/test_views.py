"""The pages, as an official uses them (Django's test client)."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from accounts.choices import Role
from subsidies import services
from tests.factories import (
    PlacementFactory,
    VillageFactory,
    WorkerFactory,
    certified_workshop,
    make_user,
    payroll_months,
)

from .conftest import approve, calculate, months

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(jiuyuan, taiping):
    home = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源茶叶车间")
    away = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=taiping), name="太平黑鸡车间")
    double = WorkerFactory(name="=HYPERLINK(1)")
    payroll_months(PlacementFactory(workshop=home), months("2025-01", "2025-01"))
    payroll_months(PlacementFactory(worker=double, workshop=home), months("2025-01", "2025-01"))
    payroll_months(PlacementFactory(worker=double, workshop=away), months("2025-01", "2025-01"))
    return {"home": home, "away": away, "run": calculate("2025-01")}


def login(client, user):
    client.force_login(user)
    return client


def test_the_runs_list_in_a_constant_number_of_queries(client, county_admin, data, django_assert_max_num_queries):
    login(client, county_admin)
    with django_assert_max_num_queries(12) as one:
        body = client.get("/subsidies/runs/").content.decode()
    assert "2025-01" in body and 'id="run-request"' in body
    for month in ("2025-02", "2025-03", "2025-04"):
        calculate(month)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/subsidies/runs/")


def test_the_run_page_shows_totals_townships_and_flags(client, county_admin, data):
    body = login(client, county_admin).get(f"/subsidies/runs/{data['run'].pk}/").content.decode()
    assert 'data-total="payable">800.00' in body and 'data-total="withheld">900.00' in body  # one worker-month
    assert "九源" in body and "太平" in body and "township-chart-data" in body
    assert body.count('action="/subsidies/lines/') == 4  # the four withheld lines can be cleared
    assert 'id="action-submit"' in body and 'id="action-approve"' not in body


def test_actions_show_only_to_who_may_take_them(client, county_admin, county_officer, township_officer, data):
    run = data["run"]
    services.run_submit(actor=county_admin, run=run)
    maker_page = login(client, county_admin).get(f"/subsidies/runs/{run.pk}/").content.decode()
    assert 'id="action-approve"' not in maker_page and 'id="action-reject"' not in maker_page
    checker = make_user("checker", Role.COUNTY_ADMIN)
    checker_page = login(client, checker).get(f"/subsidies/runs/{run.pk}/").content.decode()
    assert 'id="action-approve"' in checker_page and 'id="action-reject"' in checker_page
    officer_page = login(client, county_officer).get(f"/subsidies/runs/{run.pk}/").content.decode()
    assert 'id="action-approve"' not in officer_page
    township_page = login(client, township_officer).get(f"/subsidies/runs/{run.pk}/").content.decode()
    assert "太平" not in township_page and 'id="action-' not in township_page


def test_a_refused_transition_shows_a_message_and_changes_nothing(client, county_admin, data):
    run = data["run"]
    login(client, county_admin)
    response = client.post(f"/subsidies/runs/{run.pk}/approve/", follow=True)
    assert "只有已提交的批次才能审批" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "draft"


def test_clearing_a_line_from_the_page(client, county_admin, data):
    line = data["run"].lines.filter(status="withheld").first()
    login(client, county_admin)
    empty = client.post(f"/subsidies/lines/{line.pk}/clear/", {"reason": ""}, follow=True).content.decode()
    assert "请填写该预警明细可以发放的理由" in empty
    client.post(f"/subsidies/lines/{line.pk}/clear/", {"reason": "已电话核实"})
    line.refresh_from_db()
    assert line.status == "payable" and line.clear_reason == "已电话核实"


def test_the_lines_page_filters_by_component_and_township(client, county_admin, data, jiuyuan):
    login(client, county_admin)
    url = f"/subsidies/runs/{data['run'].pk}/lines/"
    body = client.get(url, {"component": "job_subsidy", "township": jiuyuan.pk}).content.decode()
    assert body.count("岗位补贴</td>") == 2 and "社保补贴</td>" not in body and "太平黑鸡车间" not in body


def test_the_workshop_history_fragment_is_scoped(client, county_admin, county_officer, township_officer, data):
    approve(data["run"], county_officer, county_admin)
    login(client, township_officer)
    body = client.get(f"/subsidies/workshops/{data['home'].pk}/history/").content.decode()
    assert "<nav" not in body and 'data-month="2025-01"' in body and "800.00" in body
    assert client.get(f"/subsidies/workshops/{data['away'].pk}/history/").status_code == 404


def test_the_page_builds_the_report_and_an_operator_gets_only_their_workshop(
        client, data, django_capture_on_commit_callbacks, settings, tmp_path):
    """The report is a Download on core's export path: the button leads to its page in 我的下载."""
    settings.MEDIA_ROOT = tmp_path
    operator = make_user("operator", Role.WORKSHOP_OPERATOR, workshop=data["away"])
    login(client, operator)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/subsidies/runs/{data['run'].pk}/report/", HTTP_HX_REQUEST="true")
    from core.models import Download

    download = Download.objects.get(owner=operator)
    assert started["HX-Redirect"] == f"/downloads/{download.pk}/"
    assert download.list_name == "subsidy-run-detail" and download.status == "done", download.error
    assert f"/downloads/{download.pk}/" in client.get("/downloads/").content.decode()
    response = client.get(f"/downloads/{download.pk}/file/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    details = list(book["明细"].iter_rows(values_only=True))
    assert {row[2] for row in details[1:]} == {"太平黑鸡车间"}
    assert details[1][3] == "=HYPERLINK(1)" and book["明细"]["D2"].data_type == "s"  # text, never a formula
    assert book["明细"].freeze_panes == "A2" and book["明细"].auto_filter.ref.startswith("A1:")
    header = next(row[0].row for row in book["汇总"].iter_rows() if row[0].value == "乡镇")  # below the title block
    assert book["汇总"].cell(header + 1, 5).number_format.startswith("#,##0.00")
    other = make_user("other-operator", Role.WORKSHOP_OPERATOR, workshop=data["home"])
    login(client, other)
    assert client.get(f"/downloads/{download.pk}/").status_code == 404


def test_a_broker_opens_no_run_line_or_report_page(client, county_admin, county_officer, township_officer,
                                                   broker_user, data, django_capture_on_commit_callbacks,
                                                   settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run = data["run"]
    login(client, township_officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/subsidies/runs/{run.pk}/report/").status_code == 302
    from core.models import Download

    download = Download.objects.get(owner=township_officer)
    pages = ["/subsidies/runs/", f"/subsidies/runs/{run.pk}/", f"/subsidies/runs/{run.pk}/lines/",
             f"/downloads/{download.pk}/", f"/downloads/{download.pk}/file/",
             f"/subsidies/workshops/{data['home'].pk}/history/"]
    for url in pages:  # the township officer of the same township opens every one of them
        assert client.get(url).status_code == 200, url
    login(client, broker_user)
    for url in pages:
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/subsidies/runs/{run.pk}/report/").status_code == 403
    assert not Download.objects.filter(owner=broker_user).exists()
    # Nor does the workshop's page load the subsidy history for a broker.
    assert "subsidy-history" not in client.get(f"/workshops/{data['home'].pk}/").content.decode()


def test_mark_paid_on_the_page_takes_only_what_its_form_cleaned(client, county_admin, county_officer, data):
    from subsidies.models import SubsidyRun

    checker = make_user("checker", Role.COUNTY_ADMIN)
    run = approve(data["run"], county_admin, checker)
    login(client, checker)
    url = f"/subsidies/runs/{run.pk}/mark-paid/"
    # An ISO week date (which date.fromisoformat would read as 2025-02-10) is not a date the form's
    # field takes: refused on the page, naming the field, and nothing is paid.
    body = client.post(url, {"voucher": "PZ-1", "paid_on": "2025-W07-1"}, follow=True).content.decode()
    assert SubsidyRun.objects.get(pk=run.pk).status == "approved"
    assert "发放日期" in body
    client.post(url, {"voucher": "  PZ-2025-001 ", "paid_on": "2025-02-10", "paid_by": county_officer.pk})
    paid = SubsidyRun.objects.get(pk=run.pk)
    assert (paid.status, paid.voucher, paid.paid_on, paid.paid_by) == ("paid", "PZ-2025-001", date(2025, 2, 10),
                                                                       checker)


def test_only_a_county_admin_is_offered_a_new_policy_version(client, county_admin, county_officer):
    for user, offered in ((county_admin, True), (county_officer, False)):
        body = login(client, user).get("/subsidies/policies/").content.decode()
        assert ('id="policy-create"' in body) == offered
    assert client.get("/subsidies/policies/new/").status_code == 403  # the county officer
