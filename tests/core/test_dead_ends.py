"""No dead ends: on the first page of every list in every demo role's menu, every link answers (no
403, no 404). The data is the demo county's own (seed_demo's steps at a small scale), so workers of
other townships are placed in the township's workshops, as in issue 14."""

import random
import re
from html.parser import HTMLParser
from importlib import import_module
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo import DemoContext
from accounts.models import User
from accounts.navigation import items_for
from tests.once import built_once

DEMO_ROLES = ("admin", "county", "township", "broker", "operator", "partner", "station")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and not href.startswith(("#", "mailto:", "javascript:")):
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return [urljoin(base, href) for href in parser.hrefs]


def seed_demo_county():
    ctx = DemoContext(rng=random.Random(2025), scale=0.01, log=lambda *a: None)
    for app in ("regions", "industries", "workshops", "labor", "subsidies"):
        import_module(f"{app}.demo").seed(ctx)
    return ctx


def menu_urls(user):
    for entry in items_for(user):
        yield from ([child["url"] for child in entry["children"]] if "children" in entry else [entry["url"]])


def dead_links(username):
    """(dead links, how many distinct links were followed) from the first page of every list in the
    user's menu."""
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    dead, seen = [], set()
    for list_url in menu_urls(user):
        response = client.get(list_url, follow=True)  # (the liaison station's home is its outbound list)
        assert response.status_code == 200, (username, list_url, response.status_code)
        for link in links_of(response.content.decode(), "http://testserver" + list_url):
            parts = urlsplit(link)
            if parts.netloc != "testserver" or parts.path == urlsplit(list_url).path:
                continue  # another site, or this list again (sorting, pages, filters, its Excel)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            seen.add(target)
            answer = client.get(target)
            if answer.status_code in (403, 404):
                dead.append((list_url, target, answer.status_code))
    return dead, len(seen)


@pytest.fixture(scope="class")
def demo_county(django_db_setup, django_db_blocker):
    """The demo county, seeded once for the crawls below (class scope: the other tests build their own)."""
    yield from built_once(django_db_blocker, seed_demo_county)


class TestTheDemoCounty:
    @pytest.mark.parametrize("username", DEMO_ROLES)
    def test_no_link_on_a_list_page_leads_to_a_refusal(self, demo_county, db, username):
        dead, followed = dead_links(username)
        assert dead == [], f"{username}: {len(dead)} dead links, e.g. {dead[:10]}"
        if username != "partner":  # the partner system works over the API: its menu may be empty
            assert followed >= 5, f"{username}: only {followed} links followed; the crawl saw no rows"


# --- a worker outside the viewer's scope reads as plain text --------------------------------------

def worker_cells(html: str) -> dict:
    """{worker name: the href it links to, or None when it is plain text} of a list page's rows."""
    cells = {}
    for href, name in re.findall(r'<a href="(/labor/workers/\d+/)">([^<]+)</a>', html):
        cells[name] = href
    for name in re.findall(r"<td[^>]*>\s*((?:外乡|本乡)工人\d*)\s*</td>", html):
        cells.setdefault(name, None)
    return cells


@pytest.fixture
def mixed_workshop(jiuyuan, taiping):
    """A workshop of 旧院 employing one worker of 旧院 and one of 太平, each also referred to it."""
    from tests.factories import (
        PlacementFactory,
        PostFactory,
        ReferralFactory,
        VillageFactory,
        WorkerFactory,
        WorkshopFactory,
    )

    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    post = PostFactory(workshop=workshop)
    local = WorkerFactory(name="本乡工人", village=VillageFactory(township=jiuyuan))
    outsider = WorkerFactory(name="外乡工人", village=VillageFactory(township=taiping))
    for worker in (local, outsider):
        PlacementFactory(worker=worker, workshop=workshop, post=post)
        ReferralFactory(worker=worker, post=post)
    return workshop, local, outsider


