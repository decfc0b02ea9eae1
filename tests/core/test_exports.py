"""Every "下载Excel" is a background export (core.exports): the page queues a Download and redirects to
it, a worker streams the list as the owner sees it into a file, 我的下载 lists the owner's files, beat
deletes them after 7 days, and a crashed export ends failed with a reason and can be retried."""

import time
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, TestCase
from django.utils import timezone

from accounts.choices import Role
from accounts.permissions import SYSTEM
from core import exports
from core.models import Download, DownloadStatus
from core.tasks import export_download, prune_expired_downloads, sweep_expired_leases
from labor import resident_id
from tests import workers
from tests.core import test_redis_down
from tests.core.test_redis_down import UNAVAILABLE, stop
from tests.exports import export, exported, page_table, sheet_rows
from tests.factories import (
    PASSWORD,
    PayrollFactory,
    PlacementFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_user,
)
from tests.workers import needs_worker_setup, wait_until

spawn = workers.spawn  # fixtures: extra workers, a Redis of the test's own
own_redis = test_redis_down.own_redis


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def same_cell(page_text: str, value) -> bool:
    """A page cell's text and the file's value show the same thing (numbers as numbers)."""
    if value is None:
        return page_text in ("", "—")
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return Decimal(page_text.replace(",", "").replace("¥", "")) == Decimal(str(value))  # ¥1,234.00
        except InvalidOperation:
            return False
    return page_text == str(value)


def assert_file_is_the_page(client, path, params=None, content=None):
    """The downloaded file has the page's headers and, cell by cell, the page's rows."""
    headers, rows = page_table(client.get(path, params).content.decode())
    content = content if content is not None else exported(client, path, {**(params or {}), "export": "xlsx"}).content
    file_rows = sheet_rows(content)
    assert file_rows[0] == headers
    assert len(file_rows) - 1 == len(rows) and rows
    for page_row, file_row in zip(rows, file_rows[1:], strict=True):
        assert all(same_cell(text, value) for text, value in zip(page_row, file_row, strict=True)), (page_row, file_row)
    return file_rows


@pytest.fixture
def two_townships(township_officer, jiuyuan, taiping):
    """Workers with payroll in 旧院 (the officer's township) and in 太平 (outside it)."""
    mine, theirs = VillageFactory(township=jiuyuan), VillageFactory(township=taiping)
    inside = [WorkerFactory(name=f"旧院工人{i}", village=mine, returnee=i % 2 == 0) for i in range(6)]
    outside = [WorkerFactory(name=f"太平工人{i}", village=theirs) for i in range(3)]
    workshop = WorkshopFactory(village=mine)
    for worker in inside + outside:
        PayrollFactory(placement=PlacementFactory(worker=worker, workshop=workshop if worker in inside else
                                                  WorkshopFactory(village=theirs)),
                       wage_paid=Decimal("3188.50"))
    return inside, outside


@pytest.mark.django_db
class TestTheFileIsTheList:
    def test_a_township_officer_gets_the_workers_they_see_masked(self, township_officer, two_townships):
        inside, outside = two_townships
        client = client_for(township_officer)
        rows = assert_file_is_the_page(client, "/labor/workers/")
        flat = str(rows)
        assert all(w.name in flat for w in inside) and not any(w.name in flat for w in outside)
        assert not any(w.id_number in flat for w in inside)
        assert {resident_id.mask(w.id_number) for w in inside} <= {cell for row in rows for cell in row}
        assert "年龄" in rows[0] and not any(w.birth_date in row for w in inside for row in rows)  # the age only

    def test_filters_and_order_of_the_page_apply(self, township_officer, two_townships):
        inside, _outside = two_townships
        client = client_for(township_officer)
        rows = assert_file_is_the_page(client, "/labor/workers/", {"returnee": "true", "sort": "-name"})
        names = [row[0] for row in rows[1:]]
        assert names == sorted((w.name for w in inside if w.returnee), reverse=True)

    def test_payroll_of_the_township_with_money_and_month(self, township_officer, two_townships):
        client = client_for(township_officer)
        rows = assert_file_is_the_page(client, "/labor/payroll/")
        assert len(rows) == 7 and {row[0] for row in rows[1:]} == {"2025-01"}
        assert {row[5] for row in rows[1:]} == {3188.5}  # a number in Excel, not text

    def test_county_staff_get_whole_numbers(self, county_admin, two_townships):
        inside, outside = two_townships
        rows = sheet_rows(exported(client_for(county_admin), "/labor/workers/", {"export": "xlsx"}).content)
        assert {w.id_number for w in inside + outside} <= {row[1] for row in rows[1:]}


