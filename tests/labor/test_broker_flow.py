"""The broker registers a worker and proposes them for a post in at most 4 taps plus typing (issue 14,
part 3), in a real headless Chromium at a phone's width; the posts on offer say their workshop,
vacancies and wage (part 7: the "propose for a post" box was two bare drop-downs)."""

from datetime import date
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from labor.models import Referral, Worker
from tests.conftest import browser_login
from tests.factories import (
    PASSWORD,
    BrokerFactory,
    PlacementFactory,
    PostFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
)

VALID_ID = "34052419800101001X"


@pytest.fixture
def posts(jiuyuan):
    """A tea workshop's post with 2 of 3 places left, and a full post of another workshop."""
    tea = WorkshopFactory(name="旧院茶叶帮扶车间", village=VillageFactory(township=jiuyuan))
    picking = PostFactory(workshop=tea, title="采茶工", headcount=3, monthly_wage=Decimal("3200.00"))
    PlacementFactory(worker=WorkerFactory(), workshop=tea, post=picking, start_date=date(2025, 1, 1))
    PlacementFactory(worker=WorkerFactory(), workshop=tea, post=picking, start_date=date(2024, 1, 1),
                     end_date=date(2024, 12, 31))  # ended: the place is free again
    herbs = WorkshopFactory(name="旧院中药材车间", village=VillageFactory(township=jiuyuan))
    full = PostFactory(workshop=herbs, title="分拣工", headcount=1, monthly_wage=Decimal("2800.50"))
    PlacementFactory(worker=WorkerFactory(), workshop=herbs, post=full, start_date=date(2025, 1, 1))
    return picking, full


@pytest.mark.browser
def test_register_and_propose_in_four_taps(browser, broker_user, posts):
    picking, full = posts
    broker = BrokerFactory(user=broker_user)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    try:
        browser_login(browser, broker_user.username, PASSWORD)
        browser.get(f"{browser.base_url}/labor/")  # 我的村, the broker's home
        taps = 0

        def tap(element):
            nonlocal taps
            taps += 1
            element.click()

        tap(browser.find_element(By.ID, "register"))
        browser.find_element(By.ID, "id_id_number").send_keys(VALID_ID)
        browser.find_element(By.ID, "id_name").send_keys("李明")
        browser.find_element(By.ID, "id_phone").send_keys("13900001111")
        button = browser.find_element(By.ID, "save-and-propose")
        assert button.text == "保存并推荐上岗" and button.size["height"] >= 44
        tap(button)

        choices = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "post-choices"))
        assert "选择岗位" in choices.text
        cards = {card.find_element(By.CSS_SELECTOR, ".post-workshop").text: card.text
                 for card in choices.find_elements(By.CSS_SELECTOR, "label.post-choice")}
        assert "采茶工" in cards["旧院茶叶帮扶车间"]
        assert "空缺 2 / 3 人" in cards["旧院茶叶帮扶车间"] and "月薪 3,200.00 元" in cards["旧院茶叶帮扶车间"]
        assert "空缺 0 / 1 人" in cards["旧院中药材车间"] and "月薪 2,800.50 元" in cards["旧院中药材车间"]
        assert list(cards)[0] == "旧院茶叶帮扶车间"  # posts with places left come first
        card = browser.find_element(By.CSS_SELECTOR, f"label[for='post-{picking.pk}']")
        assert card.size["height"] >= 44
        tap(card)
        tap(browser.find_element(By.ID, "propose"))

        # (the expected condition reads a <main> of the page being left as "not yet", not a stale element)
        WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "已推荐"))
        assert taps == 4
        worker = Worker.objects.get(id_number=VALID_ID)
        referral = Referral.objects.get(worker=worker)
        assert (referral.post, referral.broker, referral.outcome) == (picking, broker, "pending")
        assert browser.current_url.endswith(f"/labor/workers/{worker.pk}/")
        assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_worker_pages_propose_box_is_labelled_and_says_workshop_vacancies_and_wage(page, broker_user, posts):
    picking, full = posts
    BrokerFactory(user=broker_user)
    worker = WorkerFactory(name="本村工人", village=broker_user.village)
    html = page(broker_user).get(f"/labor/workers/{worker.pk}/").content.decode()
    box = html.split('id="propose-form"', 1)[1].split("</form>", 1)[0]
    assert '<label class="form-label" for="id_post">岗位</label>' in box
    assert '<label class="form-label" for="id_job_fair">专场招聘</label>' in box
    assert f'<option value="{picking.pk}">旧院茶叶帮扶车间 · 采茶工 — 空缺 2 人 · 月薪 3,200.00 元</option>' in box
    assert f'<option value="{full.pk}">旧院中药材车间 · 分拣工 — 空缺 0 人 · 月薪 2,800.50 元</option>' in box
    assert "选择岗位" in box and "无（非专场招聘）" in box  # no bare "---------"
    assert f'href="/labor/workers/{worker.pk}/propose/"' in box


def test_the_proposal_page_without_a_choice_says_so_on_the_page(page, broker_user, posts):
    BrokerFactory(user=broker_user)
    worker = WorkerFactory(village=broker_user.village)
    client = page(broker_user)
    response = client.post(f"/labor/workers/{worker.pk}/propose/", {"from": "page"})
    assert response.status_code == 200
    errors = response.content.decode().split('id="post-choices"', 1)[1].split("</fieldset>", 1)[0]
    assert "该字段是必填项。" in errors
    assert not Referral.objects.exists()
    # a second proposal for the same post is refused on the page, next to the posts
    client.post(f"/labor/workers/{worker.pk}/propose/", {"from": "page", "post": posts[0].pk})
    again = client.post(f"/labor/workers/{worker.pk}/propose/", {"from": "page", "post": posts[0].pk})
    assert again.status_code == 200
    choices = again.content.decode().split('id="post-choices"', 1)[1].split("</fieldset>", 1)[0]
    assert "此人已被推荐到该岗位。" in choices
    assert Referral.objects.count() == 1


def test_registering_without_propose_goes_to_the_worker(page, broker_user):
    BrokerFactory(user=broker_user)
    client = page(broker_user)
    data = {"id_number": VALID_ID, "name": "李明", "phone": "13900001111", "village": broker_user.village.pk,
            "category": "general"}
    worker_page = client.post("/labor/workers/new/", data)
    worker = Worker.objects.get()
    assert worker_page.url == f"/labor/workers/{worker.pk}/"
    Worker.objects.all().delete()
    proposing = client.post("/labor/workers/new/", {**data, "then": "propose"})
    assert proposing.url == f"/labor/workers/{Worker.objects.get().pk}/propose/"