@pytest.mark.parametrize("url_name", ["labor-placement-list", "labor-referral-list"])
def test_the_township_sees_an_outsiders_name_without_a_link(township_officer, mixed_workshop, url_name):
    _, local, outsider = mixed_workshop
    client = Client()
    client.force_login(township_officer)
    html = client.get(reverse(url_name)).content.decode()
    assert worker_cells(html) == {"本乡工人": f"/labor/workers/{local.pk}/", "外乡工人": None}
    assert client.get(f"/labor/workers/{outsider.pk}/").status_code == 404  # where a link would have led


def test_county_staff_get_every_worker_linked(county_officer, mixed_workshop):
    _, local, outsider = mixed_workshop
    client = Client()
    client.force_login(county_officer)
    html = client.get(reverse("labor-placement-list")).content.decode()
    assert worker_cells(html) == {"本乡工人": f"/labor/workers/{local.pk}/",
                                  "外乡工人": f"/labor/workers/{outsider.pk}/"}


def test_deciding_links_costs_the_same_queries_for_more_rows(township_officer, mixed_workshop, taiping,
                                                             django_assert_max_num_queries, django_assert_num_queries):
    from tests.factories import PlacementFactory, VillageFactory, WorkerFactory

    workshop = mixed_workshop[0]
    client = Client()
    client.force_login(township_officer)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("labor-placement-list"))
    for n in range(10):
        PlacementFactory(worker=WorkerFactory(name=f"外乡工人{n}", village=VillageFactory(township=taiping)),
                         workshop=workshop)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(reverse("labor-placement-list")).content.decode()
    assert sum(1 for href in worker_cells(html).values() if href is None) == 11


# --- the error pages -----------------------------------------------------------------------------

def test_the_404_page_is_chinese_with_a_way_back(township_officer, mixed_workshop):
    outsider = mixed_workshop[2]
    client = Client()
    client.force_login(township_officer)
    response = client.get(f"/labor/workers/{outsider.pk}/", HTTP_REFERER="http://testserver/labor/placements/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "不在您的管辖范围内" in html
    assert 'id="home" href="/"' in html and 'id="back" href="http://testserver/labor/placements/"' in html
    assert 'id="top-search"' in html and 'id="whoami"' in html  # the portal's own layout, not Django's
    assert "Not Found" not in html and "The requested resource" not in html


def test_the_404_page_speaks_english_when_chosen(township_officer):
    client = Client()
    client.force_login(township_officer)
    client.cookies["django_language"] = "en"
    html = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page not found" in html and "Back to the home page" in html


def test_the_403_page_is_chinese_with_a_way_back(broker_user):
    client = Client()
    client.force_login(broker_user)
    response = client.get(reverse("core-system-status"))  # county administrators only
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and 'id="home" href="/"' in html and 'id="whoami"' in html


def test_the_500_page_needs_neither_the_request_nor_the_database(db, django_assert_num_queries):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in html and "请稍后再试" in html and 'id="home" href="/"' in html


# --- in a real Chromium, on a phone's width -------------------------------------------------------

PHONE_WIDTH = 360


def fits_the_width(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_the_404_page_on_a_phone(browser, township_officer, mixed_workshop):
    from selenium.webdriver.common.by import By

    from tests.conftest import browser_login
    from tests.factories import PASSWORD

    outsider = mixed_workshop[2]
    browser.set_window_size(PHONE_WIDTH, 800)
    try:
        browser_login(browser, township_officer.username, PASSWORD)
        browser.get(f"{browser.base_url}/labor/workers/{outsider.pk}/")
        assert browser.execute_script("return window.innerWidth") <= PHONE_WIDTH
        assert browser.find_element(By.CSS_SELECTOR, "#error-page h1").text == "页面不存在"
        assert fits_the_width(browser)
        home = browser.find_element(By.ID, "home")
        assert home.is_displayed() and home.text == "返回首页"
        home.click()
        assert browser.find_elements(By.ID, "whoami")
        assert browser.current_url.rstrip("/") == browser.base_url.rstrip("/")
    finally:
        browser.set_window_size(412, 915)
