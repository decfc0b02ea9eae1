"""Sign-ins, failures, lockouts, refusals while locked and sign-outs are audit events with the client's
address and the username tried (never the password), and a county admin reads them on the audit page."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.choices import Role
from accounts.models import AuditEvent
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-9931"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.LOGIN_FAILURE_LIMIT_ACCOUNT = 3
    settings.LOGIN_FAILURE_LIMIT_IP = 30
    settings.LOGIN_FAILURE_WINDOW = 900
    cache.clear()
    yield
    cache.clear()


def page_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS)


def no_secret_in(event, *secrets):
    text = json.dumps(event.changes, ensure_ascii=False) + event.object_repr
    return not any(secret in text for secret in secrets)


def test_a_failed_login_records_the_username_tried_and_the_address():
    user = make_user("chen-officer", Role.COUNTY_OFFICER)
    page_login(Client(), "chen-officer", WRONG)
    event = AuditEvent.objects.get(action="login.failed")
    assert event.ip == ADDRESS and event.changes["username"] == "chen-officer"
    assert event.actor is None and event.object_id == str(user.pk)  # the account tried, not who typed it
    assert no_secret_in(event, WRONG, user.password)


def test_a_lockout_and_the_attempts_it_refuses_are_recorded():
    user = make_user("zhao-officer", Role.COUNTY_OFFICER)
    client = Client()
    for _ in range(3):
        page_login(client, "zhao-officer", WRONG)
    lockout = AuditEvent.objects.get(action="login.lockout")
    assert (lockout.ip, lockout.changes["username"], lockout.changes["scope"]) == (ADDRESS, "zhao-officer",
                                                                                     "account")
    # the right password now is refused, and that refusal is in the log too
    response = page_login(client, "zhao-officer", PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
    refused = AuditEvent.objects.get(action="login.refused")
    assert refused.ip == ADDRESS and refused.changes["username"] == "zhao-officer" and refused.actor is None
    # more attempts during the same lock cost no more rows
    for _ in range(5):
        page_login(client, "zhao-officer", PASSWORD)
    assert AuditEvent.objects.filter(action="login.refused").count() == 1
    assert all(no_secret_in(e, WRONG, PASSWORD, user.password) for e in AuditEvent.objects.all())


def test_sign_in_and_sign_out_are_recorded_with_the_user():
    user = make_user("sun-officer", Role.COUNTY_OFFICER)
    client = Client()
    assert page_login(client, "sun-officer", PASSWORD).status_code == 302
    client.post("/accounts/logout/", REMOTE_ADDR=ADDRESS)
    success = AuditEvent.objects.get(action="login.success")
    logout = AuditEvent.objects.get(action="logout")
    assert (success.actor, success.ip) == (user, ADDRESS)
    assert (logout.actor, logout.ip, logout.object_id) == (user, ADDRESS, str(user.pk))


def test_api_token_logins_are_recorded_alike():
    user = make_user("api-officer", Role.COUNTY_OFFICER)
    client = Client()
    for password in (WRONG, PASSWORD):
        client.post("/api/v1/auth/token/", {"username": "api-officer", "password": password},
                    content_type="application/json", REMOTE_ADDR=ADDRESS)
    failed = AuditEvent.objects.get(action="login.failed")
    success = AuditEvent.objects.get(action="login.success")
    assert failed.changes["path"] == success.changes["path"] == "/api/v1/auth/token/"
    assert (failed.ip, failed.changes["username"]) == (ADDRESS, "api-officer")
    assert (success.actor, success.ip) == (user, ADDRESS)


def test_the_audit_page_shows_a_failed_login_and_a_lockout_with_address_and_username():
    make_user("qian-officer", Role.COUNTY_OFFICER)
    for _ in range(3):
        page_login(Client(), "qian-officer", WRONG)
    make_user("audit-admin", Role.COUNTY_ADMIN)
    reader = Client()
    assert reader.login(username="audit-admin", password=PASSWORD)
    html = reader.get("/accounts/audit/", {"action": "login"}).content.decode()
    assert html.count("登录失败") == 3 and html.count("登录被锁定") == 1
    assert html.count(ADDRESS) == 4
    assert html.count("未登录 (qian-officer)") == 4  # not "系统": someone unknown typed it
