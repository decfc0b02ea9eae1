import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from regions.models import Township
from tests.conftest import browser_login
from tests.factories import PASSWORD


@pytest.mark.browser
def test_login_page_is_in_chinese_and_leads_home_with_the_county_counts(browser, county_officer):
    browser.get(browser.base_url + "/")
    assert "/accounts/login/" in browser.current_url
    assert "登录" in browser.page_source
    browser_login(browser, county_officer.username, PASSWORD)
    counts = {el.get_attribute("data-count"): el.text for el in browser.find_elements(By.CSS_SELECTOR, "[data-count]")}
    assert counts["townships"] == "31"
    # On a phone-width window the menu is folded behind the toggler.
    whoami = browser.find_element(By.ID, "whoami")
    assert not whoami.is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()
    WebDriverWait(browser, 5).until(lambda d: whoami.is_displayed())
    assert whoami.text.startswith(county_officer.username)
    assert "市级经办人" in whoami.text


@pytest.mark.browser
def test_a_wrong_password_is_refused_in_chinese(browser, county_officer):
    browser_login(browser, county_officer.username, "wrong-password")
    assert "/accounts/login/" in browser.current_url
    assert "请输入一个正确的" in browser.find_element(By.CSS_SELECTOR, ".alert-danger").text


def _shown(response) -> dict:
    """The figures as the page shows them: {data-count key: text}."""
    html = response.content.decode()
    return dict(re.findall(r'data-count="(\w+)">([^<]*)<', html))


def _paid_by_year(response) -> dict:
    return dict(re.findall(r'data-paid-year="(\d+)">([^<]*)<', response.content.decode()))


@pytest.mark.django_db
def test_the_county_home_page_shows_every_capabilitys_figures_in_chinese(client, two_townships, county_officer):
    client.force_login(county_officer)
    response = client.get("/")
    shown = _shown(response)
    assert shown["townships"] == str(Township.objects.count())
    assert shown["certified_workshops"] == "4" and shown["assistance_workshops"] == "2"
    assert shown["reserved_share"] == "70.83"
    assert shown["match_rate"] == "75"
    assert shown["average_monthly_wage"] == "3,200.00"
    assert shown["subsidies_paid"] == "3,254.68"
    assert shown["paid_social_insurance"] == "2,054.68"
    assert shown["paid_hiring_award"] == "0.00"
    assert shown["cooperation_funds"] == "3,734,567.89"
    assert shown["livestream_sales"] == "2,140.99"
    assert _paid_by_year(response) == {"2025": "1,562.34", "2026": "1,692.34"}
    html = response.content.decode()
    for heading in ("帮扶车间", "劳务就业", "奖补发放", "五彩产业", "已发放奖补合计", "元"):
        assert heading in html, heading
    assert 'id="paid-by-year-data"' in html and "dashboard/home-chart" in html and "cdn" not in html.lower()


@pytest.mark.django_db
def test_a_township_officer_sees_only_their_townships_figures_on_the_home_page(client, two_townships,
                                                                                township_officer):
    client.force_login(township_officer)
    response = client.get("/")
    shown = _shown(response)
    assert shown["townships"] == "1" and shown["villages"] == "1"
    assert shown["certified_workshops"] == "2"
    assert shown["match_rate"] == "66.67"
    assert shown["reserved_fill_rate"] == "8.33"
    assert shown["subsidies_paid"] == "1,624.68"
    assert shown["cooperation_funds"] == "1,234,567.89"
    assert _paid_by_year(response) == {"2025": "812.34", "2026": "812.34"}


@pytest.mark.django_db
def test_with_nothing_paid_the_home_page_says_so_and_draws_no_chart(client, township_officer):
    client.force_login(township_officer)
    response = client.get("/")
    shown = _shown(response)
    assert shown["subsidies_paid"] == "0.00" and shown["match_rate"] == "—"
    html = response.content.decode()
    assert "尚未发放奖补" in html and "paid-by-year-chart" not in html


@pytest.mark.django_db
def test_the_home_page_needs_a_fixed_small_number_of_queries(client, two_townships, county_officer,
                                                             django_assert_max_num_queries):
    client.force_login(county_officer)
    with django_assert_max_num_queries(28):
        assert client.get("/").status_code == 200


@pytest.fixture
def _policy_after_flush(transactional_db):
    """WY-2026 comes from a data migration that browser tests' flushes remove; put it back."""
    from importlib import import_module

    from django.apps import apps

    import_module("subsidies.migrations.0002_policy_wy_2026").load(apps, None)


@pytest.mark.browser
def test_a_phone_shows_the_paid_subsidies_chart_drawn_from_the_vendored_chart_js(browser, _policy_after_flush,
                                                                                two_townships, county_officer):
    browser_login(browser, county_officer.username, PASSWORD)
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return !!(window.Chart && Chart.getChart('paid-by-year-chart'))"))
    labels = browser.execute_script("return Chart.getChart('paid-by-year-chart').data.labels")
    assert labels == ["2025", "2026"]
    shown = {el.get_attribute("data-count"): el.text for el in browser.find_elements(By.CSS_SELECTOR, "[data-count]")}
    assert shown["subsidies_paid"] == "3,254.68"
    browser.save_screenshot("/tmp/dashboard-home.png")
