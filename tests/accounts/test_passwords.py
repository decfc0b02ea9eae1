"""Password validators on every path that sets a password; the change page; the forced change after
an administrator's reset, on pages and in the API."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts import services
from accounts.choices import Role
from accounts.models import AuditEvent, User
from accounts.permissions import SYSTEM
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_create_user_refuses_a_weak_password_with_the_validators_messages():
    with pytest.raises(CommandError) as refused:
        call_command("create_user", "weak", "--role", "county_officer", "--password", "1")
    message = str(refused.value)
    assert "密码长度太短" in message and "密码只包含数字" in message
    assert not User.objects.filter(username="weak").exists()


def test_user_create_refuses_a_password_like_the_username():
    with pytest.raises(Exception) as refused:
        services.user_create(actor=SYSTEM, username="wangxiaoming2026", role=Role.COUNTY_OFFICER,
                             password="wangxiaoming2026")
    assert "password" in refused.value.message_dict
    assert not User.objects.filter(username="wangxiaoming2026").exists()


def test_reset_password_command_sets_a_temporary_password_and_the_flag(capsys, client):
    user = make_user("reset-me", Role.COUNTY_OFFICER)
    call_command("reset_password", "reset-me")
    temporary = capsys.readouterr().out.strip().splitlines()[-1]
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(temporary)
    assert AuditEvent.objects.filter(action="user.password_reset", object_id=str(user.pk)).exists()
    with pytest.raises(CommandError, match="密码长度太短"):
        call_command("reset_password", "reset-me", "--password", "123")


def test_the_admin_reset_is_validated_and_forces_a_change(client, county_admin):
    staff = make_user("django-admin", Role.COUNTY_ADMIN)
    User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    url = f"/admin/accounts/user/{county_admin.pk}/password/"
    weak = client.post(url, {"password1": "12345", "password2": "12345"})
    assert weak.status_code == 200 and "密码长度太短" in weak.content.decode()
    ok = client.post(url, {"password1": "lime-kettle-7731", "password2": "lime-kettle-7731"})
    assert ok.status_code == 302
    county_admin.refresh_from_db()
    assert county_admin.must_change_password and county_admin.check_password("lime-kettle-7731")
    assert AuditEvent.objects.get(action="user.password_reset").actor == staff


def test_after_a_reset_every_page_leads_to_the_change_page_until_a_new_password_is_set(client):
    user = make_user("forced", Role.COUNTY_OFFICER)
    temporary = services.user_reset_password(actor=SYSTEM, user=user)
    login = client.post("/accounts/login/", {"username": "forced", "password": temporary})
    assert login.status_code == 302
    for path in ("/", "/workshops/", "/labor/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/accounts/password/", path
    page = client.get("/accounts/password/")
    assert "您的密码已被管理员重置" in page.content.decode()

    weak = client.post("/accounts/password/", {"old_password": temporary, "new_password1": "12345678",
                                               "new_password2": "12345678"})
    assert "密码只包含数字" in weak.content.decode()
    wrong = client.post("/accounts/password/", {"old_password": "not-it", "new_password1": "amber-forest-3318",
                                                "new_password2": "amber-forest-3318"})
    assert "当前密码不正确" in wrong.content.decode()
    done = client.post("/accounts/password/", {"old_password": temporary, "new_password1": "amber-forest-3318",
                                               "new_password2": "amber-forest-3318"}, follow=True)
    assert done.redirect_chain[-1][0] == "/" and "密码已修改" in done.content.decode()
    assert client.get("/workshops/").status_code == 200  # still signed in, free again
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("amber-forest-3318")


def test_the_api_answers_403_with_a_clear_detail_until_the_password_is_changed(client):
    user = make_user("forced-api", Role.COUNTY_OFFICER)
    temporary = services.user_reset_password(actor=SYSTEM, user=user)
    key = client.post("/api/v1/auth/token/", {"username": "forced-api", "password": temporary},
                      content_type="application/json").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    refused = api.get("/api/v1/townships/")
    assert refused.status_code == 403 and "修改密码" in refused.json()["detail"]
    assert api.get("/api/v1/auth/tokens/").status_code == 403
    services.user_set_password(actor=user, user=user, password="amber-forest-3318")
    assert api.get("/api/v1/townships/").status_code == 200


def test_a_reset_revokes_the_users_api_tokens(api):
    user = make_user("had-tokens", Role.COUNTY_OFFICER)
    client = api(user)
    assert client.get("/api/v1/townships/").status_code == 200
    services.user_reset_password(actor=SYSTEM, user=user)
    assert client.get("/api/v1/townships/").status_code == 401


def test_the_change_page_is_in_the_menu_and_works_for_any_signed_in_user(client, township_officer):
    client.post("/accounts/login/", {"username": township_officer.username, "password": PASSWORD})
    home = client.get("/").content.decode()
    assert 'href="/accounts/password/"' in home and "修改密码" in home
    done = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "river-stone-6620",
                                               "new_password2": "river-stone-6620"})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action="user.password_change", actor=township_officer).exists()
    assert client.get("/").status_code == 200  # the session survived the change


def test_the_change_page_needs_a_login(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
