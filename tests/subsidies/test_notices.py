"""Public notices (公示) of a run: what is listed and masked, the period of five working days, who may
record a notice as posted, the mark-paid warning, the run API's `notices`, Excel and printing."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import Role
from accounts.exceptions import Conflict
from accounts.models import AuditEvent
from labor.resident_id import mask
from subsidies.choices import LineStatus
from subsidies.models import RunNotice, SubsidyLine
from subsidies.notices import add_working_days
from subsidies.services.notices import notice_post
from tests.conftest import api_for
from tests.exports import export, exported
from tests.factories import PlacementFactory, VillageFactory, WorkerFactory, certified_workshop, payroll_months

from .conftest import approve, calculate, months

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(jiuyuan, taiping):
    home = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源茶叶车间")
    away = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=taiping), name="太平黑鸡车间")
    double = WorkerFactory(name="重复务工")  # works in both: flagged, its lines withheld
    for _ in range(3):
        payroll_months(PlacementFactory(workshop=home), months("2025-01", "2025-01"))
    payroll_months(PlacementFactory(workshop=away), months("2025-01", "2025-01"))
    payroll_months(PlacementFactory(worker=double, workshop=home), months("2025-01", "2025-01"))
    payroll_months(PlacementFactory(worker=double, workshop=away), months("2025-01", "2025-01"))
    return {"home": home, "away": away, "run": calculate("2025-01"), "double": double}


@pytest.fixture
def approved(data, county_officer, checker):
    return approve(data["run"], county_officer, checker)


def notice_url(run, township, **query):
    from urllib.parse import urlencode
    return f"/subsidies/runs/{run.pk}/notices/{township.code}/" + (f"?{urlencode(query)}" if query else "")


def test_working_days_skip_weekends():
    assert add_working_days(date(2026, 11, 23), 5) == date(2026, 11, 27)  # Monday → Friday
    assert add_working_days(date(2026, 11, 27), 5) == date(2026, 12, 3)  # Friday → Thursday
    assert add_working_days(date(2026, 11, 28), 5) == date(2026, 12, 4)  # a Saturday begins on Monday


def test_the_notice_lists_exactly_the_townships_payable_lines_with_every_id_masked(
        client, county_admin, approved, data, jiuyuan):
    client.force_login(county_admin)  # even county staff print masked numbers: the notice is public
    body = client.get(notice_url(approved, jiuyuan)).content.decode()
    payable = SubsidyLine.objects.filter(run=approved, status=LineStatus.PAYABLE,
                                         workshop__village__township=jiuyuan).select_related("worker")
    assert payable.exists()
    assert body.count("<tr data-row>") == payable.values("worker", "component").distinct().count()
    for line in payable:
        assert mask(line.worker.id_number) in body
    for worker in WorkerFactory._meta.model.objects.all():
        assert worker.id_number not in body  # no number in full, payable or not
    assert data["double"].name not in body  # withheld lines are not noticed
    assert "太平黑鸡车间" not in body  # nor another township's
    total = sum((line.amount for line in payable), Decimal("0"))
    assert f'id="notice-total">{total:,.2f}' in body
    assert approved.policy.name in body and approved.policy.document_number in body


def test_the_notice_period_is_five_working_days_from_the_chosen_date(client, county_admin, approved, jiuyuan):
    client.force_login(county_admin)
    body = client.get(notice_url(approved, jiuyuan, start="2026-11-27", office="旧院镇劳务站",
                                 phone="0818-8600000")).content.decode()
    assert "2026年11月27日" in body and "2026年12月3日" in body
    assert "旧院镇劳务站" in body and "0818-8600000" in body


def test_a_township_officer_prints_only_their_township(client, township_officer, approved, jiuyuan, taiping):
    client.force_login(township_officer)
    assert client.get(notice_url(approved, jiuyuan)).status_code == 200
    assert client.get(notice_url(approved, taiping)).status_code == 404
    assert client.get(f"/subsidies/runs/{approved.pk}/sheets/{taiping.code}/").status_code == 404


def test_a_draft_run_has_no_notice(client, county_admin, data, jiuyuan):
    client.force_login(county_admin)
    assert client.get(notice_url(data["run"], jiuyuan)).status_code == 404


def test_the_notice_as_excel_has_the_same_rows_and_exact_amounts(client, county_admin, approved, jiuyuan):
    client.force_login(county_admin)
    download = export(client, notice_url(approved, jiuyuan, format="xlsx"))  # a Download in 我的下载, not the file
    assert download.owner == county_admin and download.list_name == "subsidy-notice-print"
    response = exported(client, notice_url(approved, jiuyuan, format="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    items = [row for row in rows if isinstance(row[0], int)]
    payable = SubsidyLine.objects.filter(run=approved, status=LineStatus.PAYABLE,
                                         workshop__village__township=jiuyuan)
    assert len(items) == payable.values("worker", "component").distinct().count()
    assert all("*" * 8 in row[3] for row in items)
    assert sum(Decimal(str(row[5])) for row in items) == sum(line.amount for line in payable)


def test_the_notice_page_in_a_constant_number_of_queries(client, county_admin, approved, data, jiuyuan,
                                                         django_assert_max_num_queries):
    client.force_login(county_admin)
    with django_assert_max_num_queries(12) as first:
        client.get(notice_url(approved, jiuyuan))
    before = len(first.captured_queries)
    for _ in range(5):
        payroll_months(PlacementFactory(workshop=data["home"]), months("2025-02", "2025-02"))
    run = calculate("2025-02")
    approve(run, *_maker_checker())
    with django_assert_max_num_queries(before):
        body = client.get(notice_url(run, jiuyuan)).content.decode()
    assert body.count("<tr data-row>") >= 5


def _maker_checker():
    from accounts.models import User
    return User.objects.get(username="county-officer"), User.objects.get(username="county-checker")


def test_posting_a_notice_is_checked_audited_and_once_per_township(township_officer, approved, jiuyuan, taiping):
    notice = notice_post(actor=township_officer, run=approved, township=jiuyuan, posted_on=date(2026, 11, 27))
    assert (notice.posted_on, notice.ends_on, notice.posted_by) == (date(2026, 11, 27), date(2026, 12, 3),
                                                                    township_officer)
    event = AuditEvent.objects.get(action="subsidy_run.notice_post", object_id=str(approved.pk))
    assert event.changes["ends_on"] == [None, "2026-12-03"]
    with pytest.raises(Conflict):
        notice_post(actor=township_officer, run=approved, township=jiuyuan, posted_on=date(2026, 11, 30))
    with pytest.raises(PermissionDenied):
        notice_post(actor=township_officer, run=approved, township=taiping, posted_on=date(2026, 11, 27))
    assert RunNotice.objects.count() == 1


def test_a_workshop_operator_may_not_post_or_print(client, approved, data, jiuyuan):
    from tests.factories import make_user
    operator = make_user("op", Role.WORKSHOP_OPERATOR, workshop=data["home"])
    with pytest.raises(PermissionDenied):
        notice_post(actor=operator, run=approved, township=jiuyuan, posted_on=date(2026, 11, 27))
    client.force_login(operator)
    assert client.get(notice_url(approved, jiuyuan)).status_code == 403


def test_mark_paid_warns_until_every_notice_is_posted_and_over(client, county_admin, approved, jiuyuan, taiping):
    client.force_login(county_admin)
    page = f"/subsidies/runs/{approved.pk}/"
    body = client.get(page).content.decode()
    assert 'id="paid-warnings"' in body
    warnings = body.split('id="paid-warnings"')[1].split("</ul>")[0]
    assert f"{jiuyuan.name}：公示尚未张贴" in warnings and f"{taiping.name}：公示尚未张贴" in warnings
    today = timezone.localdate()
    # Posted today: its period has not ended.
    response = client.post(f"/subsidies/runs/{approved.pk}/notices/", {"township": jiuyuan.code,
                                                                      "posted_on": today.isoformat()})
    assert response.status_code == 302
    notice = RunNotice.objects.get(run=approved, township=jiuyuan)
    warnings = client.get(page).content.decode().split('id="paid-warnings"')[1].split("</ul>")[0]
    assert f"{notice.ends_on:%Y-%m-%d}" in warnings and "太平" in warnings
    # Both posted long enough ago: no warning.
    RunNotice.objects.all().delete()
    for place in (jiuyuan, taiping):
        notice_post(actor=county_admin, run=approved, township=place, posted_on=today - timedelta(days=14))
    body = client.get(page).content.decode()
    assert 'id="paid-warnings"' not in body and 'id="action-mark-paid"' in body
    assert body.count("data-notice=") == 2


def test_the_run_api_lists_its_notices_in_scope(county_admin, township_officer, approved, jiuyuan, taiping):
    notice_post(actor=county_admin, run=approved, township=jiuyuan, posted_on=date(2026, 11, 27))
    notice_post(actor=county_admin, run=approved, township=taiping, posted_on=date(2026, 11, 30))
    body = api_for(county_admin).get(f"/api/v1/subsidy-runs/{approved.pk}/").json()
    assert body["notices"] == [  # by township code: 太平 (100) before 旧院 (102)
        {"township": taiping.code, "village": None, "posted_on": "2026-11-30", "ends_on": "2026-12-04"},
        {"township": jiuyuan.code, "village": None, "posted_on": "2026-11-27", "ends_on": "2026-12-03"},
    ]
    mine = api_for(township_officer).get(f"/api/v1/subsidy-runs/{approved.pk}/").json()["notices"]
    assert [n["township"] for n in mine] == [jiuyuan.code]


# --- printing in a real headless Chromium -----------------------------------------------------------

def print_to_pdf(driver, url: str, landscape: bool = False) -> list[str]:
    """The page printed to PDF by Chromium (A4, the page's own CSS page size), as text per page."""
    import base64

    from .pdf_text import pages_text

    driver.get(url)
    printed = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
    return pages_text(base64.b64decode(printed["data"]))


@pytest.mark.browser
def test_printed_notice_and_payment_sheets_repeat_their_header_on_every_page(browser):
    from accounts.models import User
    from tests.conftest import browser_login
    from tests.factories import PASSWORD, make_user, township

    jiuyuan = township("511781102")
    officer = make_user("jiuyuan-printer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    home = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源茶叶车间")
    for _ in range(45):
        payroll_months(PlacementFactory(workshop=home), months("2025-01", "2025-01"))
    run = approve(calculate("2025-01"), make_user("maker", Role.COUNTY_OFFICER),
                  make_user("checker", Role.COUNTY_ADMIN))
    assert User.objects.filter(username="jiuyuan-printer").exists()
    rows = SubsidyLine.objects.filter(run=run, status=LineStatus.PAYABLE).values("worker", "component").distinct()
    browser_login(browser, officer.username, PASSWORD)

    pages = print_to_pdf(browser, f"{browser.base_url}/subsidies/runs/{run.pk}/notices/{jiuyuan.code}/"
                                  "?start=2026-11-27&office=旧院镇劳务服务站&phone=0818-8600000")
    # 90-odd rows of about 7 mm on A4: several pages, not dozens
    assert 2 <= len(pages) <= max(3, rows.count() // 20), len(pages)
    for number, text in enumerate(pages, start=1):
        flat = text.replace("\n", "")
        # the repeated header (caption and column heads); the fonts' maps give a few characters in their
        # radical forms (页 as ⻚), so the page number is matched around them
        assert "2025-01 奖补 · 旧院镇序号" in flat and "身份证号" in flat, (number, text[:300])
        assert re.search(rf"第 {number} \S / 共 {len(pages)} \S", flat), flat[:40]  # the page number
    assert "2026年12月3日" in pages[-1].replace("\n", "")
    assert "旧院镇劳务服务站" in pages[-1].replace("\n", "")

    sheets = print_to_pdf(browser, f"{browser.base_url}/subsidies/runs/{run.pk}/sheets/{jiuyuan.code}/")
    # 45 workers on one workshop's sheet (landscape) then the township summary on its own page
    assert 2 <= len(sheets) <= 5, len(sheets)
    for text in sheets[:-1]:
        flat = text.replace("\n", "")
        assert "签名" in flat and "合计" in flat, flat[:300]
    assert "汇总表" in sheets[-1].replace("\n", "")


def test_a_village_notice_lists_only_that_villages_workers(client, county_admin, approved, data, jiuyuan):
    lines = SubsidyLine.objects.filter(run=approved, status=LineStatus.PAYABLE,
                                       workshop__village__township=jiuyuan).select_related("worker__village")
    village = lines[0].worker.village
    village.township = jiuyuan
    village.save()
    client.force_login(county_admin)
    body = client.get(notice_url(approved, jiuyuan, village=village.pk)).content.decode()
    mine = lines.filter(worker__village=village)
    assert body.count("<tr data-row>") == mine.values("worker", "component").distinct().count() > 0
    for line in lines.exclude(worker__village=village):
        assert mask(line.worker.id_number) not in body
