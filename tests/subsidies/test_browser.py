"""The run page's approve flow in a real headless Chromium."""

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.choices import Role
from accounts.permissions import SYSTEM
from subsidies import services
from subsidies.models import SubsidyRun
from tests.conftest import browser_login, find_now
from tests.factories import PASSWORD, PlacementFactory, certified_workshop, make_user, payroll_months

from .conftest import calculate, months


def click_and_confirm(driver, element_id):
    driver.find_element(By.ID, element_id).click()
    WebDriverWait(driver, 5).until(EC.alert_is_present())
    driver.switch_to.alert.accept()


@pytest.mark.browser
def test_maker_submits_and_checker_approves_in_the_browser(browser):
    maker = make_user("maker", Role.COUNTY_OFFICER)
    checker = make_user("checker", Role.COUNTY_ADMIN)
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    run = calculate("2025-01")

    browser_login(browser, maker.username, PASSWORD)
    browser.get(f"{browser.base_url}/subsidies/runs/{run.pk}/")
    assert browser.find_element(By.CSS_SELECTOR, '[data-total="payable"]').text == "800.00"
    assert browser.find_element(By.ID, "township-chart").is_displayed()
    click_and_confirm(browser, "action-submit")
    WebDriverWait(browser, 5).until(
        lambda d: d.find_element(By.ID, "run-status").get_attribute("data-status") == "submitted")
    assert not find_now(browser, By.ID, "action-approve")  # the maker never sees approve
    browser.delete_all_cookies()  # log the maker out

    browser_login(browser, checker.username, PASSWORD)
    browser.get(f"{browser.base_url}/subsidies/runs/{run.pk}/")
    click_and_confirm(browser, "action-approve")
    WebDriverWait(browser, 5).until(
        lambda d: d.find_element(By.ID, "run-status").get_attribute("data-status") == "approved")
    assert "已审批通过" in browser.find_element(By.TAG_NAME, "main").text
    assert SubsidyRun.objects.get(pk=run.pk).approved_by == checker
    assert services.run_calculate(actor=SYSTEM, run_id=run.pk).status == "approved"
