"""Spreadsheet imports: preview with problems by row and column, all valid rows or nothing,
idempotent re-imports, limits, formulas read as values, and scope."""

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import AuditEvent
from labor.models import ImportJob, Payroll, Placement, Worker
from tests.factories import PlacementFactory, VillageFactory, WorkerFactory, WorkshopFactory, make_id_number
from tests.labor import importing

pytestmark = pytest.mark.django_db
VALID_ID = "34052419800101001X"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows, name="roster.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def csv_file(text, name="roster.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


ROSTER_HEADER = ["身份证号", "姓名", "电话", "村代码", "人员类别", "返乡人员"]


def snapshot():
    return (list(Worker.objects.order_by("id").values()), list(Placement.objects.order_by("id").values()),
            list(Payroll.objects.order_by("id").values()))


class TestRoster:
    def test_preview_lists_each_problem_in_chinese_and_nothing_is_saved(self, county_admin):
        village = VillageFactory()
        existing = WorkerFactory()
        before = snapshot()
        upload = xlsx([ROSTER_HEADER,
                       [VALID_ID, "李明", "13900001111", village.code, "脱贫人口", "否"],
                       ["340524198001010011", "错号", "", village.code, "", ""],
                       [make_id_number(3), "无村", "", "511781999999", "", ""],
                       [VALID_ID, "重复", "", village.code, "", ""],
                       [make_id_number(4), "", "", village.code, "外星人", ""]])
        job = importing.upload(actor=county_admin, kind="workers", upload=upload)
        job.refresh_from_db()
        assert job.status == "preview"
        assert (job.total_rows, job.valid_rows) == (5, 1)
        problems = {(p["row"], p["column"]): p["message"] for p in job.problems}
        assert "校验码" in problems[(3, "身份证号")]
        assert "511781999999" in problems[(4, "村代码")]
        assert "第 2 行" in problems[(5, "身份证号")] or "2" in problems[(5, "身份证号")]
        assert (6, "姓名") in problems and (6, "人员类别") in problems
        assert snapshot() == before
        assert existing.pk  # untouched

    def test_import_nothing_leaves_the_database_as_it_was(self, county_admin):
        village = VillageFactory()
        WorkerFactory(name="原有")
        before = snapshot()
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx([
            ROSTER_HEADER, [VALID_ID, "李明", "", village.code, "", ""], ["bad", "坏", "", village.code, "", ""]]))
        job = importing.confirm(actor=county_admin, job=job, import_rows="nothing")
        assert job.status == "discarded"
        assert snapshot() == before

    def test_valid_rows_then_same_file_again_changes_nothing(self, county_admin):
        village = VillageFactory()
        rows = [ROSTER_HEADER, [VALID_ID.lower(), "李明", "13900001111", village.code, "脱贫人口", "是"],
                [make_id_number(5, sex="female"), "王芳", "", village.code, "监测对象", ""],
                ["bad", "坏", "", village.code, "", ""]]
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx(rows))
        job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
        assert (job.status, job.created_count, job.updated_count) == ("done", 2, 0)
        li = Worker.objects.get(id_number=VALID_ID)
        assert (li.sex, li.birth_date, li.category, li.returnee) == ("male", date(1980, 1, 1), "poverty_alleviated",
                                                                     True)
        before = snapshot()
        again = importing.upload(actor=county_admin, kind="workers", upload=xlsx(rows))
        again = importing.confirm(actor=county_admin, job=again, import_rows="valid")
        assert (again.created_count, again.updated_count) == (0, 0)
        assert snapshot() == before
        # A changed phone number updates the row instead of adding one.
        rows[1][2] = "13700000000"
        third = importing.confirm(actor=county_admin, job=importing.upload(
            actor=county_admin, kind="workers", upload=xlsx(rows)), import_rows="valid")
        assert (third.created_count, third.updated_count) == (0, 1)
        assert Worker.objects.get(id_number=VALID_ID).phone == "13700000000"
        assert AuditEvent.objects.filter(action="import.workers").count() == 3

    def test_formulas_are_read_as_their_values(self, county_admin, tmp_path):
        """openpyxl writes no cached values, so a formula cell reads as empty: the row is reported, never
        stored as the text '=…'."""
        village = VillageFactory()
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx([
            ROSTER_HEADER, [VALID_ID, '=CONCAT("李","明")', "", village.code, "", ""]]))
        job.refresh_from_db()
        assert job.valid_rows == 0
        assert any(p["column"] == "姓名" for p in job.problems)

    def test_csv_in_gbk_is_read(self, county_admin):
        village = VillageFactory()
        text = ",".join(ROSTER_HEADER) + f"\n{VALID_ID},李明,13900001111,{village.code},一般,否\n"
        job = importing.upload(actor=county_admin, kind="workers", upload=csv_file(text, encoding="gbk"))
        job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
        assert Worker.objects.get().name == "李明" and job.created_count == 1

    def test_missing_columns_fail_with_the_names(self, county_admin):
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx([["身份证号", "姓名"],
                                                                                     [VALID_ID, "李明"]]))
        job.refresh_from_db()
        assert job.status == "failed" and "村代码" in job.error

    def test_too_big_and_too_many_rows_are_refused(self, county_admin, settings):
        settings.IMPORT_MAX_BYTES = 1000
        big = csv_file(",".join(ROSTER_HEADER) + "\n" + "x" * 2000)
        with pytest.raises(Exception) as refused:
            importing.upload(actor=county_admin, kind="workers", upload=big)
        assert "file" in refused.value.message_dict
        assert not ImportJob.objects.exists()
        settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
        settings.IMPORT_MAX_ROWS = 3
        many = csv_file(",".join(ROSTER_HEADER) + "\n" + "\n".join(f"{i},a,,1,," for i in range(4)))
        job = importing.upload(actor=county_admin, kind="workers", upload=many)
        job.refresh_from_db()
        assert job.status == "failed" and "3" in job.error

    def test_broker_report_does_not_reveal_workers_outside_scope(self, broker, other_village_worker):
        job = importing.upload(actor=broker.user, kind="workers", upload=xlsx([
            ROSTER_HEADER, [other_village_worker.id_number, "冒名", "", broker.village.code, "", ""],
            [VALID_ID, "李明", "", other_village_worker.village.code, "", ""]]))
        job = importing.confirm(actor=broker.user, job=job, import_rows="valid")
        text = str(job.problems)
        assert other_village_worker.name not in text and other_village_worker.id_number not in text
        assert job.created_count == 0
        other_village_worker.refresh_from_db()
        assert other_village_worker.name == "外村工人"


