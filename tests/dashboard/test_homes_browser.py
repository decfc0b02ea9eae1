"""Each role's home in a real Chromium at 1366 px and at 390 px (issue 14): the to-do shows the counts
computed by hand for the county of tests/dashboard/test_todo.py, a click on each opens a list of
exactly that many rows, and at 360 px no home scrolls sideways.

The home is loaded once and measured at each width (a new window size lays the page out again, as a
reload would; half a second of Chromium saved a load); each to-do link is clicked at the phone's width and,
at the desktop's, shown where a click lands on it (what a click needs) with the same target."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.choices import Role
from tests.conftest import browser_force_login
from tests.dashboard.test_todo import BROKER_HOME, EXPECTED, build_county
from tests.factories import township
from tests.once import committed_once, reads_committed_data

WIDTHS = ((1366, 900), (390, 844))

# How many rows the page the browser is on lists: the runs page's months without a run, the import
# page's imports, else the table's rows (its "no rows" line is not one).
ROWS = """
if (location.hash === '#gap-months') return document.querySelectorAll('#gap-months [data-gap]').length;
if (location.pathname === '/labor/imports/')
  return [...document.querySelectorAll('main .list-group-item a')]
    .filter(a => /^\\/labor\\/imports\\/\\d+\\/$/.test(a.getAttribute('href'))).length;
return [...document.querySelectorAll('main table tbody tr')].filter(tr => !tr.querySelector('td[colspan]')).length;
"""


def fits(browser) -> bool:
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


# Where a click on the element lands: on it (not under another element), with its target; None if not.
TAPPABLE = """
const element = arguments[0];
element.scrollIntoView({block: 'center', behavior: 'instant'});
const box = element.getBoundingClientRect();
const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
return box.width > 0 && box.height > 0 && hit !== null && element.contains(hit) ? element.href : null;
"""


def wait(browser):
    return WebDriverWait(browser, 10, poll_frequency=0.05)


def open_home(browser):
    browser.get(browser.base_url + "/")
    wait(browser).until(lambda d: d.find_elements(By.ID, "todo"))


def back_home(browser):
    """Back to the home from the list a click opened (the same page as a fresh load of it: nothing changed)."""
    browser.back()
    wait(browser).until(lambda d: d.current_url == d.base_url + "/" and d.find_elements(By.ID, "todo"))
    browser.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")  # where a fresh load starts


def tappable_target(browser, selector: str):
    element = browser.find_element(By.CSS_SELECTOR, selector)
    return element.is_displayed() and browser.execute_script(TAPPABLE, element)


def shown_counts(browser) -> dict:
    return {element.get_attribute("data-todo-count"): int(element.text.replace(",", ""))
            for element in browser.find_elements(By.CSS_SELECTOR, "#todo [data-todo-count]")}


def click_and_count(browser, selector: str) -> int:
    element = browser.find_element(By.CSS_SELECTOR, selector)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    target = element.get_attribute("href")
    # back_home: no scroll restored after the page is shown again, which would race the next click
    browser.execute_script("history.scrollRestoration = 'manual'")
    element.click()
    wait(browser).until(lambda d: d.current_url == target)
    return browser.execute_script(ROWS)


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """The county of test_todo, built once for the module's tests: they only log in and open pages."""
    yield from committed_once(django_db_blocker, lambda: build_county(township("511781102"), township("511781100")))


@pytest.fixture
def transactional_db(county, django_db_blocker):
    """This module's: the tests read the county built once above; no flush after each (see tests/once.py)."""
    yield from reads_committed_data(django_db_blocker)


@pytest.mark.browser
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_roles_home_and_to_do_at_desktop_and_phone_width(browser, county, role):
    user = county[role]
    browser_force_login(browser, user)
    try:
        browser.set_window_size(*WIDTHS[0])
        open_home(browser)
        targets = {}
        for width, height in WIDTHS:
            browser.set_window_size(width, height)
            assert shown_counts(browser) == EXPECTED[role], width
            assert fits(browser), width
            for key in EXPECTED[role]:
                target = tappable_target(browser, f'#todo a[data-todo="{key}"]')
                assert target, (width, key, "not where a click lands")
                targets.setdefault(key, set()).add(target)
            browser.save_screenshot(f"/tmp/home-{role}-{width}.png")
        browser.set_window_size(360, 800)
        assert fits(browser), "sideways scroll at 360 px"
        browser.set_window_size(*WIDTHS[1])
        for n, (key, count) in enumerate(EXPECTED[role].items()):
            assert len(targets[key]) == 1, (key, targets[key])  # the same list at both widths
            if n:
                back_home(browser)
            assert click_and_count(browser, f'#todo a[data-todo="{key}"]') == count, (WIDTHS[1], key)
    finally:
        browser.set_window_size(412, 915)


@pytest.mark.browser
def test_the_brokers_village_figures_and_mine_lead_to_exactly_those_rows(browser, county):
    broker = county[Role.BROKER]
    browser_force_login(browser, broker)
    try:
        browser.set_window_size(390, 844)
        open_home(browser)
        # the two big buttons fill the phone's width
        for button in ("home-register", "home-propose"):
            element = browser.find_element(By.ID, button)
            assert "btn-lg" in element.get_attribute("class")
            assert element.size["width"] >= 300, button
        assert browser.find_element(By.ID, "home-register").text == "登记人员"
        assert browser.find_element(By.ID, "home-propose").text == "推荐上岗"
        for key in ("workers", "placements"):
            if key != "workers":
                back_home(browser)
            number = int(browser.find_element(By.CSS_SELECTOR, f'[data-home-count="{key}"]').text)
            assert number == BROKER_HOME[key]
            assert click_and_count(browser, f'a[data-home="{key}"]') == number, key
        back_home(browser)
        assert click_and_count(browser, "#home-my-referrals") == BROKER_HOME["my_referrals"]
        back_home(browser)
        browser.find_element(By.ID, "home-register").click()
        wait(browser).until(lambda d: d.current_url.endswith("/labor/workers/new/"))
    finally:
        browser.set_window_size(412, 915)
