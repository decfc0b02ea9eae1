import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

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
