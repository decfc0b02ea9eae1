import pytest
from selenium.webdriver.common.by import By

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
    assert browser.find_element(By.ID, "whoami").text.startswith(county_officer.username)