class TestPlacementsAndPayroll:
    def test_placements_import_twice_is_idempotent(self, county_admin):
        worker, workshop = WorkerFactory(), WorkshopFactory()
        rows = [["身份证号", "车间", "入职日期", "约定月薪", "离职日期", "离职原因"],
                [worker.id_number, workshop.pk, "2025-03-01", "3,200", "", ""],
                [worker.id_number, "不存在的车间", "2025-03-01", "3200", "", ""],
                [worker.id_number, workshop.name, "2025-04-31", "abc", "", ""]]
        job = importing.upload(actor=county_admin, kind="placements", upload=xlsx(rows, "p.xlsx"))
        job.refresh_from_db()
        columns = {(p["row"], p["column"]) for p in job.problems}
        assert {(3, "车间编号或名称"), (4, "入职日期"), (4, "约定月薪")} <= columns
        job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
        assert job.created_count == 1
        again = importing.confirm(actor=county_admin, job=importing.upload(
            actor=county_admin, kind="placements", upload=xlsx(rows[:2], "p.xlsx")), import_rows="valid")
        assert (again.created_count, again.updated_count) == (0, 0)
        placement = Placement.objects.get()
        assert placement.monthly_wage == Decimal("3200.00") and placement.end_date is None

    def test_payroll_month_outside_placement_is_a_problem(self, county_admin):
        placement = PlacementFactory(start_date=date(2025, 3, 1), end_date=date(2025, 5, 31))
        header = ["身份证号", "车间", "月份", "出勤天数", "实发工资", "单位缴纳社保"]
        rows = [header,
                [placement.worker.id_number, placement.workshop_id, "2025-03", 22, 3200, 480],
                [placement.worker.id_number, placement.workshop_id, "2025-07", 22, 3200, 480],
                [placement.worker.id_number, placement.workshop_id, "2025-03", 20, 3000, 0],
                [placement.worker.id_number, placement.workshop_id, "2025-04", "二十", "很多", ""]]
        job = importing.upload(actor=county_admin, kind="payroll", upload=xlsx(rows, "pay.xlsx"))
        job.refresh_from_db()
        by_row = {}
        for p in job.problems:
            by_row.setdefault(p["row"], set()).add(p["column"])
        assert by_row == {3: {"月份（YYYY-MM）"}, 4: {"月份（YYYY-MM）"}, 5: {"出勤天数", "实发工资"}}
        job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
        assert Payroll.objects.get().wage_paid == Decimal("3200.00")
        again = importing.confirm(actor=county_admin, job=importing.upload(
            actor=county_admin, kind="payroll", upload=xlsx(rows[:2], "pay.xlsx")), import_rows="valid")
        assert (again.created_count, again.updated_count) == (0, 0)


