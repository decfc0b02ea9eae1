"""Roster imports that change registered workers (issue 14, part 5): the preview shows each update as
"field: old → new", a category change is imported only with an explicit tick, and the phone rule of the
form and the service applies to each row."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from labor.choices import ImportStatus
from labor.models import ImportJob, Worker
from tests.factories import WorkerFactory
from tests.labor import importing
from tests.labor.test_imports import ROSTER_HEADER, xlsx

pytestmark = pytest.mark.django_db


def roster(worker, name=None, phone=None, category="脱贫人口"):
    return xlsx([ROSTER_HEADER, [worker.id_number, name or worker.name, phone if phone is not None else worker.phone,
                                 worker.village.code, category, "否"]])


def test_the_preview_lists_each_update_as_old_and_new(county_admin):
    worker = WorkerFactory(name="李四", phone="13900000002", category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker, name="李肆",
                                                                             category="一般"))
    assert job.status == ImportStatus.PREVIEW
    [update] = job.updates
    assert update["name"] == "李四"
    shown = {c["field"]: (c["label"], c["old"], c["new"]) for c in update["changes"]}
    assert shown == {"name": ("姓名", "李四", "李肆"), "category": ("类别", "脱贫人口", "一般劳动力")}


def test_the_page_shows_the_updates_and_the_tick(page, county_admin):
    worker = WorkerFactory(name="李四", category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker, category="一般"))
    body = page(county_admin).get(reverse("labor-import-detail", args=[job.pk])).content.decode()
    assert "类别: 脱贫人口 → 一般劳动力" in body
    assert 'id="confirm-category"' in body


def test_a_category_change_is_refused_without_the_tick(county_admin):
    worker = WorkerFactory(category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker, category="一般"))
    with pytest.raises(ValidationError) as caught:
        importing.confirm(actor=county_admin, job=job, import_rows="valid")
    assert "勾选" in caught.value.message_dict["confirm_category"][0]
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.PREVIEW
    assert Worker.objects.get(pk=worker.pk).category == "poverty_alleviated"


def test_the_page_refuses_without_the_tick_and_imports_with_it(page, county_admin):
    worker = WorkerFactory(category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker, category="一般"))
    client = page(county_admin)
    url = reverse("labor-import-confirm", args=[job.pk])
    response = client.post(url, {"import_rows": "valid"}, follow=True)
    assert "勾选" in response.content.decode()
    assert Worker.objects.get(pk=worker.pk).category == "poverty_alleviated"
    with importing.committed():
        client.post(url, {"import_rows": "valid", "confirm_category": "1"})
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
    assert Worker.objects.get(pk=worker.pk).category == "general"


def test_updates_without_a_category_change_need_no_tick(county_admin):
    worker = WorkerFactory(name="王五", category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker, name="王伍"))
    assert [c["field"] for c in job.updates[0]["changes"]] == ["name"]
    job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
    assert job.status == ImportStatus.DONE
    assert Worker.objects.get(pk=worker.pk).name == "王伍"


def test_an_unchanged_row_is_no_update(county_admin):
    worker = WorkerFactory(category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker))
    assert job.updates == []


def test_a_7_digit_phone_is_a_row_problem(county_admin):
    worker = WorkerFactory(category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker, phone="8621234"))
    assert job.valid_rows == 0
    assert any(p["column"] == "电话" and "区号" in p["message"] for p in job.problems)


def test_the_api_confirm_takes_the_tick(api, county_admin):
    worker = WorkerFactory(category="poverty_alleviated")
    job = importing.upload(actor=county_admin, kind="workers", upload=roster(worker, category="一般"))
    client = api(county_admin)
    url = f"/api/v1/imports/{job.pk}/confirm/"
    refused = client.post(url, {"import_rows": "valid"}, format="json")
    assert refused.status_code == 400 and "confirm_category" in refused.json()["errors"]
    with importing.committed():
        done = client.post(url, {"import_rows": "valid", "confirm_category": True}, format="json")
    assert done.status_code == 200, done.json()
    assert Worker.objects.get(pk=worker.pk).category == "general"
