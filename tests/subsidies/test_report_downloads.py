"""The run's report and its papers' Excel are Downloads on core's one export path: a request starts one
for its owner, the worker reads as the owner (their scope and masking), the file is listed in 我的下载, and
the API's report, built at once, lands there too."""

import io
from datetime import date

import pytest
from django.test import TestCase
from openpyxl import load_workbook

from core import exports
from core.models import Download, DownloadStatus
from labor.resident_id import mask
from subsidies.models import SubsidyLine
from subsidies.services import reports
from tests.conftest import api_for
from tests.exports import exported
from tests.factories import PlacementFactory, VillageFactory, certified_workshop, payroll_months

from .conftest import approve, calculate, months

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(jiuyuan, taiping, county_officer, checker):
    home = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源茶叶车间")
    away = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=taiping), name="太平黑鸡车间")
    for workshop, count in ((home, 3), (away, 2)):
        for _ in range(count):
            payroll_months(PlacementFactory(workshop=workshop), months("2025-01", "2025-01"))
    return approve(calculate("2025-01"), county_officer, checker)


def test_the_pages_report_is_a_download_of_the_officers_township_listed_in_my_downloads(
        client, township_officer, approved, jiuyuan):
    client.force_login(township_officer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/subsidies/runs/{approved.pk}/report/")
    download = Download.objects.get(owner=township_officer)
    assert response.status_code == 302 and response["Location"] == f"/downloads/{download.pk}/"
    download.refresh_from_db()
    lines = SubsidyLine.objects.filter(run=approved, workshop__village__township=jiuyuan)
    assert download.status == DownloadStatus.DONE, download.error
    assert download.rows_done == download.rows_total == lines.count()
    listing = client.get("/downloads/").content.decode()
    assert f"/downloads/{download.pk}/" in listing and download.title in listing
    assert f'href="/subsidies/runs/{approved.pk}/"' in client.get(f"/downloads/{download.pk}/").content.decode()
    file = client.get(f"/downloads/{download.pk}/file/")
    book = load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    details = list(book["明细"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in details} == set(lines.values_list("pk", flat=True))
    assert {row[1] for row in details} == {"旧院镇"}
    numbers = dict(lines.values_list("pk", "worker__id_number"))
    assert all(row[4] == mask(numbers[row[0]]) for row in details)


def test_the_apis_report_is_kept_in_my_downloads_too(county_admin, approved):
    api = api_for(county_admin)
    response = api.get(f"/api/v1/subsidy-runs/{approved.pk}/report/")
    assert response.status_code == 200
    download = Download.objects.get(owner=county_admin)
    assert download.status == DownloadStatus.DONE and download.list_kwargs == {"pk": approved.pk}
    assert b"".join(response.streaming_content) == download.file.open("rb").read()


def test_a_run_without_lines_starts_no_download(county_admin, approved):
    from accounts.exceptions import Conflict
    from subsidies.models import SubsidyRun

    queued = SubsidyRun.objects.create(month=date(2025, 3, 1), status="queued", policy=approved.policy)
    with pytest.raises(Conflict):
        reports.report_start(actor=county_admin, run=queued)
    assert not Download.objects.exists()


def test_the_papers_excel_are_downloads_of_their_owner_only(client, township_officer, county_admin, approved,
                                                             jiuyuan, taiping):
    client.force_login(township_officer)
    for path in (f"/subsidies/runs/{approved.pk}/notices/{jiuyuan.code}/",
                 f"/subsidies/runs/{approved.pk}/sheets/{jiuyuan.code}/"):
        content = exported(client, path, {"format": "xlsx"}).content
        book = load_workbook(io.BytesIO(content))
        cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
        assert "九源茶叶车间" in cells and "太平黑鸡车间" not in cells
        outside = client.get(path.replace(jiuyuan.code, taiping.code), {"format": "xlsx"})
        assert outside.status_code == 404
    mine = Download.objects.filter(owner=township_officer)
    assert mine.count() == 2 and set(mine.values_list("status", flat=True)) == {DownloadStatus.DONE}
    client.force_login(county_admin)
    assert client.get(f"/downloads/{mine.first().pk}/").status_code == 404
    assert client.get(f"/downloads/{mine.first().pk}/file/").status_code == 404


def test_a_paper_that_fails_ends_failed_with_the_reason_and_retries(county_admin, approved):
    calls = []

    def write(*, download, path, progress):
        calls.append(download.pk)
        if len(calls) == 1:
            raise ValueError("the printer is out of paper")
        return reports.write_report_download(download=download, path=path, progress=progress)

    original = exports.PAPERS[reports.REPORT_PAGE]
    exports.register(exports.Paper(reports.REPORT_PAGE, write, original.filename))
    try:
        download = reports.report_start(actor=county_admin, run=approved, enqueue=False)
        failed = exports.build(download_id=download.pk)
        assert failed.status == DownloadStatus.FAILED and "the printer is out of paper" in failed.error
        exports.retry(actor=county_admin, download=failed)  # in-process, on commit: run it here
        done = exports.build(download_id=download.pk)
        assert done.status == DownloadStatus.DONE and done.rows_done == approved.lines.count()
    finally:
        exports.register(original)
