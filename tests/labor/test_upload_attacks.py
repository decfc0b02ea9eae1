"""Hostile uploads (issue 11): each costs little and ends visibly. The files are built here, byte by
byte; what a user would notice is the job's state and its Chinese reason, or a 500 / a spinner that
never stops / a worker killed for memory."""

import io
import multiprocessing
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from labor.imports import reader
from labor.imports import services as imports
from labor.models import ImportJob, Worker
from tests.factories import VillageFactory, WorkerFactory, make_id_number
from tests.labor import importing
from tests.labor.hostile_files import SharedString, workbook

pytestmark = pytest.mark.django_db
ROSTER = ["身份证号", "姓名", "电话", "村代码", "人员类别", "返乡人员"]
MB = 1024 * 1024


def xlsx_upload(data: bytes, name="hostile.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument."
                                                        "spreadsheetml.sheet")


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def failed_with(job, *words):
    assert job.status == "failed", (job.status, job.error)
    assert chinese(job.error) and all(w in job.error for w in words), job.error
    return job


def _measure(conn, data, name):
    """In a child: the growth of resident memory (peak minus start) while the file is read."""
    def status():
        return {line.split(":")[0]: int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith(("VmHWM", "VmRSS"))}
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")  # reset the peak to the current size
    start = status()["VmRSS"]
    try:
        reader.read_table(io.BytesIO(data), name)
        outcome = "read"
    except reader.ImportRefused as exc:
        outcome = str(exc)
    conn.send((outcome, (status()["VmHWM"] - start) / 1024))


def peak_memory_mb(data: bytes, name="hostile.xlsx") -> tuple[str, float]:
    """Read the file in a forked process and return (outcome, its peak memory growth in MB)."""
    parent, child = multiprocessing.get_context("fork").Pipe()
    process = multiprocessing.get_context("fork").Process(target=_measure, args=(child, data, name))
    process.start()
    outcome = parent.recv()
    process.join(30)
    return outcome


class TestRowsAreCountedAndCapped:
    def test_five_million_empty_rows_in_a_tiny_file_are_refused_at_once(self, county_admin):
        data = workbook([ROSTER], empty_rows=5_000_000)
        assert len(data) < 100 * 1024  # the file was 147 KB
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(data))
        failed_with(job, "100000", "空行")
        outcome, grown = peak_memory_mb(data)
        print(f"5,000,000 empty rows: {len(data) // 1024} KB file, memory +{grown:.0f} MB")
        assert "100000" in outcome and grown < 300

    def test_a_gap_to_row_five_million_counts_every_empty_row(self, county_admin, settings):
        # One far row and no declared size: openpyxl yields the gap as empty rows; reading stops at the limit
        # (a lower one here: reading 100,000 empty rows took a tenth of the suite's time).
        settings.IMPORT_MAX_ROWS = 2_500
        job = importing.upload(actor=county_admin, kind="workers",
                               upload=xlsx_upload(workbook([ROSTER], far_row=5_000_000)))
        failed_with(job, "2500")

    def test_rows_spread_over_many_sheets_are_refused(self, county_admin):
        # openpyxl sizes every sheet when it opens a workbook: 60 sheets of 90,000 empty rows, each under
        # the row limit, would be parsed whole (5.4 million elements) before the first sheet is read.
        data = workbook([ROSTER], extra_sheets=60, extra_sheet_rows=90_000)
        assert len(data) < 512 * 1024
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(data))
        failed_with(job, "100000")
        # A workbook with a short second sheet (instructions, say) is read as usual.
        village = VillageFactory()
        fine = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(workbook(
            [ROSTER, [make_id_number(1), "李明", "", village.code, "", ""]], extra_sheets=1, extra_sheet_rows=20)))
        assert fine.status == "preview" and fine.valid_rows == 1

    def test_a_huge_declared_size_is_refused_before_reading(self, county_admin):
        job = importing.upload(actor=county_admin, kind="workers",
                               upload=xlsx_upload(workbook([ROSTER], dimension="A1:F5000000")))
        failed_with(job, "100000")

    def test_just_over_the_limit_is_refused_and_at_it_is_read(self, county_admin, settings):
        settings.IMPORT_MAX_ROWS = 50
        village = VillageFactory()
        rows = [[make_id_number(n + 1), f"工人{n}", "", village.code, "", ""] for n in range(50)]
        at_limit = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(workbook([ROSTER] + rows)))
        assert at_limit.status == "preview" and at_limit.valid_rows == 50
        over = importing.upload(actor=county_admin, kind="workers",
                                upload=xlsx_upload(workbook([ROSTER] + rows + [rows[0]])))
        failed_with(over, "50")
        # Empty rows count too: 40 rows with 11 empty ones among them are over a limit of 50.
        padded = importing.upload(actor=county_admin, kind="workers",
                                  upload=xlsx_upload(workbook([ROSTER] + rows[:40], empty_rows=11)))
        failed_with(padded, "50", "空行")
        csv_padded = importing.upload(actor=county_admin, kind="workers", upload=SimpleUploadedFile(
            "a.csv", (",".join(ROSTER) + "\n" * 60 + f"{make_id_number(1)},李明,,{village.code},,\n").encode()))
        failed_with(csv_padded, "50", "空行")