@pytest.mark.django_db
def test_the_page_request_only_queues_the_export(township_officer, two_townships):
    client = client_for(township_officer)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = client.get("/labor/payroll/", {"export": "xlsx", "page": "2"})
    download = Download.objects.get(owner=township_officer)
    assert response.status_code == 302 and response["Location"] == f"/downloads/{download.pk}/"
    assert download.status == DownloadStatus.QUEUED and not download.file and download.query == ""
    assert len(queued) == 1  # the task, sent once the download is committed
    from accounts.models import AuditEvent

    event = AuditEvent.objects.get(action="download.request", object_id=str(download.pk))
    assert event.actor == township_officer and event.changes["list_name"] == [None, "labor-payroll-list"]
    page = client.get(f"/downloads/{download.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "download-progress.js" in page and "<script>" not in page
    assert client.get(f"/downloads/{download.pk}/file/").status_code == 404  # nothing to download yet
    queued[0]()
    download.refresh_from_db()
    assert download.status == DownloadStatus.DONE and download.rows_done == download.rows_total == 6
    assert Path(download.file.path).is_relative_to(Path(settings.MEDIA_ROOT) / "downloads")
    status = client.get(f"/downloads/{download.pk}/status/").json()
    assert status["finished"] and status["percent"] == 100 and status["file_url"] == f"/downloads/{download.pk}/file/"
    assert 'http-equiv="refresh"' not in client.get(f"/downloads/{download.pk}/").content.decode()


@pytest.mark.django_db
def test_my_downloads_lists_only_my_files(township_officer, county_admin, two_townships):
    mine, theirs = client_for(township_officer), client_for(county_admin)
    my_download = export(mine, "/labor/workers/", {"export": "xlsx"})
    their_download = export(theirs, "/labor/payroll/", {"export": "xlsx"})
    listing = mine.get("/downloads/").content.decode()
    assert f'data-download="{my_download.pk}"' in listing and f'data-download="{their_download.pk}"' not in listing
    assert "我的下载" in listing and f"/downloads/{my_download.pk}/file/" in listing
    for url in ("", "status/", "file/"):
        assert mine.get(f"/downloads/{their_download.pk}/{url}").status_code == 404
    assert theirs.get(f"/downloads/{their_download.pk}/file/").status_code == 200
    assert mine.get(f"/media/{their_download.file.name}").status_code == 404  # never served as /media/
    assert "我的下载" in mine.get("/labor/workers/").content.decode()  # in every role's menu


@pytest.mark.django_db
def test_every_list_page_exports(county_admin, two_townships):
    """Each list whose template has the 下载Excel link exports through the one path."""
    client = client_for(county_admin)
    checked = 0
    for pattern in _list_routes():
        download = export(client, pattern, {"export": "xlsx"})
        download.refresh_from_db()
        assert download.status == DownloadStatus.DONE, (pattern, download.error)
        checked += 1
    assert checked >= 15


def _list_routes() -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    from core.pages import ScopedListView

    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                view_class = getattr(entry.callback, "view_class", None)
                route = prefix + str(entry.pattern)
                if view_class and issubclass(view_class, ScopedListView) and "<" not in route:
                    found.append("/" + route)

    walk(get_resolver().url_patterns)
    return found


@pytest.mark.django_db(transaction=True)
def test_the_queue_down_is_a_message_not_an_error(own_redis, township_officer, two_townships):
    stop(own_redis)
    client = client_for(township_officer)
    response = client.get("/labor/workers/", {"export": "xlsx"}, follow=True)
    assert response.status_code == 200
    download = Download.objects.get(owner=township_officer)
    assert download.status == DownloadStatus.FAILED and UNAVAILABLE in download.error and not download.file
    page = response.content.decode()
    assert UNAVAILABLE in page and "download-retry" in page


@pytest.mark.django_db
def test_expired_downloads_are_deleted_with_their_files(township_officer, two_townships):
    client = client_for(township_officer)
    old, fresh = (export(client, "/labor/workers/", {"export": "xlsx"}) for _ in range(2))
    old.refresh_from_db()
    fresh.refresh_from_db()
    old_file, fresh_file = Path(old.file.path), Path(fresh.file.path)
    assert old_file.exists() and fresh_file.exists()
    Download.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/downloads/{old.pk}/file/").status_code == 404  # expired: gone for the user at once
    assert prune_expired_downloads.delay().get() == 1
    assert not Download.objects.filter(pk=old.pk).exists() and not old_file.exists()
    assert Download.objects.filter(pk=fresh.pk).exists() and fresh_file.exists()
    assert abs(fresh.expires_at - fresh.created_at - timedelta(days=7)) < timedelta(seconds=1)  # kept 7 days
    assert "core-prune-expired-downloads" in {
        key for key, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] == "core.tasks.prune_expired_downloads"}


