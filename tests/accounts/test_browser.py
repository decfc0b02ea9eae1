"""The Content-Security-Policy in a real headless Chromium: the pages (charts, htmx, confirmations,
Swagger UI, the admin) load with no CSP violation, and an injected inline script is blocked."""

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.choices import Role
from accounts.models import User
from tests.conftest import browser_login
from tests.factories import PASSWORD, PlacementFactory, WorkshopFactory, certified_workshop, make_user, payroll_months

pytestmark = [pytest.mark.browser]

# Registered by the browser itself before any page script, so it sees violations during page load too.
RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


@pytest.fixture
def csp_browser(browser):
    added = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    yield browser
    browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})


def violations(driver) -> list:
    return driver.execute_script("return window.__cspViolations || [];")


def visit(driver, path, ready_css):
    driver.get(driver.base_url + path)
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ready_css)))
    return violations(driver)


def test_pages_load_without_csp_violations_and_inline_script_is_blocked(csp_browser):
    from tests.subsidies.conftest import calculate, months

    admin = make_user("csp-admin", Role.COUNTY_ADMIN)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    run = calculate("2025-01")
    workshop = WorkshopFactory(name="车间甲")
    driver = csp_browser

    assert visit(driver, "/accounts/login/", "#id_username") == []
    browser_login(driver, admin.username, PASSWORD)
    seen = {}
    for path, ready in [
        ("/", "#whoami"),
        (f"/subsidies/runs/{run.pk}/", "#township-chart"),
        ("/subsidies/runs/", "#run-request"),
        (f"/workshops/{workshop.pk}/", "#workshop-status"),
        ("/labor/workers/new/", "#worker-form"),
        ("/accounts/password/", "#password-form"),
        ("/api/docs/", ".swagger-ui .info .title"),
        ("/api/v1/townships/", ".response-info"),  # DRF's browsable API
        ("/admin/", "#content"),
    ]:
        seen[path] = visit(driver, path, ready)
    assert seen == {path: [] for path in seen}

    # The chart script ran (it draws into the canvas), so scripts from /static/ do run.
    driver.get(f"{driver.base_url}/subsidies/runs/{run.pk}/")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return !!(window.Chart && Chart.getChart(document.getElementById('township-chart')));"))

    # A script element an attacker managed to put into a page does not run.
    driver.execute_script("var s = document.createElement('script'); s.textContent = 'window.__pwned = 1;';"
                          "document.body.appendChild(s);")
    assert driver.execute_script("return window.__pwned;") is None
    assert any(v.startswith("script-src") for v in violations(driver))


def test_a_confirmation_still_asks_before_sending(csp_browser):
    """The confirmations moved from inline onsubmit handlers to static/js/confirm.js: dismissing the
    question still keeps the form from being sent."""
    admin = make_user("csp-confirm", Role.COUNTY_ADMIN)
    driver = csp_browser
    browser_login(driver, admin.username, PASSWORD)
    from subsidies.models import SubsidyRun

    driver.get(driver.base_url + "/subsidies/runs/")
    form = driver.find_element(By.ID, "run-request")
    driver.execute_script("arguments[0].querySelector('input[name=month]').value = '2025-01';", form)
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    WebDriverWait(driver, 5).until(EC.alert_is_present())
    assert "计算" in driver.switch_to.alert.text
    driver.switch_to.alert.dismiss()
    assert driver.current_url.endswith("/subsidies/runs/") and not SubsidyRun.objects.exists()
    assert violations(driver) == []
