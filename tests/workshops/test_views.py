"""Workshop pages as an official uses them (Django test client; the browser test is separate)."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.exports import exported
from tests.factories import PlacementFactory, PostFactory, VillageFactory, WorkerFactory, WorkshopFactory, make_user
from workshops.models import Difficulty, Liaison, Workshop

pytestmark = pytest.mark.django_db


def test_list_query_count_is_constant(page, county_admin, django_assert_num_queries):
    client = page(county_admin)
    WorkshopFactory()
    client.get("/workshops/")
    # session, user, one COUNT, the page, the user's saved filters of this list
    with django_assert_num_queries(5) as first:
        client.get("/workshops/")
    for _ in range(6):
        workshop = WorkshopFactory()
        PlacementFactory(workshop=workshop, worker=WorkerFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/workshops/")
    assert response.status_code == 200
    assert response.content.decode().count("/workshops/") >= 7


def test_township_officer_list_and_detail_scoped(page, township_officer, jiuyuan, taiping):
    own = WorkshopFactory(name="旧院车间", village=VillageFactory(township=jiuyuan))
    other = WorkshopFactory(name="太平车间", village=VillageFactory(township=taiping))
    client = page(township_officer)
    html = client.get("/workshops/").content.decode()
    assert own.name in html and other.name not in html
    assert client.get(f"/workshops/{other.pk}/").status_code == 404
    assert client.get(f"/workshops/{other.pk}/edit/").status_code == 404
    assert client.post(f"/workshops/{other.pk}/certify/", {"date": "2025-01-01"}).status_code == 404
    assert client.get(f"/workshops/{own.pk}/").status_code == 200


def test_workshop_page_shows_posts_liaisons_difficulties_and_subsidy_slot(page, county_officer):
    workshop = WorkshopFactory()
    PostFactory(workshop=workshop, title="鸡苗养殖工")
    Liaison.objects.create(workshop=workshop, department="县农业农村局", contact_person="张三")
    Difficulty.objects.create(workshop=workshop, category="land", description="用地指标不足",
                              raised_on=date(2025, 1, 5))
    PlacementFactory(workshop=workshop, start_date=date(2024, 1, 1))
    html = page(county_officer).get(f"/workshops/{workshop.pk}/").content.decode()
    for text in ("鸡苗养殖工", "县农业农村局", "用地指标不足"):
        assert text in html
    assert f'<div id="subsidy-history" hx-get="/subsidies/workshops/{workshop.pk}/history/" hx-trigger="load"></div>' \
        in html
    assert 'id="headcount">1<' in html


def test_create_workshop_form_saves_through_service(page, township_officer, jiuyuan, taiping):
    from tests.factories import EnterpriseFactory

    village = VillageFactory(township=jiuyuan)
    foreign = VillageFactory(township=taiping)
    enterprise = EnterpriseFactory()
    client = page(township_officer)
    data = {"name": "新车间", "kind": "processing", "form": "home_based", "industry": "other",
            "enterprise": enterprise.pk, "village": foreign.pk}
    refused = client.post("/workshops/new/", data)
    assert refused.status_code == 200 and not Workshop.objects.exists()
    data["village"] = village.pk
    response = client.post("/workshops/new/", data)
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workshops/{workshop.pk}/"
    assert workshop.status == "applied"


def test_certify_page_refuses_with_reason_in_chinese(page, county_officer):
    workshop = WorkshopFactory()
    response = page(county_officer).post(f"/workshops/{workshop.pk}/certify/", {"date": "2025-03-01"})
    assert response.status_code == 200
    assert "该日期不符合认定条件：在岗 0 人" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.status == "applied"


def test_operator_cannot_certify(page, jiuyuan):
    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    operator = make_user("op", "workshop_operator", workshop=workshop)
    assert page(operator).get(f"/workshops/{workshop.pk}/certify/").status_code == 403


def test_raise_and_resolve_difficulty_from_workshop_page(page, county_officer):
    workshop = WorkshopFactory()
    client = page(county_officer)
    response = client.post(f"/workshops/{workshop.pk}/difficulties/raise/", {
        "category": "credit", "description": "流动资金贷款难", "raised_on": "2025-02-01"})
    assert response.status_code == 302
    difficulty = Difficulty.objects.get()
    assert difficulty.status == "open"
    bad = client.post(f"/workshops/difficulties/{difficulty.pk}/resolve/",
                      {"resolved_on": "2025-01-01", "resolution": "贴息贷款"})
    assert bad.status_code == 200
    client.post(f"/workshops/difficulties/{difficulty.pk}/resolve/",
                {"resolved_on": "2025-03-01", "resolution": "创业担保贷款"})
    difficulty.refresh_from_db()
    assert difficulty.status == "resolved" and difficulty.resolution == "创业担保贷款"


def test_excel_download_of_filtered_list(page, county_admin):
    WorkshopFactory(name="茶叶车间", industry="tea")
    WorkshopFactory(name="玩具车间", industry="other", kind="processing")
    response = exported(page(county_admin), "/workshops/?industry=tea&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "茶叶车间"
    assert "绿色茶叶" in rows[1] and not any("<span" in str(cell) for cell in rows[1])  # text, not the badge


def test_the_list_shows_each_industry_in_its_colour(page, county_admin):
    WorkshopFactory(name="黑鸡车间", industry="black_chicken")
    html = page(county_admin).get("/workshops/").content.decode()
    assert 'data-industry="black_chicken" style="background:#212121">黑色黑鸡</span>' in html


def test_the_workshop_page_offers_each_role_what_its_permissions_allow(page, county_officer, broker_user, jiuyuan):
    """The template asks `can` (accounts.permissions): certify for officials, raising and resolving
    difficulties for officials and the workshop's operator, none of it for a broker."""
    from accounts.choices import Role

    workshop = WorkshopFactory(village=broker_user.village)
    Difficulty.objects.create(workshop=workshop, category="land", description="用地指标不足",
                              raised_on=date(2025, 1, 5))
    operator = make_user("op", Role.WORKSHOP_OPERATOR, township=jiuyuan, workshop=workshop)
    marks = {"certify": 'id="certify"', "raise": 'id="raise-difficulty"', "resolve": "btn-success resolve"}
    offers = {}
    for user in (county_officer, operator, broker_user):
        response = page(user).get(f"/workshops/{workshop.pk}/")
        assert response.status_code == 200 and "用地指标不足" in response.content.decode()  # each sees the page
        offers[user.role] = {name for name, mark in marks.items() if mark in response.content.decode()}
    assert offers == {Role.COUNTY_OFFICER: {"certify", "raise", "resolve"},
                      Role.WORKSHOP_OPERATOR: {"raise", "resolve"}, Role.BROKER: set()}
