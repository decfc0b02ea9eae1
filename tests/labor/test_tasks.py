"""Every import runs as Celery tasks; the page polls a progress bar until the report is ready."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from labor.imports import services as imports
from labor.models import ImportJob, Worker
from tests.factories import VillageFactory, make_id_number

VALID_ID = "34052419800101001X"


def roster_csv(village, rows=3):
    lines = ["身份证号,姓名,电话,村代码,人员类别"]
    lines += [f"{make_id_number(n + 1)},工人{n},,{village.code}," for n in range(rows)]
    lines.append(f"bad,坏,,{village.code},")
    return SimpleUploadedFile("big.csv", "\n".join(lines).encode())


@pytest.mark.django_db
def test_the_page_polls_progress_until_the_report(page, county_admin, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    client = page(county_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/labor/imports/", {"kind": "workers", "file": roster_csv(VillageFactory())})
    job = ImportJob.objects.get()
    assert job.status == "validating" and len(queued) == 1
    waiting = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "progress-bar" in waiting
    queued[0]()  # the task runs (eagerly here)
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "共 4 行，有效 3 行" in fragment
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "confirm/", {"import_rows": "valid"})
    assert Worker.objects.count() == 3


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_checks_and_imports(celery_worker_process, county_admin, monkeypatch):
    job = imports.import_upload(actor=county_admin, kind="workers", upload=roster_csv(VillageFactory(), rows=50))

    def wait_for(status):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == status:
                return job
            time.sleep(0.2)
        pytest.fail(f"the import stayed {job.status}: {job.error}")

    try:
        wait_for("preview")
        assert (job.total_rows, job.valid_rows) == (51, 50)
        imports.import_confirm(actor=county_admin, job=job, import_rows="valid")
        wait_for("done")
        assert Worker.objects.count() == 50 and job.created_count == 50
    finally:
        job.file.delete(save=False)
