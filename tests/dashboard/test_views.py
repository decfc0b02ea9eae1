"""The home page: county roles and township officers get the county dashboard (issue 15), brokers and
workshop operators their own homes (issue 14, tests/dashboard/test_todo.py) with the figures page they had
at /dashboard/figures/; the dashboard's brief and Excel workbook.

Contract change (issue 15): county staff and township officers no longer see the 30 cards on `/`; the
figures those tests pinned are the dashboard's now (tests/dashboard/test_board.py computes them by hand),
and the cards page is checked as a workshop operator sees it."""

import re
import time
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.choices import Role
from tests.conftest import browser_login
from tests.factories import PASSWORD, PlacementFactory, WorkshopFactory, make_user

TAIPING, JIUYUAN = "511781100", "511781102"


@pytest.mark.browser
def test_login_page_is_in_chinese_and_leads_home_to_the_county_dashboard(browser, county_officer):
    browser.get(browser.base_url + "/")
    assert "/accounts/login/" in browser.current_url
    assert "登录" in browser.page_source
    browser_login(browser, county_officer.username, PASSWORD)
    rows = browser.find_elements(By.CSS_SELECTOR, "#township-table tbody tr[data-township]")
    assert len(rows) == 31
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


def _attr(response, name) -> dict:
    """{key: text} of the elements carrying `name="key"` with plain text."""
    return dict(re.findall(rf'{name}="(\w+)">([^<]*)<', response.content.decode()))


def _townships(response, column) -> dict:
    """{township code: text} of one column of the township table."""
    html = response.content.decode()
    table = html[html.index('id="township-table"'):]
    table = table[:table.index("</table>")]
    return dict(re.findall(rf'<tr data-township="(\d+)">.*?data-col="{column}">([^<]*)<', table))


@pytest.fixture
def county_client(client, county_officer):
    client.force_login(county_officer)
    return client


@pytest.mark.django_db
def test_the_county_dashboard_shows_the_quarters_figures_against_the_last_in_chinese(county_client, two_townships):
    response = county_client.get("/?period=2026-Q1")
    figures, changes = _attr(response, "data-figure"), _attr(response, "data-change")
    assert figures["certified_workshops"] == "4" and changes["certified_workshops"] == "0"
    assert figures["posts"] == "24" and changes["posts"] == "—"
    assert figures["average_wage"] == "3,200.00"
    assert figures["subsidies_paid"] == "1,692.34" and changes["subsidies_paid"] == "+130.00"
    assert figures["match_rate"] == "—"
    paid = _townships(response, "subsidies_paid")
    assert len(paid) == 31 and paid[TAIPING] == "880.00" and paid[JIUYUAN] == "812.34"
    assert {text for code, text in paid.items() if code not in (TAIPING, JIUYUAN)} == {"0.00"}
    assert _townships(response, "average_wage")[JIUYUAN] == "3,066.67"
    html = response.content.decode()
    for text in ("2026年第1季度", "与2025年第4季度相比", "头条指标", "月度趋势", "乡镇对比", "五彩产业", "绿色茶叶",
                 "元", "下载Excel工作簿"):
        assert text in html, text
    assert 'href="/workshops/?certified_on=2026-03-31"' in html
    assert 'href="/subsidies/runs/?status=paid"' in html
    assert 'href="/labor/placements/?started_from=2026-01-01&amp;started_to=2026-03-31"' in html
    assert 'id="dashboard-data"' in html and "dashboard/dashboard-charts.js" in html
    # Charts are served by the portal: no script from a CDN (the CSRF token may spell "cdn" by chance).
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]* src="([^"]+)"', html))
    assert 'value="2026-Q1" selected' in html


