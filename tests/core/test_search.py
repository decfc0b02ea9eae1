"""The top bar's search: workers by a whole ID number, a whole phone or part of a name, workshops and
enterprises by part of their name, always within the user's scope, results grouped and linked."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from labor import resident_id
from tests.factories import (
    EnterpriseFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_user,
)


def search(user, q, language="zh-hans"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("core-search"), {"q": q}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def group(html, key):
    """The results group `search-<key>` as (link text, href) pairs; [] when the group is absent."""
    match = re.search(rf'<section class="mb-3" id="search-{key}">(.*?)</section>', html, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(1)) if match else []


@pytest.fixture
def people(jiuyuan, taiping):
    here = VillageFactory(township=jiuyuan)
    there = VillageFactory(township=taiping)
    return {
        "here": WorkerFactory(name="张秀兰", phone="13900000001", village=here),
        "there": WorkerFactory(name="张德明", phone="13900000002", village=there),
    }


def test_a_name_finds_workers_of_the_users_area_only(township_officer, people):
    html = search(township_officer, "张")
    here = people["here"]
    assert group(html, "workers") == [(reverse("labor-worker-detail", args=[here.pk]), "张秀兰")]
    assert "张德明" not in html
    # outside the county roles the number is shown masked, never whole
    assert resident_id.mask(here.id_number) in html and here.id_number not in html


def test_county_staff_find_the_whole_county_and_see_whole_numbers(county_officer, people):
    html = search(county_officer, "张")
    assert {name for _, name in group(html, "workers")} == {"张秀兰", "张德明"}
    assert people["there"].id_number in html


def test_an_id_number_is_found_only_whole(county_officer, people):
    number = people["here"].id_number
    assert group(search(county_officer, number), "workers") == [
        (reverse("labor-worker-detail", args=[people["here"].pk]), "张秀兰")]
    assert group(search(county_officer, number.lower()), "workers")  # a lower-case x is the same number
    for part in (number[:14], number[6:14], number[:17], number[-4:]):  # birth dates stay hidden
        html = search(county_officer, part)
        assert group(html, "workers") == [], part
        assert 'id="search-none"' in html


def test_an_id_number_outside_the_scope_finds_nothing(township_officer, people):
    html = search(township_officer, people["there"].id_number)
    assert group(html, "workers") == [] and "张德明" not in html


def test_a_phone_is_found_only_whole(township_officer, people):
    assert [name for _, name in group(search(township_officer, "13900000001"), "workers")] == ["张秀兰"]
    assert group(search(township_officer, "1390000000"), "workers") == []
    assert group(search(township_officer, "13900000002"), "workers") == []  # another township's worker


def test_workshops_and_enterprises_are_found_by_name_within_scope(township_officer, jiuyuan, taiping):
    enterprise = EnterpriseFactory(name="旧院黑鸡食品有限公司", township=jiuyuan)
    EnterpriseFactory(name="太平黑鸡养殖有限公司", township=taiping)
    workshop = WorkshopFactory(name="旧院黑鸡帮扶车间", village=VillageFactory(township=jiuyuan), enterprise=enterprise)
    WorkshopFactory(name="太平黑鸡帮扶车间", village=VillageFactory(township=taiping))
    html = search(township_officer, "黑鸡")
    assert group(html, "workshops") == [(reverse("workshop-detail", args=[workshop.pk]), "旧院黑鸡帮扶车间")]
    assert group(html, "enterprises") == [(reverse("enterprise-detail", args=[enterprise.pk]), "旧院黑鸡食品有限公司")]
    assert "太平" not in html


def test_every_result_opens(broker_user, township_officer, county_admin, people, jiuyuan):
    WorkshopFactory(name="旧院张家车间", village=VillageFactory(township=jiuyuan))
    for user in (broker_user, township_officer, county_admin):
        client = Client()
        client.force_login(user)
        html = client.get(reverse("core-search"), {"q": "张"}).content.decode()
        links = [href for key in ("workers", "workshops", "enterprises") for href, _ in group(html, key)]
        for href in links:
            assert client.get(href).status_code == 200, (user.username, href)


def test_many_hits_are_cut_and_said(county_officer, jiuyuan):
    village = VillageFactory(township=jiuyuan)
    for n in range(22):
        WorkerFactory(name=f"李{n:02d}", village=village)
    html = search(county_officer, "李")
    assert len(group(html, "workers")) == 20
    assert "仅显示前 20 条" in html


def test_the_page_is_chinese_with_english_available(township_officer, people):
    assert "没有找到“无此人”" in search(township_officer, "无此人")
    assert "Nothing found for “无此人” in your area." in search(township_officer, "无此人", language="en")


def test_signed_out_visitors_are_sent_to_the_login(db):
    response = Client().get(reverse("core-search"), {"q": "张"})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_top_bar_has_the_search_box(township_officer):
    client = Client()
    client.force_login(township_officer)
    html = client.get(reverse("labor-worker-list")).content.decode()
    assert f'action="{reverse("core-search")}"' in html and 'id="top-search-q"' in html


def test_the_operator_finds_only_their_workshops_people(people, jiuyuan):
    from tests.factories import PlacementFactory

    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    PlacementFactory(worker=people["here"], workshop=workshop)
    other = WorkerFactory(name="张三", village=people["here"].village)
    operator = make_user("op", Role.WORKSHOP_OPERATOR, township=jiuyuan, workshop=workshop)
    names = [name for _, name in group(search(operator, "张"), "workers")]
    assert names == ["张秀兰"] and other.name not in names


@pytest.mark.browser
def test_the_search_box_on_a_phone(browser, township_officer, people):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.conftest import browser_login
    from tests.factories import PASSWORD

    browser.set_window_size(360, 800)
    try:
        browser_login(browser, township_officer.username, PASSWORD)
        assert browser.execute_script("return window.innerWidth") <= 360
        browser.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()  # the menu folds on a phone
        box = browser.find_element(By.ID, "top-search-q")
        WebDriverWait(browser, 5).until(lambda d: box.is_displayed())
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        box.send_keys("张", Keys.ENTER)
        link = browser.find_element(By.CSS_SELECTOR, "#search-workers a")
        assert link.text == "张秀兰" and "张德明" not in browser.page_source
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        link.click()
        assert browser.find_element(By.ID, "breadcrumbs").text.endswith("张秀兰")
    finally:
        browser.set_window_size(412, 915)
