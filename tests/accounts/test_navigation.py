import pytest

from accounts.choices import Role
from accounts.models import AuditEvent
from accounts.navigation import NavItem, all_items, items_for
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_every_menu_entry_resolves_and_names_known_roles():
    assert all_items(), "the apps register menu entries"
    for item in all_items():
        assert isinstance(item, NavItem)
        assert item.roles <= set(Role.values)


def test_each_role_sees_exactly_the_entries_registered_for_it(jiuyuan, broker_user):
    for user in (make_user("a", Role.COUNTY_ADMIN), make_user("t", Role.TOWNSHIP_OFFICER, township=jiuyuan),
                 broker_user):
        expected = [item.url_name for item in all_items() if user.role in item.roles]
        assert [entry["url_name"] for entry in items_for(user)] == expected


def test_the_page_menu_shows_only_the_roles_entries(client, jiuyuan):
    officer = make_user("t", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    client.login(username="t", password=PASSWORD)
    page = client.get("/").content.decode()
    for item in all_items():
        link = f'href="{item_url(item)}"'
        assert (link in page) == (Role.TOWNSHIP_OFFICER in item.roles), item.url_name
    assert officer.username in page


def item_url(item):
    from django.urls import reverse

    return reverse(item.url_name)


def test_a_token_issued_over_the_api_is_audited_with_the_callers_address(client, county_officer):
    client.post("/api/v1/auth/token/", {"username": county_officer.username, "password": PASSWORD},
                content_type="application/json", REMOTE_ADDR="10.20.30.40")
    event = AuditEvent.objects.get(action="token.issue")
    assert (event.actor, event.ip) == (county_officer, "10.20.30.40")
