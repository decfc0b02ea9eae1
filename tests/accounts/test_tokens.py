"""API tokens: they expire, one per user and client, listed and revoked by their owner and by county
admins; an expired or revoked token is a 401."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import ApiToken
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def get_token(username, client_name=None, user_agent="pytest-agent"):
    body = {"username": username, "password": PASSWORD}
    if client_name is not None:
        body["client"] = client_name
    response = APIClient().post("/api/v1/auth/token/", body, format="json", HTTP_USER_AGENT=user_agent)
    assert response.status_code == 200, response.content
    return response.json()


def with_key(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_expires_after_the_configured_days(county_officer, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    issued = get_token(county_officer.username)
    token = ApiToken.objects.get(user=county_officer)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert issued["expires_at"]
    client = with_key(issued["token"])
    assert client.get("/api/v1/townships/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get("/api/v1/townships/")
    assert expired.status_code == 401 and "过期" in expired.json()["detail"]


def test_logging_in_again_from_the_same_client_rotates_its_token_instead_of_adding_one(county_officer):
    first = get_token(county_officer.username, "township-sync")["token"]
    second = get_token(county_officer.username, "township-sync")["token"]
    assert first != second
    assert with_key(first).get("/api/v1/townships/").status_code == 401
    assert with_key(second).get("/api/v1/townships/").status_code == 200
    # Another client (here told apart by its User-Agent) gets a key of its own.
    third = get_token(county_officer.username, user_agent="Excel-Power-Query")["token"]
    assert with_key(second).get("/api/v1/townships/").status_code == 200
    assert with_key(third).get("/api/v1/townships/").status_code == 200
    for _ in range(20):
        get_token(county_officer.username, "township-sync")
    active = [t for t in ApiToken.objects.filter(user=county_officer) if t.is_active]
    assert sorted(t.client for t in active) == ["Excel-Power-Query", "township-sync"]


def test_a_user_never_holds_more_than_ten_active_tokens(county_officer):
    keys = [get_token(county_officer.username, f"client-{n}")["token"] for n in range(12)]
    active = [t for t in ApiToken.objects.filter(user=county_officer) if t.is_active]
    assert len(active) == 10
    assert with_key(keys[0]).get("/api/v1/townships/").status_code == 401  # the oldest went first
    assert with_key(keys[-1]).get("/api/v1/townships/").status_code == 200


def test_an_owner_lists_and_revokes_their_tokens_and_sees_no_one_elses(county_officer, township_officer):
    mine = get_token(county_officer.username, "laptop")["token"]
    spare = get_token(county_officer.username, "phone")["token"]
    theirs = get_token(township_officer.username, "theirs")["token"]
    listing = with_key(mine).get("/api/v1/auth/tokens/")
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert sorted(row["client"] for row in rows) == ["laptop", "phone"]
    assert all("digest" not in row and row["username"] == county_officer.username for row in rows)
    phone = next(row for row in rows if row["client"] == "phone")
    assert phone["prefix"] == spare[:10] and phone["active"] is True

    other = ApiToken.objects.get(user=township_officer)
    assert with_key(mine).delete(f"/api/v1/auth/tokens/{other.pk}/").status_code == 404
    assert with_key(theirs).get("/api/v1/townships/").status_code == 200

    assert with_key(mine).delete(f"/api/v1/auth/tokens/{phone['id']}/").status_code == 204
    revoked = with_key(spare).get("/api/v1/townships/")
    assert revoked.status_code == 401 and set(revoked.json()) == {"detail", "errors"}
    # A revoked key stays listed, inactive, so its owner sees what happened.
    again = {row["client"]: row for row in with_key(mine).get("/api/v1/auth/tokens/").json()["results"]}
    assert again["phone"]["active"] is False and again["phone"]["revoked_at"]


def test_a_county_admin_lists_and_revokes_anyones_tokens(county_officer):
    admin = make_user("token-admin", Role.COUNTY_ADMIN)
    admin_key = get_token(admin.username, "admin-desk")["token"]
    officer_key = get_token(county_officer.username, "officer-laptop")["token"]
    rows = with_key(admin_key).get("/api/v1/auth/tokens/", {"user": county_officer.pk}).json()["results"]
    assert [row["client"] for row in rows] == ["officer-laptop"]
    assert with_key(admin_key).delete(f"/api/v1/auth/tokens/{rows[0]['id']}/").status_code == 204
    assert with_key(officer_key).get("/api/v1/townships/").status_code == 401
    # A county officer is not an admin: no one else's tokens.
    other_key = get_token(county_officer.username, "officer-laptop")["token"]
    admin_token = ApiToken.objects.get(user=admin, revoked_at__isnull=True)
    assert with_key(other_key).delete(f"/api/v1/auth/tokens/{admin_token.pk}/").status_code == 404


def test_the_token_list_needs_a_login():
    assert APIClient().get("/api/v1/auth/tokens/").status_code in (401, 403)


def test_partner_keys_last_until_revoked(capsys):
    from django.core.management import call_command

    call_command("create_api_client", "长期平台", "--role", "partner")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(digest=ApiToken.digest_of(key))
    assert token.expires_at is None
    assert with_key(key).get("/api/v1/townships/").status_code == 200