class TestZipContents:
    def test_one_huge_shared_string_is_refused_from_the_zip_directory(self, county_admin):
        data = workbook([ROSTER, ["1", SharedString(0)]], shared_chars=120 * MB)
        assert len(data) < 512 * 1024  # the file was 511 KB and took 1.1 GB
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(data))
        failed_with(job, "50 MB")
        outcome, grown = peak_memory_mb(data)
        print(f"120 MB shared string: {len(data) // 1024} KB file, memory +{grown:.0f} MB")
        assert "50 MB" in outcome and grown < 50

    def test_the_largest_file_allowed_stays_under_300_mb(self):
        """A shared string just under the unpacked limit is read (openpyxl loads it whole): what it costs
        is what any allowed file may cost, and the cell is then a row problem (over-long)."""
        data = workbook([ROSTER, ["1", SharedString(0)]], shared_chars=49 * MB)
        outcome, grown = peak_memory_mb(data)
        print(f"49 MB shared string (allowed): memory +{grown:.0f} MB")
        assert outcome == "read" and grown < 300

    def test_millions_of_tiny_shared_strings_are_refused(self, county_admin):
        data = workbook([ROSTER], shared_count=3_000_000)  # 51 MB unpacked would be 700 MB in openpyxl
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(data))
        assert job.status == "failed" and chinese(job.error)

    def test_entities_are_refused(self, county_admin):
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(_with_doctype()))
        failed_with(job, "文档类型")

    def test_not_a_zip_is_refused(self, county_admin):
        job = importing.upload(actor=county_admin, kind="workers", upload=xlsx_upload(b"PK\x03\x04garbage"))
        failed_with(job, "xlsx")


