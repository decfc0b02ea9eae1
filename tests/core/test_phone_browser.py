"""Phones first (issue 14, part 3) in a real headless Chromium: no page of any demo role's menu scrolls
sideways at 360 and 390 px (nor each list's first record, nor the create forms its lists link to); a list
is cards on a phone and a table on a desktop; sortable headers show the current order.

The data is the demo county's own (seed_demo's steps at a small scale), so every list has rows."""

import random
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

from accounts.demo import DemoContext
from accounts.models import User
from accounts.navigation import items_for
from labor.models import Worker
from tests.conftest import browser_force_login
from tests.once import committed_once, reads_committed_data

pytestmark = [pytest.mark.browser]

ROLES = ("admin", "county", "township", "broker", "operator", "partner", "station")
WIDTHS = (360, 390)

# Why the page is wider than the window: the outermost elements sticking out, outside any container
# that scrolls or clips them (a wide table inside .table-responsive is fine: only the page must not scroll).
OVERFLOW = """
const width = window.innerWidth, scroll = document.documentElement.scrollWidth;
if (scroll <= width) return null;
const culprits = [];
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.right <= width + 0.5 || box.width === 0) continue;
  let up = el.parentElement, contained = false;
  while (up && up !== document.body) {
    if (getComputedStyle(up).overflowX !== 'visible') { contained = true; break; }
    up = up.parentElement;
  }
  const classes = el.classList.length ? '.' + [...el.classList].join('.') : '';
  if (!contained) culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}` +
                                ` right=${Math.round(box.right)}`);
}
return {scrollWidth: scroll, innerWidth: width, culprits: culprits.slice(-6)};
"""

# The first record each list links to, and the create forms (…/new/) the page links to.
LINKS = """
const here = location.pathname;
const same = (a) => a.origin === location.origin && a.pathname !== here && !a.pathname.endsWith('.xlsx');
const record = [...document.querySelectorAll('.table-cards tbody td a[href]')].find(same);
const creates = [...document.querySelectorAll('main a[href$="/new/"]')].filter(same).map(a => a.pathname);
return {record: record ? record.pathname : null, creates: creates};
"""


def seed_demo_county():
    ctx = DemoContext(rng=random.Random(2025), scale=0.01, log=lambda *a: None)
    for app in ("regions", "industries", "workshops", "labor", "subsidies"):
        import_module(f"{app}.demo").seed(ctx)
    return ctx


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    """The demo county, seeded once for the module's tests: they only open pages and log in."""
    yield from committed_once(django_db_blocker, seed_demo_county)


@pytest.fixture
def transactional_db(demo_county, django_db_blocker):
    """This module's: the tests read the county seeded once above; no flush after each (see tests/once.py)."""
    yield from reads_committed_data(django_db_blocker)


def set_width(driver, width, height=800):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


@pytest.fixture
def phone(browser):
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def menu_paths(user):
    for entry in items_for(user):
        for link in entry["children"] if "children" in entry else [entry]:
            yield urlsplit(link["url"]).path


def overflow_at_both_widths(driver, first=WIDTHS[0]):
    """{width: what overflows} for the page loaded now, at the width it was loaded at (`first`), then the
    other (no reload: the layout is recomputed for the new width). Ends at the other width."""
    found = {}
    for width in sorted(WIDTHS, key=lambda w: w != first):
        if width != first:
            set_width(driver, width)
        problem = driver.execute_script(OVERFLOW)
        if problem:
            found[width] = problem
    return found


@pytest.mark.parametrize("username", ROLES)
def test_no_page_of_a_roles_menu_scrolls_sideways_on_a_phone(phone, demo_county, username):
    user = User.objects.get(username=username)
    width = WIDTHS[0]
    set_width(phone, width)
    browser_force_login(phone, user)
    menu = list(menu_paths(user))
    to_visit = ["/", *menu]
    visited, problems, records = set(), [], 0
    while to_visit:
        path = to_visit.pop(0)
        if path in visited:
            continue
        visited.add(path)
        # each page loads at the width the one before ended at: no resize of a page about to be left
        phone.get(phone.base_url + path)
        assert phone.find_elements(By.ID, "whoami"), (username, path, phone.title)
        found = overflow_at_both_widths(phone, first=width)
        width = next(w for w in WIDTHS if w != width)
        for at, problem in found.items():
            problems.append((path, at, problem))
        if path in menu:  # a list of the menu: its first record and its create forms
            links = phone.execute_script(LINKS)
            if links["record"]:
                records += 1
                to_visit.append(links["record"])
            to_visit.extend(links["creates"])
    assert problems == [], f"{username}: {len(problems)} pages scroll sideways: {problems}"
    if username != "partner":  # the partner system works over the API: its menu may be empty
        assert len(visited) >= 5 and records >= 2, (username, sorted(visited))