@pytest.mark.django_db
def test_county_staff_choose_a_township_and_the_links_keep_it(county_client, two_townships):
    response = county_client.get(f"/?period=2026-02&township={TAIPING}")
    figures, changes = _attr(response, "data-figure"), _attr(response, "data-change")
    assert figures["average_wage"] == "3,600.00" and changes["average_wage"] == "+400.00"
    assert figures["subsidies_paid"] == "0.00" and changes["subsidies_paid"] == "−880.00"
    assert list(_townships(response, "workshops")) == [TAIPING]
    html = response.content.decode()
    assert f'href="/dashboard/export.xlsx?period=2026-02&amp;township={TAIPING}&amp;sort=township"' in html
    assert f'href="/labor/payroll/?month=2026-02&amp;township={TAIPING}"' in html
    assert f'<option value="{TAIPING}" selected>' in html


@pytest.mark.django_db
def test_a_township_officer_gets_their_townships_dashboard_whatever_the_url_asks(client, two_townships,
                                                                               township_officer):
    client.force_login(township_officer)
    response = client.get(f"/?period=2026-02&township={TAIPING}")
    figures, changes = _attr(response, "data-figure"), _attr(response, "data-change")
    assert figures["average_wage"] == "3,000.00" and changes["average_wage"] == "−200.00"
    assert figures["reserved_posts"] == "12"
    assert list(_townships(response, "workshops")) == [JIUYUAN]
    html = response.content.decode()
    assert 'id="id_township"' not in html  # no township to choose
    assert "旧院镇" in html and "太平镇" not in html


@pytest.mark.django_db
def test_the_township_table_sorts_by_a_heading(county_client, two_townships):
    response = county_client.get("/?period=2026-Q1&sort=-subsidies_paid")
    assert list(_townships(response, "subsidies_paid"))[:2] == [TAIPING, JIUYUAN]
    html = response.content.decode()
    # the heading now sorts the other way; the chart draws the sorted column
    assert 'href="?period=2026-Q1&amp;sort=subsidies_paid" data-sort="subsidies_paid"' in html
    assert 'aria-sort="descending"' in html


@pytest.mark.django_db
def test_a_period_or_township_that_cannot_be_read_says_so(county_client, two_townships):
    html = county_client.get("/?period=2026-13&township=999").content.decode()
    assert "无法识别所选期间" in html and "没有这个乡镇" in html


@pytest.mark.django_db
def test_a_range_from_the_form(county_client, two_townships):
    response = county_client.get("/?from=2025-12&to=2026-01")
    assert _attr(response, "data-figure")["subsidies_paid"] == "3,254.68"
    assert "2025-12至2026-01" in response.content.decode()


@pytest.mark.django_db
def test_brokers_and_workshop_operators_keep_their_figures_page(client, two_townships, jiuyuan, broker_user):
    # Issue 14: their home is their village or workshop now; the figures page moved to /dashboard/figures/.
    operator = make_user("op", Role.WORKSHOP_OPERATOR, township=jiuyuan,
                         workshop=WorkshopFactory(village=broker_user.village))
    for user in (operator, broker_user):
        client.force_login(user)
        assert 'href="/dashboard/figures/"' in client.get("/").content.decode()
        html = client.get("/dashboard/figures/").content.decode()
        assert 'data-count="townships"' in html and 'id="dashboard-data"' not in html
        assert client.get("/dashboard/brief/?period=2026").status_code == 403
        assert client.get("/dashboard/export.xlsx?period=2026").status_code == 403


@pytest.mark.django_db
def test_with_nothing_paid_the_figures_page_says_so_and_draws_no_chart(client, jiuyuan):
    operator = make_user("op", Role.WORKSHOP_OPERATOR, township=jiuyuan, workshop=WorkshopFactory())
    client.force_login(operator)
    html = client.get("/dashboard/figures/").content.decode()
    assert 'data-count="subsidies_paid">0.00<' in html and 'data-count="match_rate">—<' in html
    assert "尚未发放奖补" in html and "paid-by-year-chart" not in html


@pytest.mark.django_db
def test_the_dashboard_needs_a_fixed_small_number_of_queries(county_client, two_townships,
                                                              django_assert_max_num_queries):
    from dashboard import facts

    facts.refresh_all()  # the fixture's payroll, paid runs and placements into the facts, as any earlier request does
    with django_assert_max_num_queries(39):  # the board's and the to-do's (tests/dashboard/test_todo.py)
        assert county_client.get("/?period=2026-Q1").status_code == 200