def _with_doctype() -> bytes:
    """A workbook whose sheet declares an entity (a parser would expand it into rows)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook([ROSTER])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY r "<row/>">]><worksheet', 1)
            target.writestr(info.filename, body)
    return out.getvalue()


class TestBadCellsAreRowProblems:
    def test_nul_in_a_csv_cell_is_a_row_problem_and_the_rest_imports(self, page, county_admin):
        village = VillageFactory()
        text = (",".join(ROSTER) + "\n"
                + f"{make_id_number(1)},李\x00明,,{village.code},,\n"
                + f"{make_id_number(2)},王芳,,{village.code},,\n")
        client = page(county_admin)
        with importing.committed():
            response = client.post("/labor/imports/", {"kind": "workers",
                                                       "file": SimpleUploadedFile("nul.csv", text.encode())})
        assert response.status_code == 302
        preview = client.get(response["Location"])
        assert preview.status_code == 200 and "NUL" in preview.content.decode()
        job = ImportJob.objects.get()
        assert job.status == "preview" and job.valid_rows == 1
        assert [(p["row"], p["column"]) for p in job.problems] == [(2, "姓名")] and chinese(job.problems[0]["message"])
        with importing.committed():
            confirmed = client.post(response["Location"] + "confirm/", {"import_rows": "valid"})
        assert confirmed.status_code == 302
        job.refresh_from_db()
        assert job.status == "done" and list(Worker.objects.values_list("name", flat=True)) == ["王芳"]

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_a_200000_character_field_is_a_row_problem(self, county_admin, kind):
        village = VillageFactory()
        long_name = "长" * 200_000
        rows = [[make_id_number(1), long_name, "", village.code, "", ""],
                [make_id_number(2), "王芳", "", village.code, "", ""]]
        if kind == "csv":
            body = "\n".join(",".join(r) for r in [ROSTER] + rows).encode()
            upload = SimpleUploadedFile("long.csv", body)
        else:
            upload = xlsx_upload(workbook([ROSTER] + rows))
        job = importing.upload(actor=county_admin, kind="workers", upload=upload)
        assert job.status == "preview" and job.valid_rows == 1 and job.total_rows == 2
        problem, = job.problems
        assert problem["row"] == 2 and "200000" in problem["message"] and "1000" in problem["message"]
        assert len(str(job.problems)) < 1000  # the report does not echo the field
        job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
        assert job.status == "done" and Worker.objects.count() == 1


class TestEveryJobEndsVisibly:
    def test_an_unexpected_error_in_the_check_leaves_the_job_failed_with_a_reason(self, county_admin, monkeypatch):
        # Fault injection: the roster check itself breaks (a bug, a file nobody foresaw).
        def broken(user, rows):
            raise RuntimeError("boom")
        monkeypatch.setattr(imports.KINDS["workers"], "check", broken)
        job = importing.upload(actor=county_admin, kind="workers", upload=SimpleUploadedFile(
            "a.csv", (",".join(ROSTER) + f"\n{make_id_number(1)},李明,,{VillageFactory().code},,\n").encode()))
        failed_with(job, "没有导入")
        assert job.lease_token == "" and job.lease_expires_at is None

    def test_an_unexpected_error_in_the_import_writes_nothing_and_fails(self, county_admin, monkeypatch):
        village = VillageFactory()
        job = importing.upload(actor=county_admin, kind="workers", upload=SimpleUploadedFile(
            "a.csv", (",".join(ROSTER) + f"\n{make_id_number(1)},李明,,{village.code},,\n").encode()))
        assert job.status == "preview"

        def broken(user, checked):
            WorkerFactory(name="半截", village=village)  # half written when it breaks
            raise ValueError("boom")
        monkeypatch.setattr(imports.KINDS["workers"], "apply", broken)
        job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
        failed_with(job, "没有导入")
        assert not Worker.objects.exists()  # rolled back

    @pytest.mark.parametrize("state", ["lost_message", "dead_worker"])
    def test_a_stuck_job_is_checked_again_from_its_page(self, page, county_admin, state):
        village = VillageFactory()
        # Queued but the task never ran (the broker lost it), or its worker died holding the lease.
        job = imports.import_upload(actor=county_admin, kind="workers", upload=SimpleUploadedFile(
            "a.csv", (",".join(ROSTER) + f"\n{make_id_number(1)},李明,,{village.code},,\n").encode()))
        client = page(county_admin)
        fresh = client.get(f"/labor/imports/{job.pk}/").content.decode()
        assert 'id="import-retry"' not in fresh  # a job that may still be running is left alone
        if state == "lost_message":
            ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=11))
        else:
            ImportJob.objects.filter(pk=job.pk).update(status="importing", lease_token="dead", attempts=1,
                                                       lease_expires_at=timezone.now() - timedelta(seconds=1))
        stuck = client.get(f"/labor/imports/{job.pk}/").content.decode()
        assert 'id="import-retry"' in stuck and "重新检查" in stuck
        with importing.committed():
            client.post(f"/labor/imports/{job.pk}/retry/")
        job.refresh_from_db()
        assert job.status == "preview" and job.valid_rows == 1 and job.lease_token == ""

    def test_a_job_being_worked_on_is_not_retried(self, county_admin):
        job = imports.import_upload(actor=county_admin, kind="workers", upload=SimpleUploadedFile(
            "a.csv", (",".join(ROSTER) + "\n").encode()))
        ImportJob.objects.filter(pk=job.pk).update(lease_token="alive", attempts=1,
                                                   lease_expires_at=timezone.now() + timedelta(seconds=60))
        from accounts.exceptions import Conflict

        with pytest.raises(Conflict):
            imports.import_retry(actor=county_admin, job=ImportJob.objects.get(pk=job.pk))


def _worker_memory_mb(pid: int) -> dict:
    with open(f"/proc/{pid}/status") as handle:
        return {line.split(":")[0]: int(line.split()[1]) / 1024 for line in handle
                if line.startswith(("VmHWM", "VmRSS"))}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_hostile_files_on_a_real_worker_end_failed_and_its_memory_stays_low(celery_worker_process, county_admin):
    """The same files through Redis and a real worker on PostgreSQL (which refuses NUL in text): each job
    settles, none stays validating or importing, and the worker's peak memory grows by less than 300 MB."""
    import time

    pid = celery_worker_process.pid
    with open(f"/proc/{pid}/clear_refs", "w") as handle:
        handle.write("5")  # the worker's peak, from now
    start = _worker_memory_mb(pid)["VmRSS"]
    village = VillageFactory()
    files = {
        "empty rows": xlsx_upload(workbook([ROSTER], empty_rows=5_000_000)),
        "shared string": xlsx_upload(workbook([ROSTER, ["1", SharedString(0)]], shared_chars=120 * MB)),
        "allowed shared string": xlsx_upload(workbook([ROSTER, [make_id_number(3), SharedString(0), "",
                                                                village.code, "", ""]], shared_chars=49 * MB)),
        "nul": SimpleUploadedFile("nul.csv", (",".join(ROSTER) + f"\n{make_id_number(1)},李\x00明,,{village.code},,\n"
                                              f"{make_id_number(2)},王芳,,{village.code},,\n").encode()),
    }
    jobs = {name: imports.import_upload(actor=county_admin, kind="workers", upload=upload)
            for name, upload in files.items()}

    def settled(job):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status not in ("validating", "importing"):
                return job
            time.sleep(0.2)
        pytest.fail(f"{job.filename} stayed {job.status}")

    try:
        failed_with(settled(jobs["empty rows"]), "空行")
        failed_with(settled(jobs["shared string"]), "50 MB")
        allowed = settled(jobs["allowed shared string"])
        assert allowed.status == "preview" and allowed.valid_rows == 0 and "1000" in allowed.problems[0]["message"]
        nul = settled(jobs["nul"])
        assert nul.status == "preview" and nul.valid_rows == 1 and nul.problems[0]["row"] == 2
        imports.import_confirm(actor=county_admin, job=nul, import_rows="valid")
        assert settled(nul).status == "done" and list(Worker.objects.values_list("name", flat=True)) == ["王芳"]
        grown = _worker_memory_mb(pid)["VmHWM"] - start
        print(f"real worker: peak memory +{grown:.0f} MB over the four files")
        assert grown < 300
    finally:
        for job in ImportJob.objects.all():
            job.file.delete(save=False)
