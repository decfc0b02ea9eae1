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
        assert [link["url_name"] for link in links(items_for(user))] == expected


def links(menu):
    return [link for entry in menu for link in entry.get("children", [entry])]


def test_entries_of_a_group_fold_into_one_menu_and_a_lone_entry_stays_a_link(jiuyuan):
    admin = make_user("a", Role.COUNTY_ADMIN)
    menu = items_for(admin)
    assert [str(entry["label"]) for entry in menu] == ["首页", "车间", "劳务", "产业", "奖补", "贷款", "系统状态",
                                                       "审计日志", "用户管理", "我的下载"]
    subsidies = menu[-6]
    assert subsidies["url_names"] == ["subsidy-run-list", "subsidy-policy-list"]
    # A township officer may use only the runs of the subsidies group: a plain link, not a menu of one.
    officer_menu = items_for(make_user("t", Role.TOWNSHIP_OFFICER, township=jiuyuan))
    assert officer_menu[-4]["url_name"] == "subsidy-run-list" and "children" not in officer_menu[-4]
    assert officer_menu[-3]["url_names"] == ["loan-list", "repayment-list"]  # 贷款, without the limits (county)
    assert officer_menu[-2]["url_name"] == "core-user-list"  # 用户管理: their township's brokers (issue 14)
    assert officer_menu[-1]["url_name"] == "core-download-list"  # 我的下载: every role


def test_the_page_menu_shows_only_the_roles_entries(client, jiuyuan):
    officer = make_user("t", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    client.force_login(officer)
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


@pytest.mark.browser
def test_a_phone_user_opens_the_menu_then_a_group_and_follows_a_link(browser, county_admin):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.conftest import browser_login

    browser_login(browser, county_admin.username, PASSWORD)
    browser.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()
    labour = browser.find_element(By.XPATH, "//a[contains(@class, 'dropdown-toggle')][normalize-space()='劳务']")
    WebDriverWait(browser, 5).until(lambda d: labour.is_displayed())
    returnees = browser.find_element(By.XPATH, "//a[@class='dropdown-item'][normalize-space()='返乡人员']")
    assert not returnees.is_displayed()  # folded inside its group until the group is opened
    labour.click()
    WebDriverWait(browser, 5).until(lambda d: returnees.is_displayed())
    returnees.click()
    WebDriverWait(browser, 5).until(lambda d: d.current_url.endswith("/labor/returnees/"))
    active = browser.find_element(By.CSS_SELECTOR, ".dropdown-toggle.active")
    assert active.get_attribute("textContent").strip() == "劳务"


def test_a_menu_entry_is_shown_exactly_to_the_roles_its_permission_names(client, jiuyuan):
    from accounts.permissions import RULES
    from tests.core.test_declared_permissions import users_of_every_role

    users = users_of_every_role(jiuyuan)
    for item in all_items():
        assert item.permission in RULES, item.url_name
    for role, user in users.items():
        client.login(username=user.username, password=PASSWORD)
        page = client.get("/", follow=True).content.decode()  # the liaison station's home is its list
        for item in all_items():
            shown = f'href="{item_url(item)}"' in page
            assert shown == (role in RULES[item.permission]), (role, item.url_name, item.permission)
        client.logout()
    # The roles differ: not every entry is everyone's.
    assert {frozenset(RULES[item.permission]) for item in all_items()} != {frozenset(Role.values)}
