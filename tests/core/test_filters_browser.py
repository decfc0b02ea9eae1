"""In a real Chromium (issue 14): a township filter chosen by typing "旧院", suggestions offered while typing
(within the user's scope), the list then showing only that township's rows with its count, and a saved
filter reopened from the list's drop-down."""

import pytest

from tests.factories import VillageFactory, WorkshopFactory


@pytest.fixture
def shops(jiuyuan, taiping):
    WorkshopFactory(name="旧院茶叶车间", village=VillageFactory(township=jiuyuan))
    WorkshopFactory(name="旧院黑鸡车间", village=VillageFactory(township=jiuyuan))
    WorkshopFactory(name="太平果蔬车间", village=VillageFactory(township=taiping))


def options(driver, input_id):
    return driver.execute_script(
        "var list = document.getElementById(arguments[0].getAttribute('list'));"
        "return Array.from(list.options).map(function (o) { return o.value; });",
        driver.find_element("id", input_id))


def rows(driver, find=None):
    """The rows' names; `find=find_now` where there may be none (no waiting for one to appear)."""
    from selenium.webdriver.common.by import By

    found = (find or type(driver).find_elements)(driver, By.CSS_SELECTOR, "table tbody tr td:first-child a")
    return sorted(a.text for a in found)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
def test_a_township_is_chosen_by_typing_part_of_its_name(browser, county_officer, shops, width):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.conftest import browser_login, find_now
    from tests.factories import PASSWORD

    browser.set_window_size(width, 900)
    try:
        browser_login(browser, county_officer.username, PASSWORD)
        browser.get(browser.base_url + "/workshops/")
        assert browser.find_element(By.ID, "row-count").text == "共 3 条"
        box = browser.find_element(By.ID, "id_township")
        assert box.get_attribute("placeholder") == "全部"
        box.send_keys("旧院")
        WebDriverWait(browser, 10).until(lambda d: options(d, "id_township") == ["旧院镇"])
        box.submit()
        WebDriverWait(browser, 10).until(lambda d: "township=" in d.current_url)
        assert rows(browser) == ["旧院茶叶车间", "旧院黑鸡车间"]
        assert browser.find_element(By.ID, "row-count").text == "共 2 条"
        assert browser.find_element(By.ID, "id_township").get_attribute("value") == "旧院"
        assert not find_now(browser, By.CSS_SELECTOR, ".filter-error")

        # saved under a name, it is offered on the list and reopens it filtered
        browser.find_element(By.ID, "save-filter-name").send_keys("旧院的车间")
        browser.find_element(By.CSS_SELECTOR, "#save-filter button[type=submit]").click()
        WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "saved-filter-menu"))
        browser.get(browser.base_url + "/workshops/")
        assert len(rows(browser)) == 3
        browser.find_element(By.ID, "saved-filter-menu").click()
        link = WebDriverWait(browser, 5).until(
            lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, ".saved-filter a") if a.is_displayed()), None))
        assert link.text == "旧院的车间"
        link.click()
        WebDriverWait(browser, 10).until(lambda d: "township=" in d.current_url)
        assert rows(browser) == ["旧院茶叶车间", "旧院黑鸡车间"]
    finally:
        browser.set_window_size(412, 915)


@pytest.mark.browser
def test_a_township_officer_is_offered_only_their_own(browser, township_officer, shops):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.conftest import browser_login, find_now
    from tests.factories import PASSWORD

    browser_login(browser, township_officer.username, PASSWORD)
    browser.get(browser.base_url + "/workshops/")
    box = browser.find_element(By.ID, "id_township")
    box.send_keys("太平")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.getElementById('id_township-choices').dataset.filledFor")
        == "太平")
    assert options(browser, "id_township") == []
    box.submit()
    WebDriverWait(browser, 10).until(lambda d: "township=" in d.current_url)
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".filter-error")] == ["没有名为“太平”的乡镇。"]
    assert rows(browser, find=find_now) == []
