import pytest

from accounts.choices import Role
from tests.factories import VillageFactory, make_user, township

pytestmark = pytest.mark.django_db


def test_townships_list_the_31_real_units_with_a_token(api, county_officer):
    response = api(county_officer).get("/api/v1/townships/", {"page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] == 31
    units = {row["code"]: row["name"] for row in response.json()["results"]}
    assert units["511781001"] == "古东关街道"
    assert units["511781125"] == "黑宝山镇"
    assert units["511781228"] == "紫溪乡"
    assert all(code.startswith("511781") and len(code) == 9 for code in units)


def test_townships_without_a_token_is_401_in_the_error_format(client):
    response = client.get("/api/v1/townships/")
    assert response.status_code == 401
    body = response.json()
    assert body["detail"] and body["errors"] == {}


def test_a_revoked_or_unknown_token_is_401(county_officer):
    from rest_framework.test import APIClient

    from accounts import services
    from accounts.models import ApiToken

    key = services.token_issue(user=county_officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/townships/").status_code == 200
    services.token_revoke(actor=county_officer, token=ApiToken.objects.get(digest=ApiToken.digest_of(key)))
    assert client.get("/api/v1/townships/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token wy_not-a-real-key")
    assert client.get("/api/v1/townships/").status_code == 401


def test_township_officer_lists_only_their_townships_villages(api, jiuyuan, taiping):
    mine = [VillageFactory(township=jiuyuan) for _ in range(3)]
    VillageFactory(township=taiping)
    officer = make_user("officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    response = api(officer).get("/api/v1/villages/")
    assert response.status_code == 200
    assert sorted(row["code"] for row in response.json()["results"]) == sorted(v.code for v in mine)
    # The county sees both townships' villages.
    assert api(make_user("c", Role.COUNTY_OFFICER)).get("/api/v1/villages/").json()["count"] == 4


def test_villages_filter_by_township_code(api, county_officer, jiuyuan, taiping):
    VillageFactory(township=jiuyuan)
    other = VillageFactory(township=taiping)
    response = api(county_officer).get("/api/v1/villages/", {"township": taiping.code})
    assert [row["code"] for row in response.json()["results"]] == [other.code]


def test_a_village_outside_the_scope_is_404_not_403(api, jiuyuan, taiping):
    elsewhere = VillageFactory(township=taiping)
    officer = make_user("officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    response = api(officer).get(f"/api/v1/villages/{elsewhere.code}/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_token_endpoint_trades_password_for_a_working_token(client, county_officer):
    from tests.factories import PASSWORD

    response = client.post("/api/v1/auth/token/", {"username": county_officer.username, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    listing = client.get("/api/v1/townships/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listing.status_code == 200


def test_token_endpoint_refuses_a_wrong_password_with_field_errors(client, county_officer):
    response = client.post("/api/v1/auth/token/", {"username": county_officer.username, "password": "nope"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_township_helper_returns_real_unit():
    assert township("511781117").name == "魏家镇"