@pytest.mark.django_db
def test_the_figures_are_cached_per_scope(client, settings, two_townships, township_officer, taiping_officer,
                                          django_assert_max_num_queries):
    settings.DASHBOARD_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    client.force_login(township_officer)
    first = client.get("/?period=2026-02")
    with django_assert_max_num_queries(8):  # session, user, township: the figures come from the cache
        again = client.get("/?period=2026-02")
    assert _attr(again, "data-figure") == _attr(first, "data-figure")
    client.force_login(taiping_officer)  # another township is never served 旧院's figures
    assert _attr(client.get("/?period=2026-02"), "data-figure")["average_wage"] == "3,600.00"
    cache.clear()


@pytest.mark.django_db
def test_the_cached_board_keeps_each_order_and_is_replaced_when_its_figures_expire(
        client, county_client, settings, two_townships, township_officer, jiuyuan):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    codes = [_townships(county_client.get(f"/?period=2026-02&sort={sort}"), "people_employed")
             for sort in ("township", "-township", "township", "-township")]
    assert list(codes[0]) == sorted(codes[0]) and list(codes[1]) == sorted(codes[1], reverse=True)
    assert codes[2:] == codes[:2]  # the cached boards, each in its own order

    settings.DASHBOARD_CACHE_SECONDS = 2
    cache.clear()
    client.force_login(township_officer)
    before = _attr(client.get("/?period=2026-02"), "data-figure")
    time.sleep(1.2)
    client.get("/?period=2026-02&sort=-township")  # another order of the same figures, a second later
    PlacementFactory(workshop=WorkshopFactory(village__township=jiuyuan), start_date=date(2026, 2, 1))
    assert _attr(client.get("/?period=2026-02"), "data-figure") == before  # within the cache's seconds
    time.sleep(1.0)
    # The figures have expired: neither order is served from a copy kept longer than they were.
    for sort in ("township", "-township"):
        assert _attr(client.get(f"/?period=2026-02&sort={sort}"), "data-figure") != before
    cache.clear()


@pytest.mark.django_db
def test_a_bad_period_or_township_is_said_even_when_the_board_is_cached(county_client, settings, two_townships):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    this_year = county_client.get("/").content.decode()  # caches this year's board for the county
    assert "无法识别所选期间" not in this_year and "没有这个乡镇" not in this_year
    assert "无法识别所选期间" in county_client.get("/?period=2026-13").content.decode()  # this year, said why
    assert "没有这个乡镇" in county_client.get("/?township=999999").content.decode()
    assert "无法识别所选期间" not in county_client.get("/").content.decode()
    cache.clear()


@pytest.mark.django_db
def test_the_cached_figures_are_read_in_the_language_of_the_reader(client, settings, two_townships,
                                                                    township_officer):
    settings.DASHBOARD_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    client.force_login(township_officer)
    client.cookies["django_language"] = "zh-hans"
    assert "在岗人数" in client.get("/?period=2026-02").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/?period=2026-02").content.decode()  # the Chinese board is cached; not served here
    assert "People in work" in english and "在岗人数" not in english
    cache.clear()


