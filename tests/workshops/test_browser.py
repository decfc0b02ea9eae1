"""The workshop page and its certification action in a real headless Chromium."""

from datetime import date

import pytest
from selenium.webdriver.common.by import By

from tests.conftest import browser_login
from tests.factories import PASSWORD, DifficultyFactory, LiaisonFactory, PostFactory, WorkshopFactory

pytestmark = [pytest.mark.browser]


def set_date(driver, element_id: str, value: str):
    # Chromium's date input takes typed digits in the locale's order; setting the value is locale-proof.
    driver.execute_script("document.getElementById(arguments[0]).value = arguments[1];", element_id, value)


def test_officer_certifies_from_the_workshop_page(browser, county_officer, staff):
    workshop = WorkshopFactory(name="旧院黑鸡帮扶车间")
    PostFactory(workshop=workshop, title="黑鸡饲养员", reserved=True)
    LiaisonFactory(workshop=workshop, department="县农业农村局")
    DifficultyFactory(workshop=workshop, description="用电容量不足", category="electricity")
    staff(workshop, 9, assisted=5, start=date(2025, 1, 1))

    browser_login(browser, county_officer.username, PASSWORD)
    browser.find_element(By.ID, "whoami")  # logged in before going on
    browser.get(f"{browser.base_url}/workshops/{workshop.pk}/")
    page = browser.page_source
    for text in ("黑鸡饲养员", "县农业农村局", "用电容量不足", "尚未认定"):
        assert text in page
    assert browser.find_element(By.ID, "workshop-status").text == "已申报"
    assert browser.find_element(By.ID, "headcount").text == "9"

    browser.find_element(By.ID, "certify").click()
    set_date(browser, "id_date", "2025-06-01")
    browser.find_element(By.ID, "confirm").click()
    refusal = browser.find_element(By.ID, "refusal").text
    assert "不符合认定条件" in refusal and "9" in refusal

    staff(workshop, 1, start=date(2025, 1, 1))
    set_date(browser, "id_date", "2025-06-01")
    browser.find_element(By.ID, "confirm").click()
    assert browser.find_element(By.ID, "workshop-status").text == "已认定"
    history = browser.find_element(By.ID, "certification-history").text
    assert "2025-06-01" in history and "10" in history
    assert browser.find_elements(By.ID, "revoke")
