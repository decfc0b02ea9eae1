"""Industries API: the enterprise contract, scope, filters and pinned query counts."""

import pytest

from accounts.models import AuditEvent
from industries.models import Enterprise, Livestream
from tests.factories import (
    BrandFactory,
    CooperationFundFactory,
    EastMarketSaleFactory,
    EnterpriseFactory,
    IndustryOutputFactory,
    LivestreamFactory,
    ProductionBaseFactory,
    VillageFactory,
    make_credit_code,
    make_user,
)

pytestmark = pytest.mark.django_db


def wrong_check(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


def test_create_enterprise_contract(api, county_admin):
    code = make_credit_code(42)
    response = api(county_admin).post("/api/v1/enterprises/", {
        "name": "万源巴山青茶业有限公司", "credit_code": code.lower(), "origin": "east", "industry": "tea"},
        format="json")
    assert response.status_code == 201, response.content
    enterprise = Enterprise.objects.get(pk=response.data["id"])
    assert enterprise.credit_code == code  # stored upper-case
    assert AuditEvent.objects.filter(action="enterprise.create", object_id=str(enterprise.pk)).exists()


def test_wrong_check_character_is_400_on_credit_code(api, county_admin):
    response = api(county_admin).post("/api/v1/enterprises/", {
        "name": "某公司", "credit_code": wrong_check(make_credit_code(42)), "origin": "local", "industry": "tea"},
        format="json")
    assert response.status_code == 400
    assert "校验位" in response.data["errors"]["credit_code"][0]
    assert not Enterprise.objects.exists()


def test_duplicate_credit_code_is_400(api, county_admin):
    existing = EnterpriseFactory()
    response = api(county_admin).post("/api/v1/enterprises/", {
        "name": "重复", "credit_code": existing.credit_code, "origin": "local", "industry": "tea"}, format="json")
    assert response.status_code == 400 and "credit_code" in response.data["errors"]


def test_bad_choice_is_400_not_500(api, county_admin):
    response = api(county_admin).post("/api/v1/enterprises/", {
        "name": "x", "credit_code": make_credit_code(7), "origin": "mars", "industry": "steel"}, format="json")
    assert response.status_code == 400
    assert {"origin", "industry"} <= set(response.data["errors"])


def test_township_officer_enterprises_scoped(api, township_officer, jiuyuan, taiping):
    own = EnterpriseFactory(township=jiuyuan)
    other = EnterpriseFactory(township=taiping)
    client = api(township_officer)
    assert [row["id"] for row in client.get("/api/v1/enterprises/").data["results"]] == [own.pk]
    assert client.get(f"/api/v1/enterprises/{other.pk}/").status_code == 404
    assert client.patch(f"/api/v1/enterprises/{other.pk}/", {"name": "x"}, format="json").status_code == 404
    created = client.post("/api/v1/enterprises/", {"name": "太平公司", "credit_code": make_credit_code(9),
                                                   "origin": "local", "industry": "tea", "township": taiping.code},
                          format="json")
    assert created.status_code == 400 and "township" in created.data["errors"]


def test_brands_and_outputs_are_county_wide_read_only_for_township(api, township_officer):
    BrandFactory(name="巴山青")
    IndustryOutputFactory(industry="black_chicken", year=2025)
    client = api(township_officer)
    assert client.get("/api/v1/brands/").data["count"] == 1
    assert client.get("/api/v1/industry-outputs/?industry=black_chicken").data["count"] == 1
    response = client.post("/api/v1/brands/", {"name": "新品牌", "industry": "tea", "kind": "product"},
                           format="json")
    assert response.status_code == 403


def test_livestream_filters_and_scope(api, township_officer, jiuyuan, taiping):
    from datetime import date

    own = VillageFactory(township=jiuyuan)
    LivestreamFactory(village=own, date=date(2024, 3, 1))
    recent = LivestreamFactory(village=own, date=date(2025, 3, 1))
    LivestreamFactory(village=VillageFactory(township=taiping), date=date(2025, 3, 1))
    data = api(township_officer).get("/api/v1/livestreams/?date_from=2025-01-01").data
    assert [row["id"] for row in data["results"]] == [recent.pk]


def test_livestream_in_other_township_refused(api, township_officer, taiping):
    response = api(township_officer).post("/api/v1/livestreams/", {
        "village": VillageFactory(township=taiping).code, "date": "2025-05-01", "host": "主播", "orders": 3,
        "sales": "300.00"}, format="json")
    assert response.status_code == 400 and "village" in response.data["errors"]
    assert not Livestream.objects.exists()


def test_negative_money_is_400(api, county_admin):
    response = api(county_admin).post("/api/v1/cooperation-funds/", {
        "year": 2025, "project": "p", "amount": "-1.00"}, format="json")
    assert response.status_code == 400 and "amount" in response.data["errors"]


def test_operator_and_partner_read_only_where_required(api, jiuyuan):
    from tests.factories import WorkshopFactory

    operator = make_user("op", "workshop_operator", workshop=WorkshopFactory(village=VillageFactory(township=jiuyuan)))
    response = api(operator).post("/api/v1/enterprises/", {
        "name": "x", "credit_code": make_credit_code(3), "origin": "local", "industry": "tea"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(("url", "factory"), [
    ("/api/v1/enterprises/", EnterpriseFactory),
    ("/api/v1/production-bases/", ProductionBaseFactory),
    ("/api/v1/brands/", BrandFactory),
    ("/api/v1/industry-outputs/", IndustryOutputFactory),
    ("/api/v1/livestreams/", LivestreamFactory),
    ("/api/v1/east-market-sales/", EastMarketSaleFactory),
    ("/api/v1/cooperation-funds/", CooperationFundFactory),
])
def test_list_query_count_is_constant(api, county_admin, django_assert_num_queries, url, factory):
    client = api(county_admin)
    factory()
    client.get(url)
    with django_assert_num_queries(3) as first:
        client.get(url)
    factory.create_batch(5)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.data["count"] == 6
