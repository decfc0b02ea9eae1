"""The broker's phone page and the import preview in a real headless Chromium (412 px wide; the category
change at 1366 and 390 px)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from labor.models import Worker
from tests.conftest import browser_login
from tests.factories import PASSWORD, BrokerFactory, VillageFactory, WorkerFactory

pytestmark = [pytest.mark.browser]
VALID_ID = "34052419800101001X"


def wait_for_text(driver, element_id, text, timeout=10):
    WebDriverWait(driver, timeout).until(EC.text_to_be_present_in_element((By.ID, element_id), text))
    return driver.find_element(By.ID, element_id).text


def test_broker_registers_a_worker_with_live_id_validation(browser, broker_user):
    broker = BrokerFactory(user=broker_user)
    WorkerFactory(name="外村工人", village=VillageFactory(township=broker.village.township))
    browser_login(browser, broker_user.username, PASSWORD)
    browser.find_element(By.ID, "whoami")
    browser.get(f"{browser.base_url}/labor/")
    register = browser.find_element(By.ID, "register")
    assert register.size["height"] >= 44  # a large touch target on a phone

    # Searching for a worker of another village finds nothing.
    search = browser.find_element(By.ID, "q")
    search.send_keys("外村")
    assert "未找到" in wait_for_text(browser, "results", "未找到")

    register.click()
    field = browser.find_element(By.ID, "id_id_number")
    field.send_keys("340524198001010011")  # wrong check character
    assert "校验码" in wait_for_text(browser, "id-check-box", "校验码")
    field.clear()
    field.send_keys(VALID_ID.lower())
    text = wait_for_text(browser, "id-check-box", "1980-01-01")
    assert "有效" in text and "男" in text

    browser.find_element(By.ID, "id_name").send_keys("李明")
    browser.find_element(By.ID, "id_phone").send_keys("13900001111")
    browser.find_element(By.ID, "save").click()
    wait_for_text(browser, "id-number", "340524")
    assert browser.find_element(By.ID, "id-number").text == "340524********001X"
    worker = Worker.objects.get(name="李明")
    assert (worker.id_number, worker.village_id, worker.sex) == (VALID_ID, broker.village_id, "male")


def test_import_preview_then_import_nothing(browser, county_admin, tmp_path):
    village = VillageFactory()
    path = tmp_path / "花名册.csv"
    path.write_text(f"身份证号,姓名,电话,村代码,人员类别\n{VALID_ID},李明,,{village.code},脱贫人口\n"
                    f"340524198001010011,错号,,{village.code},\n{VALID_ID},重复,,{village.code},\n", encoding="utf-8")
    browser_login(browser, county_admin.username, PASSWORD)
    browser.find_element(By.ID, "whoami")
    browser.get(f"{browser.base_url}/labor/imports/")
    browser.find_element(By.ID, "id_file").send_keys(str(path))
    browser.find_element(By.ID, "upload").click()
    problems = browser.find_element(By.ID, "problems").text
    assert "校验码" in problems and "重复行" in problems
    assert "共 3 行，有效 1 行" in browser.find_element(By.ID, "summary").text
    browser.find_element(By.ID, "import-nothing").click()
    assert wait_for_text(browser, "status-label", "未导入") == "未导入"
    assert not Worker.objects.exists()


@pytest.mark.parametrize("width", [1366, 390])
def test_an_import_that_changes_a_category_shows_old_and_new_and_asks_first(browser, county_admin, tmp_path, width):
    worker = WorkerFactory(category="poverty_alleviated")
    path = tmp_path / "花名册.csv"
    path.write_text(f"身份证号,姓名,电话,村代码,人员类别\n{worker.id_number},{worker.name},{worker.phone},"
                    f"{worker.village.code},一般\n", encoding="utf-8")
    browser.set_window_size(width, 900)
    try:
        browser_login(browser, county_admin.username, PASSWORD)
        browser.find_element(By.ID, "whoami")
        browser.get(f"{browser.base_url}/labor/imports/")
        browser.find_element(By.ID, "id_file").send_keys(str(path))
        browser.find_element(By.ID, "upload").click()
        assert "类别: 脱贫人口 → 一般劳动力" in browser.find_element(By.ID, "updates").text
        tick = browser.find_element(By.ID, "confirm-category")
        assert not tick.is_selected()
        browser.find_element(By.ID, "import-valid").click()  # without the tick: refused, nothing changes
        WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "勾选"))
        worker.refresh_from_db()
        assert worker.category == "poverty_alleviated"
        browser.find_element(By.ID, "confirm-category").click()
        browser.find_element(By.ID, "import-valid").click()
        assert wait_for_text(browser, "status-label", "已导入") == "已导入"
        worker.refresh_from_db()
        assert worker.category == "general"
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        browser.set_window_size(412, 915)  # the session default (tests/conftest.py)