@pytest.mark.django_db
def test_an_export_that_fails_says_why_and_can_be_retried(township_officer, two_townships):
    client = client_for(township_officer)
    download = exports.request_download(owner=township_officer, title="x", list_name="labor-worker-list",
                                        query="", enqueue=False)
    Download.objects.filter(pk=download.pk).update(list_name="no-such-list")
    export_download.delay(download.pk)
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED and "导出失败" in download.error
    assert "导出失败" in client.get(f"/downloads/{download.pk}/").content.decode()
    Download.objects.filter(pk=download.pk).update(list_name="labor-worker-list")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/downloads/{download.pk}/retry/").status_code == 302
    download.refresh_from_db()
    assert download.status == DownloadStatus.DONE and download.rows_done == 6 and download.error == ""


# --- a real worker on the real broker and PostgreSQL -------------------------------------------------

@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_township_officers_file(celery_worker_process, township_officer, two_townships):
    client = client_for(township_officer)
    started = time.monotonic()
    response = client.get("/labor/workers/", {"export": "xlsx"})
    assert response.status_code == 302 and time.monotonic() - started < 5
    download = Download.objects.get(owner=township_officer)
    assert wait_until(lambda: Download.objects.get(pk=download.pk).status == DownloadStatus.DONE, 60), \
        Download.objects.get(pk=download.pk).error
    file = client.get(f"/downloads/{download.pk}/file/")
    assert_file_is_the_page(client, "/labor/workers/", content=b"".join(file.streaming_content))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_progress_moves_while_the_worker_writes(township_officer, two_townships, spawn):
    needs_worker_setup()
    worker = spawn(pool="solo", env={"WANYUAN_EXPORT_PROGRESS_EVERY": "1", "WANYUAN_TEST_EXPORT_ROW_PAUSE": "0.4"})
    client = client_for(township_officer)
    download = exports.request_download(owner=township_officer, title="工资", list_name="labor-payroll-list",
                                        enqueue=False)
    export_download.apply_async((download.pk,), queue=worker.queue)
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/downloads/{download.pk}/status/").json()
        if status["status"] == DownloadStatus.RUNNING and status["rows_done"] not in seen:
            seen.append(status["rows_done"])
        if status["finished"]:
            break
        time.sleep(0.1)
    assert status["status"] == DownloadStatus.DONE and status["rows_done"] == status["rows_total"] == 6
    assert len([n for n in seen if 0 < n < 6]) >= 2 and seen == sorted(seen), seen


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_crashed_export_ends_failed_and_a_retry_completes(celery_worker_process, township_officer, two_townships,
                                                            spawn):
    worker = spawn(pool="prefork", env={"JOB_LEASE_SECONDS": "5", "WANYUAN_TEST_JOB_PAUSE": "30"})
    client = client_for(township_officer)
    download = exports.request_download(owner=township_officer, title="工人", list_name="labor-worker-list",
                                        enqueue=False)
    export_download.apply_async((download.pk,), queue=worker.queue)
    assert wait_until(lambda: Download.objects.get(pk=download.pk).status == DownloadStatus.RUNNING, 30)
    worker.kill()  # the whole worker: nobody redelivers before the visibility timeout
    assert wait_until(lambda: Download.objects.get(pk=download.pk).lease_expired, 30)
    sweep_expired_leases()
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED and "中断" in download.error and not download.file
    page = client.get(f"/downloads/{download.pk}/").content.decode()
    assert "中断" in page and "download-retry" in page
    assert client.post(f"/downloads/{download.pk}/retry/").status_code == 302  # queued to the session worker
    assert wait_until(lambda: Download.objects.get(pk=download.pk).status == DownloadStatus.DONE, 60)
    assert len(sheet_rows(b"".join(client.get(f"/downloads/{download.pk}/file/").streaming_content))) == 7


