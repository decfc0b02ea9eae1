"""Pages: what brokers, operators and officials see, and what they must not."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from labor.models import Placement, Referral, Worker
from tests.exports import exported
from tests.factories import PlacementFactory, PostFactory, VillageFactory, WorkerFactory
from tests.labor import importing

pytestmark = pytest.mark.django_db
VALID_ID = "34052419800101001X"


def sheet_rows(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


class TestBrokerScope:
    def test_lists_search_export_and_detail_stay_in_the_village(self, page, broker, other_village_worker):
        mine = WorkerFactory(name="本村工人", village=broker.village)
        client = page(broker.user)
        listing = client.get("/labor/workers/").content.decode()
        assert "本村工人" in listing and "外村工人" not in listing
        assert mine.id_number not in listing and mine.masked_id_number in listing
        rows = sheet_rows(exported(client, "/labor/workers/?export=xlsx"))
        flat = str(rows)
        assert "本村工人" in flat and "外村工人" not in flat
        assert mine.id_number not in flat and mine.masked_id_number in flat
        assert client.get(f"/labor/workers/{other_village_worker.pk}/").status_code == 404
        found = client.get("/labor/", {"q": other_village_worker.id_number}).content.decode()
        assert "外村工人" not in found
        assert "本村工人" in client.get("/labor/", {"q": "本村"}).content.decode()
        assert client.post(f"/labor/workers/{other_village_worker.pk}/propose/",
                           {"post": PostFactory().pk}).status_code == 404

    def test_placements_export_masked_and_scoped(self, page, broker, other_village_worker):
        PlacementFactory(worker=WorkerFactory(name="本村工人", village=broker.village))
        PlacementFactory(worker=other_village_worker)
        flat = str(sheet_rows(exported(page(broker.user), "/labor/placements/?export=xlsx")))
        assert "本村工人" in flat and "外村工人" not in flat

    def test_county_staff_see_whole_numbers(self, page, county_admin):
        worker = WorkerFactory()
        client = page(county_admin)
        assert worker.id_number in client.get(f"/labor/workers/{worker.pk}/").content.decode()
        assert worker.id_number in str(sheet_rows(exported(client, "/labor/workers/?export=xlsx")))

    def test_worker_list_queries_do_not_grow_with_rows(self, page, county_admin, django_assert_max_num_queries):
        client = page(county_admin)
        for _ in range(3):
            WorkerFactory()
        with django_assert_max_num_queries(12) as small:
            client.get("/labor/workers/")
        for _ in range(20):
            WorkerFactory()
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get("/labor/workers/")


class TestBrokerFlow:
    def test_live_id_check_fragment(self, page, broker):
        client = page(broker.user)
        good = client.get("/labor/workers/check-id/", {"id_number": VALID_ID.lower()}).content.decode()
        assert 'data-valid="true"' in good and "1980-01-01" in good and "男" in good
        bad = client.get("/labor/workers/check-id/", {"id_number": "340524198001010011"}).content.decode()
        assert 'data-valid="false"' in bad and "校验码" in bad

    def test_register_propose_and_operator_hires(self, page, broker, operator):
        client = page(broker.user)
        response = client.post("/labor/workers/new/", {"id_number": VALID_ID, "name": "李明", "phone": "13900001111",
                                                       "village": broker.village.pk, "category": "monitored"})
        assert response.status_code == 302
        worker = Worker.objects.get()
        again = client.post("/labor/workers/new/", {"id_number": VALID_ID, "name": "李明",
                                                    "village": broker.village.pk, "category": "general"})
        assert "已登记" in again.content.decode() and Worker.objects.count() == 1
        post = PostFactory()
        client.post(f"/labor/workers/{worker.pk}/propose/", {"post": post.pk})
        referral = Referral.objects.get()
        assert referral.broker == broker and referral.outcome == "pending"
        boss = page(operator(post.workshop))
        assert "李明" in boss.get("/labor/referrals/").content.decode()
        boss.post(f"/labor/referrals/{referral.pk}/decide/", {"outcome": "hired"})
        referral.refresh_from_db()
        assert referral.outcome == "hired" and referral.placement.workshop == post.workshop
        assert Placement.objects.get().source == "broker"
        home = client.get("/labor/").content.decode()
        assert "100%" in home

    def test_follow_up(self, page, broker):
        placement = PlacementFactory(worker=WorkerFactory(village=broker.village))
        client = page(broker.user)
        client.post(f"/labor/workers/{placement.worker_id}/placements/{placement.pk}/follow-up/",
                    {"visited_on": "2025-03-01", "still_employed": "on", "note": "工作稳定"})
        assert placement.follow_ups.get().note == "工作稳定"


class TestImportPages:
    def test_template_has_chinese_headers_and_an_example(self, page, county_admin):
        VillageFactory()
        rows = sheet_rows(page(county_admin).get("/labor/imports/template/workers.xlsx"))
        assert rows[0] == ["身份证号", "姓名", "电话", "村代码", "人员类别", "返乡人员（是/否）"]
        assert rows[1][0] == VALID_ID

    def test_upload_preview_and_nothing(self, page, county_admin):
        village = VillageFactory()
        client = page(county_admin)
        csv = f"身份证号,姓名,电话,村代码,人员类别\n{VALID_ID},李明,,{village.code},\nbad,坏,,{village.code},\n"
        with importing.committed():  # the check is queued after the request commits
            response = client.post("/labor/imports/", {"kind": "workers",
                                                       "file": SimpleUploadedFile("a.csv", csv.encode())})
        assert response.status_code == 302
        preview = client.get(response["Location"]).content.decode()
        assert "导入 1 条有效行" in preview and "身份证号由 17 位数字" in preview
        client.post(response["Location"] + "confirm/", {"import_rows": "nothing"})
        assert not Worker.objects.exists()


class TestEveryPageOpens:
    @pytest.mark.parametrize("role", ["county_admin", "township_officer", "broker", "operator"])
    def test_lists_and_forms_open_for_each_role(self, request, page, role, operator):
        user = operator() if role == "operator" else request.getfixturevalue(role)
        user = getattr(user, "user", user)
        placement = PlacementFactory(worker=WorkerFactory(village=VillageFactory()))
        PostFactory(workshop=placement.workshop)
        client = page(user)
        for url in ("/labor/", "/labor/workers/", "/labor/placements/", "/labor/payroll/", "/labor/referrals/",
                    "/labor/imports/", "/labor/job-fairs/", "/labor/cooperatives/", "/labor/trainings/",
                    "/labor/memberships/", "/labor/training-completions/", "/labor/returnees/",
                    "/labor/memberships/new/", "/labor/training-completions/new/", "/labor/returnees/new/",
                    "/labor/workers/new/", "/labor/placements/?status=open&export=xlsx",
                    "/labor/payroll/?month=2025-01", "/labor/payroll/?month=bad"):
            response = client.get(url)
            # 下载Excel queues a background export and redirects to it (core.exports)
            expected = (302, 403) if "export=xlsx" in url else (200, 403)
            assert response.status_code in expected, (url, response.status_code)