def cards_of(driver):
    """What a user sees of each row: its visible cells' text, and the links in it."""
    return driver.execute_script("""
      return [...document.querySelectorAll('.table-cards tbody tr')].map(tr => ({
        top: tr.getBoundingClientRect().top, height: tr.getBoundingClientRect().height,
        width: tr.getBoundingClientRect().width, display: getComputedStyle(tr).display,
        cells: [...tr.children].filter(td => td.offsetParent !== null && td.getBoundingClientRect().height > 0)
               .map(td => getComputedStyle(td, '::before').content.replace(/^"|"$/g, '') + td.innerText.trim()),
        links: [...tr.querySelectorAll('a')].filter(a => a.offsetParent !== null).map(a => a.pathname),
      }));""")


def test_a_list_is_cards_on_a_phone_and_a_table_on_a_desktop(phone, demo_county):
    set_width(phone, 360)
    browser_force_login(phone, User.objects.get(username="township"))
    phone.get(phone.base_url + "/labor/workers/")
    cards = cards_of(phone)
    assert len(cards) >= 5
    assert not phone.find_element(By.CSS_SELECTOR, ".table-cards thead").is_displayed()
    for card in cards[:5]:
        assert card["display"] == "block" and card["width"] <= 360
        # the worker's name (the link to the record), village and category, each labelled; nothing else
        assert [cell.split("：")[0] for cell in card["cells"]] == ["姓名", "村", "类别"], card
        assert all(len(cell.split("：", 1)[1]) > 0 for cell in card["cells"]), card
        assert len(card["links"]) == 1 and card["links"][0].startswith("/labor/workers/")
    assert cards[1]["top"] >= cards[0]["top"] + cards[0]["height"]  # one card under the other
    name = phone.find_element(By.CSS_SELECTOR, ".table-cards tbody tr td a")
    assert name.size["height"] >= 44  # one tap to the record
    name.click()
    assert phone.find_element(By.ID, "id-number")

    set_width(phone, 1366)
    phone.get(phone.base_url + "/labor/workers/")
    assert phone.find_element(By.CSS_SELECTOR, ".table-cards thead").is_displayed()
    rows = cards_of(phone)
    assert rows[0]["display"] == "table-row"
    assert len(rows[0]["cells"]) == 9  # every column of the table
    headers = [th.text for th in phone.find_elements(By.CSS_SELECTOR, ".table-cards thead th")]
    assert headers[:2] == ["姓名↕", "身份证号"]  # a masked ID number is not sortable: no arrow


def test_sortable_headers_show_the_current_order(phone, demo_county):
    set_width(phone, 1366)
    browser_force_login(phone, User.objects.get(username="county"))
    phone.get(phone.base_url + "/labor/workers/")
    name = phone.find_element(By.CSS_SELECTOR, "th.orderable a")
    header = name.find_element(By.XPATH, "..")
    assert header.get_attribute("aria-sort") == "none"
    assert name.find_element(By.CSS_SELECTOR, ".sort-arrow").text == "↕"
    name.click()
    header = phone.find_element(By.CSS_SELECTOR, "th.orderable")
    assert "sort=" in phone.current_url
    assert header.get_attribute("aria-sort") == "ascending"
    assert header.find_element(By.CSS_SELECTOR, ".sort-arrow").text == "▲"
    names = [a.text for a in phone.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")]
    assert names == list(Worker.objects.order_by("name", "pk").values_list("name", flat=True)[:len(names)])
    header.find_element(By.TAG_NAME, "a").click()
    header = phone.find_element(By.CSS_SELECTOR, "th.orderable")
    assert header.get_attribute("aria-sort") == "descending"
    assert header.find_element(By.CSS_SELECTOR, ".sort-arrow").text == "▼"
    # only the sorted column says so; the other sortable headers read "none"
    others = phone.find_elements(By.CSS_SELECTOR, "th.orderable")[1:]
    assert others and {th.get_attribute("aria-sort") for th in others} == {"none"}