@pytest.mark.django_db
def test_the_workbook_holds_every_table_with_exact_figures(county_client, two_townships):
    response = county_client.get("/dashboard/export.xlsx?period=2026-Q1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="dashboard-2026-Q1.xlsx"' in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["头条指标", "月度趋势", "乡镇对比", "五彩产业"]
    headlines = {row[0]: row[1:] for row in book["头条指标"].iter_rows(min_row=3, values_only=True)}
    assert headlines["已发放奖补"] == (1692.34, 1562.34, 130)
    assert headlines["已认定车间"] == (4, 4, 0)
    townships = {row[1]: row for row in book["乡镇对比"].iter_rows(min_row=3, values_only=True)}
    assert len(townships) == 31
    assert townships["太平镇"][2:] == (2, 8, 1, 1, 3400, 880, 2)
    assert townships["旧院镇"][6] == pytest.approx(3066.67) and townships["旧院镇"][7] == 812.34
    trend = {row[0]: row for row in book["月度趋势"].iter_rows(min_row=3, values_only=True)}
    # paid by component (the four tiers and issue 16's three), then the total
    assert trend["2026-01"][1:3] == (2, 6400) and trend["2026-01"][10] == 1692.34
    industries = {row[0]: row for row in book["五彩产业"].iter_rows(min_row=3, values_only=True)}
    assert industries["绿色茶叶"][1:5] == (4, 0, 4, 3)
    assert book["乡镇对比"]["A1"].value.startswith("万源市")


@pytest.mark.django_db
def test_the_brief_has_no_menu_and_the_three_tables(county_client, two_townships):
    response = county_client.get("/dashboard/brief/?period=2026-Q1")
    html = response.content.decode()
    assert "navbar" not in html and "dashboard/brief.css" in html
    assert html.count("<tr data-township=") == 31
    assert 'data-figure="subsidies_paid">1,692.34<' in html
    assert 'id="brief-trend"' in html and "领导简报" in html


@pytest.fixture
def _policy_after_flush(transactional_db):
    """WY-2026 comes from a data migration that browser tests' flushes remove; put it back."""
    from importlib import import_module

    from django.apps import apps

    import_module("subsidies.migrations.0002_policy_wy_2026").load(apps, None)


def _fits_the_width(browser) -> bool:
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_the_dashboard_draws_its_charts_and_fits_a_360_px_phone(browser, _policy_after_flush, two_townships,
                                                                county_officer):
    browser_login(browser, county_officer.username, PASSWORD)
    browser.get(browser.base_url + "/?period=2026-Q1&sort=-subsidies_paid")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return !!(window.Chart && Chart.getChart('township-chart'))"))
    for chart in ("trend-people-chart", "trend-payroll-chart", "trend-paid-chart", "trend-placements-chart",
                  "industry-chart"):
        assert browser.execute_script(f"return !!Chart.getChart('{chart}')"), chart
    township_chart = browser.execute_script(
        "var c = Chart.getChart('township-chart');"
        "return [c.data.labels.slice(0, 2), c.data.datasets[0].data.slice(0, 2)]")
    assert township_chart == [["太平镇", "旧院镇"], [880, 812.34]]
    colours = browser.execute_script("return Chart.getChart('industry-chart').data.datasets[0].backgroundColor")
    assert colours == ["#2e8b3d", "#8b5a2b", "#111111", "#17a2b8", "#d4a017"]
    try:
        browser.set_window_size(1280, 2400)
        browser.save_screenshot("/tmp/dashboard-h7-desktop.png")
        browser.set_window_size(360, 800)
        browser.get(browser.base_url + "/?period=2026-Q1")
        assert _fits_the_width(browser)
        browser.save_screenshot("/tmp/dashboard-h7-phone.png")
        browser.get(browser.base_url + "/dashboard/brief/?period=2026-Q1")
        assert _fits_the_width(browser)
    finally:
        browser.set_window_size(412, 915)


@pytest.mark.browser
def test_the_brief_prints_on_exactly_one_a4_page(browser, _policy_after_flush, two_townships, county_officer):
    import base64

    browser_login(browser, county_officer.username, PASSWORD)
    browser.get(browser.base_url + "/dashboard/brief/?period=2025-01..2026-02")  # a 14-month trend
    assert len(browser.find_elements(By.CSS_SELECTOR, "#brief-townships tbody tr")) == 31
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    content = base64.b64decode(pdf["data"])
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", content))
    assert pages == 1
    with open("/tmp/dashboard-h7-brief.pdf", "wb") as out:
        out.write(content)
    try:
        browser.set_window_size(900, 1300)
        browser.save_screenshot("/tmp/dashboard-h7-brief.png")
    finally:
        browser.set_window_size(412, 915)
