"""A double tap on a slow phone sends a form once (static/js/submit-once.js): 保存并推荐上岗 registers
the worker once and goes on to the posts, 推荐 proposes once and says so, in a real headless Chromium.

On a slow village connection the second tap comes while the first request is on its way; without the
script the browser drops the first page load and sends the form again, and the broker gets "already
registered" for a worker just registered. Two taps in one script turn both into submit events before
either request leaves, so the test sees which of them the page lets through."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from labor.models import Referral, Worker
from tests.conftest import browser_login
from tests.factories import PASSWORD, BrokerFactory, PostFactory, VillageFactory, WorkshopFactory

VALID_ID = "34052419800101001X"
TAP_TWICE = """
const sent = [];
document.addEventListener("submit", (event) => sent.push(!event.defaultPrevented));
arguments[0].click();
arguments[0].click();
return sent;"""


@pytest.mark.browser
def test_a_double_tap_registers_and_proposes_once(browser, broker_user, jiuyuan):
    BrokerFactory(user=broker_user)
    post = PostFactory(workshop=WorkshopFactory(village=VillageFactory(township=jiuyuan)), title="采茶工", headcount=3)
    browser_login(browser, broker_user.username, PASSWORD)
    browser.get(f"{browser.base_url}/labor/workers/new/")
    browser.find_element(By.ID, "id_id_number").send_keys(VALID_ID)
    browser.find_element(By.ID, "id_name").send_keys("李明")
    browser.find_element(By.ID, "id_phone").send_keys("13900001111")
    assert browser.execute_script(TAP_TWICE, browser.find_element(By.ID, "save-and-propose")) == [True, False]

    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "post-choices"))
    assert Worker.objects.filter(id_number=VALID_ID).count() == 1

    browser.find_element(By.CSS_SELECTOR, f"label[for='post-{post.pk}']").click()
    assert browser.execute_script(TAP_TWICE, browser.find_element(By.ID, "propose")) == [True, False]
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "已推荐"))
    assert Referral.objects.filter(worker__id_number=VALID_ID, post=post).count() == 1
