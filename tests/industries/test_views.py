"""Industries pages: lists with filters and Excel, forms that save through services, scope."""

import io
import re

import pytest
from openpyxl import load_workbook

from industries.models import Enterprise
from tests.exports import exported
from tests.factories import (
    BrandFactory,
    CooperationFundFactory,
    EastMarketSaleFactory,
    EnterpriseFactory,
    IndustryOutputFactory,
    LivestreamFactory,
    ProductionBaseFactory,
    VillageFactory,
    WorkshopFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

LISTS = [
    ("/industries/enterprises/", EnterpriseFactory),
    ("/industries/production-bases/", ProductionBaseFactory),
    ("/industries/brands/", BrandFactory),
    ("/industries/outputs/", IndustryOutputFactory),
    ("/industries/livestreams/", LivestreamFactory),
    ("/industries/east-market-sales/", EastMarketSaleFactory),
    ("/industries/cooperation-funds/", CooperationFundFactory),
]


@pytest.mark.parametrize(("url", "factory"), LISTS)
def test_list_pages_render_in_constant_queries(page, county_admin, django_assert_num_queries, url, factory):
    client = page(county_admin)
    factory()
    assert client.get(url).status_code == 200
    with django_assert_num_queries(5, exact=False) as first:
        client.get(url)
    factory.create_batch(4)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_enterprise_form_shows_credit_code_error_in_chinese_and_saves_nothing(page, county_admin):
    code = make_credit_code(5)
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    response = page(county_admin).post("/industries/enterprises/new/", {
        "name": "巴山青茶业", "credit_code": wrong, "origin": "local", "industry": "tea"})
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_enterprise_create_and_edit(page, county_admin):
    client = page(county_admin)
    response = client.post("/industries/enterprises/new/", {
        "name": "巴山青茶业", "credit_code": make_credit_code(5), "origin": "east", "industry": "tea"})
    enterprise = Enterprise.objects.get()
    assert response["Location"] == f"/industries/enterprises/{enterprise.pk}/"
    client.post(f"/industries/enterprises/{enterprise.pk}/edit/", {
        "name": "巴山青茶业有限公司", "credit_code": enterprise.credit_code, "origin": "east", "industry": "tea"})
    enterprise.refresh_from_db()
    assert enterprise.name == "巴山青茶业有限公司"
    assert "巴山青茶业有限公司" in client.get(f"/industries/enterprises/{enterprise.pk}/").content.decode()


def test_township_officer_cannot_open_other_townships_enterprise(page, township_officer, jiuyuan, taiping):
    other = EnterpriseFactory(township=taiping)
    client = page(township_officer)
    assert client.get(f"/industries/enterprises/{other.pk}/").status_code == 404
    assert client.get(f"/industries/enterprises/{other.pk}/edit/").status_code == 404
    assert client.get("/industries/brands/new/").status_code == 403  # county roles only


def test_enterprise_excel_follows_filters(page, county_admin):
    EnterpriseFactory(name="东部企业", origin="east")
    EnterpriseFactory(name="本地企业", origin="local")
    response = exported(page(county_admin), "/industries/enterprises/?origin=east&export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["东部企业"]
    assert rows[0][0] == "名称"


def test_enterprise_page_links_to_its_workshops_bases_and_brands_within_the_viewers_scope(
        page, township_officer, jiuyuan, taiping):
    enterprise = EnterpriseFactory(township=jiuyuan)
    other_enterprise = EnterpriseFactory(township=jiuyuan)
    WorkshopFactory(name="旧院茶叶车间", enterprise=enterprise, village=VillageFactory(township=jiuyuan))
    WorkshopFactory(name="太平茶叶车间", enterprise=enterprise, village=VillageFactory(township=taiping))
    WorkshopFactory(name="别家车间", enterprise=other_enterprise, village=VillageFactory(township=jiuyuan))
    ProductionBaseFactory(name="旧院茶园", enterprise=enterprise, township=jiuyuan)
    ProductionBaseFactory(name="别家茶园", enterprise=other_enterprise, township=jiuyuan)
    BrandFactory(name="旧院云雾", owner=enterprise, kind="product")
    client = page(township_officer)

    html = client.get(f"/industries/enterprises/{enterprise.pk}/").content.decode()
    links = re.findall(r'href="([^"]+)"', html.split('id="related"')[1].split("</div>")[0])
    assert links == [f"/workshops/?enterprise={enterprise.pk}",
                     f"/industries/production-bases/?enterprise={enterprise.pk}",
                     f"/industries/brands/?owner={enterprise.pk}",
                     f"/industries/east-market-sales/?enterprise={enterprise.pk}"]

    workshops = client.get(links[0]).content.decode()
    assert "旧院茶叶车间" in workshops
    assert "太平茶叶车间" not in workshops  # another township's, though the same enterprise's
    assert "别家车间" not in workshops
    bases = client.get(links[1]).content.decode()
    assert "旧院茶园" in bases and "别家茶园" not in bases
    assert "旧院云雾" in client.get(links[2]).content.decode()
