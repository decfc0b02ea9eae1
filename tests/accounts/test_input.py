"""Hostile input costs nothing: NUL bytes, JSON nested absurdly deep, oversized bodies and absurd dates
get a 400 in the API's error format ({"detail", "errors"}), never a 500. The NUL cases matter on
PostgreSQL (which refuses NUL in text); they run on SQLite too."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from labor.models import Payroll, Placement
from tests.factories import PlacementFactory, PostFactory, WorkerFactory, WorkshopFactory
from tests.labor import importing

pytestmark = pytest.mark.django_db


def assert_json_400(response, field=None):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    if field:
        assert field in body["errors"], body
    return body


@pytest.mark.parametrize("path", [
    "/api/v1/townships/%00/",
    "/api/v1/townships/5117%0081100/",
    "/api/v1/townships/?code=%00",
    "/api/v1/workers/?search=a%00b",
    "/api/v1/villages/?township=%00",
])
def test_nul_in_the_path_or_query_is_a_json_400(api, county_admin, path):
    body = assert_json_400(api(county_admin).get(path))
    assert "NUL" in body["detail"]


def test_nul_in_a_json_value_is_a_field_error(api, county_admin):
    response = api(county_admin).post("/api/v1/cooperatives/", {"name": "合作社", "township": "\u0000"},
                                      format="json")
    body = assert_json_400(response, "township")
    assert "NUL" in body["errors"]["township"][0]


def test_nul_in_a_nested_value_or_a_key_is_a_400(api, county_admin):
    assert_json_400(api(county_admin).post("/api/v1/payroll/", [{"placement": 1, "month": "2025-0\u00001"}],
                                           format="json"))
    assert_json_400(api(county_admin).post("/api/v1/cooperatives/", {"na\u0000me": "x"}, format="json"))


def test_nul_in_a_form_field_is_a_400_on_pages_and_api(client, api, county_admin):
    client.force_login(county_admin)
    page = client.post("/labor/workers/new/", {"name": "张\x00三"})
    assert page.status_code == 400
    form_api = api(county_admin).post("/api/v1/cooperatives/", {"name": "x", "township": "\x00"}, format="multipart")
    assert_json_400(form_api)


def test_json_nested_100000_deep_is_a_400_not_a_recursion_error(api, county_admin):
    deep = "[" * 100_000 + "]" * 100_000
    response = api(county_admin).generic("POST", "/api/v1/cooperatives/", deep, content_type="application/json")
    body = assert_json_400(response)
    assert "32" in body["detail"]
    # Below Python's recursion limit but still absurd: refused by the depth check.
    medium = "[" * 500 + "]" * 500
    assert_json_400(api(county_admin).generic("POST", "/api/v1/payroll/", medium, content_type="application/json"))


def test_an_oversized_body_on_the_api_is_a_json_400(api, county_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = '{"name": "' + "x" * 2000 + '"}'
    body = assert_json_400(api(county_admin).generic("POST", "/api/v1/cooperatives/", big,
                                                     content_type="application/json"))
    assert "1000" in body["detail"]


def test_a_page_form_over_the_limit_stays_djangos_plain_400(client, county_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(county_admin)
    assert client.post("/labor/workers/new/", {"name": "x" * 2000}).status_code == 400


# --- dates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("start", ["0001-01-01", "1949-12-31", "9999-12-31"])
def test_absurd_placement_dates_are_field_errors(api, county_admin, start):
    worker, workshop = WorkerFactory(), WorkshopFactory()
    body = {"worker": worker.pk, "workshop": workshop.pk, "start_date": start, "monthly_wage": "3200.00",
            "post": PostFactory(workshop=workshop).pk}
    response = api(county_admin).post("/api/v1/placements/", body, format="json")
    errors = assert_json_400(response, "start_date")["errors"]
    assert "1950-01-01" in errors["start_date"][0]
    assert not Placement.objects.exists()


def test_a_date_a_year_ahead_is_accepted_and_beyond_it_refused(api, county_admin):
    workshop = WorkshopFactory()
    client = api(county_admin)
    in_a_year = timezone.localdate() + timedelta(days=365)
    too_far = {"worker": WorkerFactory().pk, "workshop": workshop.pk, "monthly_wage": "3000",
               "start_date": (in_a_year + timedelta(days=400)).isoformat()}
    assert_json_400(client.post("/api/v1/placements/", too_far, format="json"), "start_date")
    fine = {**too_far, "start_date": in_a_year.isoformat()}
    assert client.post("/api/v1/placements/", fine, format="json").status_code == 201


def test_payroll_for_a_month_not_yet_begun_is_refused(api, county_admin):
    today = timezone.localdate()
    placement = PlacementFactory(start_date=date(2025, 1, 1))
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    client = api(county_admin)
    row = {"placement": placement.pk, "days_worked": 20, "wage_paid": "3000.00"}
    refused = client.post("/api/v1/payroll/", {**row, "month": f"{next_month:%Y-%m}"}, format="json")
    assert refused.status_code == 400, refused.content
    assert "尚未开始" in str(refused.json()["errors"])
    assert not Payroll.objects.exists()
    current = client.post("/api/v1/payroll/", {**row, "month": f"{today:%Y-%m}"}, format="json")
    assert current.status_code == 201, current.content


def test_absurd_dates_on_a_page_form_are_field_errors(client, county_admin):
    workshop = WorkshopFactory()
    client.force_login(county_admin)
    response = client.post(f"/workshops/{workshop.pk}/difficulties/raise/",
                           {"category": "electricity", "description": "停电", "raised_on": "0001-01-01"})
    assert response.status_code in (200, 400)
    assert "1950-01-01" in response.content.decode()
    assert not workshop.difficulties.exists()


def test_absurd_dates_in_an_upload_are_row_problems(county_admin):
    from tests.labor.test_imports import xlsx

    placement = PlacementFactory(start_date=date(2025, 1, 1))
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    header = ["身份证号", "车间", "月份", "出勤天数", "实发工资", "单位缴纳社保"]
    rows = [header,
            [placement.worker.id_number, placement.workshop_id, "2025-03", 22, 3200, 480],
            [placement.worker.id_number, placement.workshop_id, f"{next_month:%Y-%m}", 22, 3200, 480],
            [placement.worker.id_number, placement.workshop_id, "1949-12", 22, 3200, 480]]
    job = importing.upload(actor=county_admin, kind="payroll", upload=xlsx(rows, "pay.xlsx"))
    job.refresh_from_db()
    messages = {p["row"]: p["message"] for p in job.problems}
    assert set(messages) == {3, 4}
    assert "尚未开始" in messages[3] and "1950-01-01" in messages[4]
