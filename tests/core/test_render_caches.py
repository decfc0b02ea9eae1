"""What the rendering keeps between requests (issue 13: the menu worked out once per role and language)
never shows one user what belongs to another role, language or deactivated account."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.choices import Role
from accounts.navigation import items_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def url_names(menu):
    return [link["url_name"] for entry in menu for link in entry.get("children", [entry])]


def test_each_role_keeps_its_own_menu_whichever_asked_first(jiuyuan, broker_user):
    officer = make_user("t", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    admin = make_user("a", Role.COUNTY_ADMIN)
    first = {user.role: url_names(items_for(user)) for user in (broker_user, officer, admin)}
    again = {user.role: url_names(items_for(user)) for user in (admin, officer, broker_user)}
    assert again == first
    assert "core-system-status" in first[Role.COUNTY_ADMIN]
    assert "core-system-status" not in first[Role.TOWNSHIP_OFFICER]
    assert "core-system-status" not in first[Role.BROKER]
    assert "labor-payroll-list" not in first[Role.BROKER]  # the payroll is not a broker's work


def test_the_page_menu_follows_the_language_of_each_request(client, county_admin):
    client.force_login(county_admin)
    chinese = client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese_again = client.get("/").content.decode()
    assert ">系统状态</a>" in chinese and ">System status</a>" not in chinese
    assert ">System status</a>" in english and ">系统状态</a>" not in english
    assert ">系统状态</a>" in chinese_again


def test_a_menu_handed_out_is_the_requests_own_copy(county_admin):
    menu = items_for(county_admin)
    menu[0]["url"] = "/changed/"
    menu.append({"label": "x", "url": "/x/", "url_name": "x"})
    for entry in menu:
        for child in entry.get("children", ()):
            child["url"] = "/changed/"
    again = items_for(county_admin)
    assert again[0]["url"] == reverse(again[0]["url_name"])
    assert "x" not in url_names(again)
    assert all(link["url"] != "/changed/" for entry in again for link in entry.get("children", [entry]))


def test_a_deactivated_user_gets_no_menu_though_their_role_has_one(county_admin):
    assert items_for(county_admin)
    county_admin.is_active = False
    assert items_for(county_admin) == []


def test_menu_urls_follow_the_script_prefix(county_admin):
    plain = items_for(county_admin)
    with override_settings(FORCE_SCRIPT_NAME="/portal/"):
        from django.urls import set_script_prefix

        set_script_prefix("/portal/")
        try:
            prefixed = items_for(county_admin)
        finally:
            set_script_prefix("/")
    assert prefixed[0]["url"] == "/portal" + plain[0]["url"]
    assert items_for(county_admin)[0]["url"] == plain[0]["url"]


def test_the_same_role_in_another_language_gets_that_languages_labels(county_admin):
    with translation.override("en"):
        english = [str(entry["label"]) for entry in items_for(county_admin)]
    with translation.override("zh-hans"):
        chinese = [str(entry["label"]) for entry in items_for(county_admin)]
    assert "System status" in english and "系统状态" in chinese