@pytest.mark.django_db
def test_a_broker_and_an_operator_have_my_downloads(broker_user):
    workshop = WorkshopFactory()
    operator = make_user("operator-x", Role.WORKSHOP_OPERATOR, township=workshop.village.township, workshop=workshop)
    for user in (broker_user, operator):
        assert client_for(user).get("/downloads/").status_code == 200


def test_the_streaming_writer_keeps_the_house_conventions(tmp_path):
    """accounts.xlsx.StreamingXlsx: text that looks like a formula stays text, dates are dates, numbers
    numbers, the header is bold and frozen with an auto-filter; openpyxl reads it back."""
    from datetime import date, datetime

    from openpyxl import load_workbook

    from accounts.xlsx import Column, StreamingXlsx

    path = tmp_path / "x.xlsx"
    aware = timezone.make_aware(datetime(2025, 3, 4, 5, 6, 7))
    rows = [["=1+1", "<b>&amp;</b>", date(2025, 1, 31), aware, Decimal("3188.50"), True, None],
            ["bell\x07", " 两端空格 ", date(1900, 3, 1), None, 7, False, "@SUM(A1)"]]
    columns = [Column(h, 12) for h in ("甲", "乙", "丙", "丁", "戊", "己", "庚")]
    assert StreamingXlsx(path).write("工资/2025:[1]", columns, iter(rows)) == 2
    book = load_workbook(path)
    sheet = book.active
    assert sheet.title == "工资 2025  1 " and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G3"
    assert [c.value for c in sheet[1]] == ["甲", "乙", "丙", "丁", "戊", "己", "庚"] and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == ["=1+1", "<b>&amp;</b>", datetime(2025, 1, 31), datetime(2025, 3, 4, 5, 6, 7),
                                          3188.5, True, None]
    assert sheet["A2"].data_type == "s" and sheet["G3"].data_type == "s"  # text, never run as a formula
    assert [c.value for c in sheet[3]] == ["bell", " 两端空格 ", datetime(1900, 3, 1), None, 7, False, "@SUM(A1)"]
    assert sheet["C2"].number_format == "yyyy-mm-dd"


@pytest.mark.django_db
def test_the_lines_of_a_subsidy_run_export_as_listed(township_officer, jiuyuan):
    """A list with URL arguments (the run), ID numbers masked for everyone, flags as their labels."""
    from datetime import date

    from subsidies import services
    from tests.factories import certified_workshop, payroll_months

    county = make_user("county-maker", Role.COUNTY_OFFICER)
    workshop = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan))
    worker = WorkerFactory(village=workshop.village)
    payroll_months(PlacementFactory(worker=worker, workshop=workshop), [date(2025, 1, 1)])
    run, _created = services.run_request(actor=county, month="2025-01", enqueue=False)
    run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
    for user in (county, township_officer):
        rows = assert_file_is_the_page(client_for(user), f"/subsidies/runs/{run.pk}/lines/")
        assert worker.id_number not in str(rows) and resident_id.mask(worker.id_number) in str(rows)