class TestImportApi:
    def test_upload_report_and_confirm(self, api, county_admin, township_officer):
        village = VillageFactory()
        client = api(county_admin)
        upload = xlsx([ROSTER_HEADER, [VALID_ID, "李明", "", village.code, "", ""], ["x", "y", "", "1", "", ""]])
        with importing.committed():  # the check is queued after the request commits
            response = client.post("/api/v1/imports/", {"kind": "workers", "file": upload}, format="multipart")
        assert response.status_code == 201, response.json()
        report = client.get(f"/api/v1/imports/{response.json()['id']}/").json()
        assert report["status"] == "preview" and report["valid_rows"] == 1 and report["invalid_rows"] == 1
        assert {p["row"] for p in report["problems"]} == {3}
        # Another user's report is not there for them.
        assert api(township_officer).get(f"/api/v1/imports/{report['id']}/").status_code == 404
        with importing.committed():
            queued = client.post(f"/api/v1/imports/{report['id']}/confirm/", {"import_rows": "valid"}, format="json")
        assert queued.status_code in (200, 202) and queued.json()["status"] == "importing"
        done = client.get(f"/api/v1/imports/{report['id']}/")
        assert done.json()["status"] == "done" and Worker.objects.count() == 1
        assert client.post(f"/api/v1/imports/{report['id']}/confirm/", {"import_rows": "valid"},
                           format="json").status_code == 409

    def test_refused_file_is_400(self, api, county_admin):
        response = api(county_admin).post("/api/v1/imports/", {"kind": "workers", "file": SimpleUploadedFile(
            "a.pdf", b"%PDF")}, format="multipart")
        assert response.status_code == 400 and "file" in response.json()["errors"]


class TestUploadedFilesArePruned:
    """Uploaded spreadsheets hold ID numbers: deleted some days after the import ends; the report stays."""

    def _job(self, actor, age_days, decide=None):
        job = importing.upload(actor=actor, kind="workers", upload=xlsx([
            ROSTER_HEADER, [make_id_number(age_days + 10), "李明", "", VillageFactory().code, "", ""]]))
        if decide:
            job = importing.confirm(actor=actor, job=job, import_rows=decide)
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=age_days))
        return ImportJob.objects.get(pk=job.pk)

    def test_old_finished_imports_lose_their_file_and_keep_their_report(self, county_admin):
        from labor.tasks import prune_import_files

        done = self._job(county_admin, 40, decide="valid")
        discarded = self._job(county_admin, 31, decide="nothing")
        waiting = self._job(county_admin, 40)  # still in preview: the user has not decided
        recent = self._job(county_admin, 2, decide="valid")
        paths = {job.pk: Path(job.file.path) for job in (done, discarded, waiting, recent)}
        assert all(path.exists() for path in paths.values())

        assert prune_import_files.delay(days=30).get() == 2

        assert not paths[done.pk].exists() and not paths[discarded.pk].exists()
        assert paths[waiting.pk].exists() and paths[recent.pk].exists()
        done.refresh_from_db()
        assert (done.file.name, done.status, done.created_count, done.filename) == ("", "done", 1, "roster.xlsx")
        assert prune_import_files.delay(days=30).get() == 0  # a second run finds nothing left
