"""The partner contract of issue 4, checked as partners call it."""

from datetime import date
from decimal import Decimal

import pytest

from labor.models import Payroll, Placement, Worker
from tests.factories import (
    PayrollFactory,
    PlacementFactory,
    PostFactory,
    ReferralFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db
VALID_ID = "34052419800101001X"


def worker_body(village, **extra):
    return {"id_number": VALID_ID, "name": "李明", "phone": "13900001111", "village": village.code,
            "category": "poverty_alleviated", **extra}


class TestWorkers:
    def test_create_reads_back_with_derived_sex_and_birth_date(self, api, county_admin):
        village = VillageFactory()
        client = api(county_admin)
        response = client.post("/api/v1/workers/", worker_body(village, id_number=VALID_ID.lower()), format="json")
        assert response.status_code == 201, response.json()
        worker_id = response.json()["id"]
        data = client.get(f"/api/v1/workers/{worker_id}/").json()
        assert data["id_number"] == VALID_ID
        assert data["sex"] == "male"  # the 17th character, 1, is odd
        assert data["birth_date"] == "1980-01-01"
        assert data["village"] == village.code

    def test_wrong_check_character_is_400_on_id_number(self, api, county_admin):
        response = api(county_admin).post("/api/v1/workers/", worker_body(VillageFactory(),
                                          id_number="340524198001010011"), format="json")
        assert response.status_code == 400
        assert "id_number" in response.json()["errors"]
        assert not Worker.objects.exists()

    @pytest.mark.parametrize("bad", ["34052419800230001X", "34052430000101001X", "3405241980010100", "abc"])
    def test_impossible_numbers_are_400(self, api, county_admin, bad):
        response = api(county_admin).post("/api/v1/workers/", worker_body(VillageFactory(), id_number=bad),
                                          format="json")
        assert response.status_code == 400
        assert "id_number" in response.json()["errors"]

    def test_existing_id_number_is_409(self, api, county_admin):
        village = VillageFactory()
        client = api(county_admin)
        assert client.post("/api/v1/workers/", worker_body(village), format="json").status_code == 201
        again = client.post("/api/v1/workers/", worker_body(village, name="别人"), format="json")
        assert again.status_code == 409
        assert Worker.objects.count() == 1

    def test_search_filters_and_masking(self, api, county_admin, township_officer, jiuyuan, taiping):
        here = WorkerFactory(name="王小花", phone="13812345678", village=VillageFactory(township=jiuyuan),
                             category="monitored")
        WorkerFactory(name="赵大山", village=VillageFactory(township=taiping), category="general")
        county = api(county_admin)
        for term in ("小花", "1381234", here.id_number):
            results = county.get("/api/v1/workers/", {"search": term}).json()["results"]
            assert [r["id"] for r in results] == [here.pk], term
        assert [r["id"] for r in county.get("/api/v1/workers/", {"township": jiuyuan.code}).json()["results"]] == [
            here.pk]
        assert [r["id"] for r in county.get("/api/v1/workers/", {"category": "monitored"}).json()["results"]] == [
            here.pk]
        assert county.get("/api/v1/workers/", {"village": here.village.code}).json()["count"] == 1
        # A township officer sees their township only, with masked ID numbers.
        officer = api(township_officer).get("/api/v1/workers/").json()["results"]
        assert [r["id"] for r in officer] == [here.pk]
        assert officer[0]["id_number"] == here.id_number[:6] + "********" + here.id_number[-4:]
        assert county.get(f"/api/v1/workers/{here.pk}/").json()["id_number"] == here.id_number

    def test_broker_sees_only_their_village(self, api, broker, other_village_worker):
        mine = WorkerFactory(village=broker.village)
        client = api(broker.user)
        assert [r["id"] for r in client.get("/api/v1/workers/").json()["results"]] == [mine.pk]
        assert client.get(f"/api/v1/workers/{other_village_worker.pk}/").status_code == 404
        search = client.get("/api/v1/workers/", {"search": other_village_worker.id_number}).json()
        assert search["count"] == 0

    def test_broker_registers_in_own_village_not_elsewhere(self, api, broker, jiuyuan):
        client = api(broker.user)
        ok = client.post("/api/v1/workers/", worker_body(broker.village), format="json")
        assert ok.status_code == 201
        assert ok.json()["id_number"].startswith("340524********")
        elsewhere = client.post("/api/v1/workers/", worker_body(VillageFactory(township=jiuyuan),
                                id_number=make_id_number(7)), format="json")
        assert elsewhere.status_code == 400
        assert "village" in elsewhere.json()["errors"]


class TestPlacements:
    def test_create_and_idempotent_retry(self, api, county_admin):
        worker, workshop = WorkerFactory(), WorkshopFactory()
        post = PostFactory(workshop=workshop)
        client = api(county_admin)
        body = {"worker": worker.pk, "workshop": workshop.pk, "start_date": "2025-03-01", "monthly_wage": "3200.00",
                "post": post.pk}
        first = client.post("/api/v1/placements/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == 201, first.json()
        again = client.post("/api/v1/placements/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert Placement.objects.count() == 1
        placement = Placement.objects.get()
        assert placement.monthly_wage == Decimal("3200.00") and placement.post == post

    def test_second_open_placement_at_same_workshop_is_refused(self, api, county_admin):
        placement = PlacementFactory()
        body = {"worker": placement.worker_id, "workshop": placement.workshop_id, "start_date": "2025-05-01",
                "monthly_wage": "3000"}
        response = api(county_admin).post("/api/v1/placements/", body, format="json")
        assert response.status_code == 409
        assert Placement.objects.count() == 1

    def test_post_of_another_workshop_is_400(self, api, county_admin):
        body = {"worker": WorkerFactory().pk, "workshop": WorkshopFactory().pk, "post": PostFactory().pk,
                "start_date": "2025-05-01", "monthly_wage": "3000"}
        response = api(county_admin).post("/api/v1/placements/", body, format="json")
        assert response.status_code == 400 and "post" in response.json()["errors"]

    def test_end_keeps_the_placement_and_filters(self, api, county_admin):
        placement = PlacementFactory(start_date=date(2025, 1, 1))
        still = PlacementFactory()
        client = api(county_admin)
        response = client.post(f"/api/v1/placements/{placement.pk}/end/", {"end_date": "2025-06-30",
                               "reason": "回乡务农"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["end_date"] == "2025-06-30"
        assert client.post(f"/api/v1/placements/{placement.pk}/end/", {"end_date": "2025-07-30"},
                           format="json").status_code == 409
        assert Placement.objects.filter(pk=placement.pk).exists()
        ended = client.get("/api/v1/placements/", {"status": "ended"}).json()["results"]
        assert [r["id"] for r in ended] == [placement.pk]
        open_ = client.get("/api/v1/placements/", {"status": "open"}).json()["results"]
        assert [r["id"] for r in open_] == [still.pk]
        assert client.get("/api/v1/placements/", {"worker": still.worker_id}).json()["count"] == 1
        assert client.get("/api/v1/placements/", {"workshop": placement.workshop_id}).json()["count"] == 1
        township = placement.workshop.village.township.code
        assert client.get("/api/v1/placements/", {"township": township}).json()["count"] == 2

    def test_end_before_start_is_400(self, api, county_admin):
        placement = PlacementFactory(start_date=date(2025, 3, 1))
        response = api(county_admin).post(f"/api/v1/placements/{placement.pk}/end/", {"end_date": "2025-02-01"},
                                          format="json")
        assert response.status_code == 400 and "end_date" in response.json()["errors"]


class TestPayroll:
    def row(self, placement, month="2025-02", **extra):
        return {"placement": placement.pk, "month": month, "days_worked": 22, "wage_paid": "3200.00",
                "employer_social_insurance": "480.50", **extra}

    def test_single_row_then_same_month_updates(self, api, county_admin):
        placement = PlacementFactory(start_date=date(2025, 1, 10))
        client = api(county_admin)
        first = client.post("/api/v1/payroll/", self.row(placement), format="json")
        assert first.status_code == 201, first.json()
        assert first.json()["month"] == "2025-02"
        second = client.post("/api/v1/payroll/", self.row(placement, wage_paid="3300.00"), format="json")
        assert second.status_code in (200, 201)
        assert second.json()["id"] == first.json()["id"]
        row = Payroll.objects.get()
        assert row.wage_paid == Decimal("3300.00") and row.month == date(2025, 2, 1)

    def test_month_outside_the_placement_is_refused(self, api, county_admin):
        placement = PlacementFactory(start_date=date(2025, 3, 15), end_date=date(2025, 6, 30))
        client = api(county_admin)
        before = client.post("/api/v1/payroll/", self.row(placement, month="2025-02"), format="json")
        assert before.status_code == 400 and "month" in before.json()["errors"]
        after = client.post("/api/v1/payroll/", self.row(placement, month="2025-07"), format="json")
        assert after.status_code == 400
        # The start and end months themselves are within.
        assert client.post("/api/v1/payroll/", self.row(placement, month="2025-03"), format="json").status_code == 201
        assert client.post("/api/v1/payroll/", self.row(placement, month="2025-06"), format="json").status_code == 201

    def test_list_is_all_or_nothing_with_errors_by_index(self, api, county_admin):
        placements = [PlacementFactory() for _ in range(3)]
        client = api(county_admin)
        rows = [self.row(p) for p in placements]
        rows[1]["month"] = "2025/13"
        rows[2]["days_worked"] = 40
        response = client.post("/api/v1/payroll/", rows, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert set(errors) == {"1", "2"}, errors
        assert "month" in errors["1"] and "days_worked" in errors["2"]
        assert not Payroll.objects.exists()

    def test_list_with_a_month_outside_placement_writes_nothing(self, api, county_admin):
        good, late = PlacementFactory(), PlacementFactory(start_date=date(2025, 6, 1))
        response = api(county_admin).post("/api/v1/payroll/", [self.row(good), self.row(late)], format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["1"]
        assert not Payroll.objects.exists()

    def test_list_upserts(self, api, county_admin):
        placements = [PlacementFactory() for _ in range(4)]
        client = api(county_admin)
        response = client.post("/api/v1/payroll/", [self.row(p) for p in placements], format="json")
        assert response.status_code == 201
        assert response.json()["created"] == 4
        again = client.post("/api/v1/payroll/", [self.row(p, wage_paid="3500") for p in placements], format="json")
        assert again.json()["updated"] == 4 and again.json()["created"] == 0
        assert Payroll.objects.count() == 4
        assert set(Payroll.objects.values_list("wage_paid", flat=True)) == {Decimal("3500.00")}

    def test_list_over_5000_is_refused(self, api, county_admin):
        placement = PlacementFactory()
        response = api(county_admin).post("/api/v1/payroll/", [self.row(placement)] * 5001, format="json")
        assert response.status_code == 400

    def test_placement_outside_scope_is_an_error(self, api, township_officer, taiping):
        foreign = PlacementFactory(workshop=WorkshopFactory(village=VillageFactory(township=taiping)))
        response = api(township_officer).post("/api/v1/payroll/", [self.row(foreign)], format="json")
        assert response.status_code == 400 and "placement" in response.json()["errors"]["0"]

    def test_filters_and_cursor_pages(self, api, county_admin):
        placement = PlacementFactory()
        other = PlacementFactory()
        client = api(county_admin)
        client.post("/api/v1/payroll/", [self.row(placement, month=m) for m in ("2025-01", "2025-02", "2025-03")]
                    + [self.row(other)], format="json")
        assert len(client.get("/api/v1/payroll/", {"placement": placement.pk}).json()["results"]) == 3
        assert len(client.get("/api/v1/payroll/", {"workshop": other.workshop_id}).json()["results"]) == 1
        assert len(client.get("/api/v1/payroll/", {"month": "2025-02"}).json()["results"]) == 2
        page = client.get("/api/v1/payroll/", {"page_size": 2}).json()
        assert len(page["results"]) == 2 and page["next"]
        rest = client.get(page["next"]).json()
        assert len(rest["results"]) == 2 and not rest["next"]


class TestTrainings:
    def test_training_and_completion(self, api, county_admin):
        workshop, worker = WorkshopFactory(), WorkerFactory()
        client = api(county_admin)
        training = client.post("/api/v1/trainings/", {"name": "黑鸡养殖技能培训", "kind": "skills",
                               "organizer_workshop": workshop.pk, "start_date": "2025-04-01",
                               "end_date": "2025-04-10"}, format="json")
        assert training.status_code == 201, training.json()
        body = {"training": training.json()["id"], "worker": worker.pk, "certificate_level": "entry",
                "completed_on": "2025-04-10"}
        done = client.post("/api/v1/training-completions/", body, format="json")
        assert done.status_code == 201, done.json()
        assert client.post("/api/v1/training-completions/", body, format="json").status_code == 409
        bad = client.post("/api/v1/trainings/", {"name": "x", "kind": "skills", "organizer_workshop": workshop.pk,
                          "start_date": "2025-04-10", "end_date": "2025-04-01"}, format="json")
        assert bad.status_code == 400


class TestOtherResources:
    def test_cooperative_membership_job_fair_follow_up_returnee(self, api, county_admin, jiuyuan):
        worker = WorkerFactory(village=VillageFactory(township=jiuyuan))
        client = api(county_admin)
        coop = client.post("/api/v1/cooperatives/", {"name": "旧院劳务专业合作社", "township": jiuyuan.code},
                           format="json")
        assert coop.status_code == 201, coop.json()
        member = client.post("/api/v1/memberships/", {"worker": worker.pk, "cooperative": coop.json()["id"],
                                                      "joined_on": "2024-01-01"}, format="json")
        assert member.status_code == 201, member.json()
        assert client.get("/api/v1/cooperatives/").json()["results"][0]["member_count"] == 1
        fair = client.post("/api/v1/job-fairs/", {"township": jiuyuan.code, "date": "2025-03-08",
                                                  "title": "春风行动", "attendees": 200,
                                                  "workshops": [WorkshopFactory().pk]}, format="json")
        assert fair.status_code == 201, fair.json()
        placement = PlacementFactory(worker=worker, start_date=date(2025, 1, 1))
        visit = client.post("/api/v1/follow-ups/", {"placement": placement.pk, "visited_on": "2025-02-01",
                                                    "still_employed": True, "note": "稳定"}, format="json")
        assert visit.status_code == 201, visit.json()
        early = client.post("/api/v1/follow-ups/", {"placement": placement.pk, "visited_on": "2024-12-01"},
                            format="json")
        assert early.status_code == 400
        returnee = client.post("/api/v1/returnees/", {"worker": worker.pk, "returned_on": "2023-05-01"},
                               format="json")
        assert returnee.status_code == 201
        worker.refresh_from_db()
        assert worker.returnee is True

    def test_broker_cannot_reach_other_villages_through_placements_or_payroll(self, api, broker,
                                                                              other_village_worker):
        foreign = PlacementFactory(worker=other_village_worker)
        mine = PlacementFactory(worker=WorkerFactory(village=broker.village))
        client = api(broker.user)
        assert [r["id"] for r in client.get("/api/v1/placements/").json()["results"]] == [mine.pk]
        assert client.get(f"/api/v1/placements/{foreign.pk}/").status_code == 404
        assert client.post(f"/api/v1/placements/{foreign.pk}/end/", {"end_date": "2025-05-01"},
                           format="json").status_code == 404
        body = {"worker": other_village_worker.pk, "workshop": WorkshopFactory().pk, "start_date": "2025-05-01",
                "monthly_wage": "3000"}
        refused = client.post("/api/v1/placements/", body, format="json")
        assert refused.status_code == 400 and "worker" in refused.json()["errors"]
        # another village's placement named in a filter is a 400 on that field, as if it did not exist (issue 14)
        filtered = client.get("/api/v1/follow-ups/", {"placement": foreign.pk})
        assert filtered.status_code == 400 and list(filtered.json()["errors"]) == ["placement"]
        # Brokers do not post payroll at all.
        assert client.post("/api/v1/payroll/", {"placement": mine.pk, "month": "2025-02", "days_worked": 20,
                                                "wage_paid": "3000"}, format="json").status_code == 403

    def test_read_only_partner_cannot_write(self, api, db):
        from accounts.models import ApiClient
        from tests.factories import make_user

        partner = make_user("putuo", "partner")
        ApiClient.objects.create(name="普陀驿站", user=partner, read_only=True)
        client = api(partner)
        assert client.get("/api/v1/workers/").status_code == 200
        response = client.post("/api/v1/workers/", worker_body(VillageFactory()), format="json")
        assert response.status_code == 403


class TestQueryCounts:
    @pytest.mark.parametrize("url", ["/api/v1/workers/", "/api/v1/placements/", "/api/v1/payroll/",
                                     "/api/v1/referrals/", "/api/v1/job-fairs/"])
    def test_lists_do_not_grow_with_rows(self, api, county_admin, url, django_assert_max_num_queries):
        from tests.factories import JobFairFactory

        client = api(county_admin)

        def add(n):
            for _ in range(n):
                payroll = PayrollFactory()
                ReferralFactory(worker=payroll.placement.worker)
                JobFairFactory().workshops.add(payroll.placement.workshop)

        add(2)
        with django_assert_max_num_queries(20) as few:
            assert client.get(url).status_code == 200
        add(8)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200


def test_broker_also_sees_their_cooperatives_members(api, jiuyuan):
    from tests.factories import BrokerFactory, CooperativeFactory, MembershipFactory, make_user

    coop = CooperativeFactory(township=jiuyuan)
    user = make_user("coop-broker", "broker", village=VillageFactory(township=jiuyuan), cooperative=coop)
    BrokerFactory(user=user)
    member = MembershipFactory(cooperative=coop, worker=WorkerFactory(village=VillageFactory(township=jiuyuan))).worker
    outsider = WorkerFactory(village=VillageFactory(township=jiuyuan))
    ids = [r["id"] for r in api(user).get("/api/v1/workers/").json()["results"]]
    assert member.pk in ids and outsider.pk not in ids


def test_a_payroll_body_that_is_null_gets_field_errors_in_the_one_format(api, county_admin):
    """schemathesis (CI, 2026-12-01) posted `null`: the 400's `errors` was a list, not the documented object."""
    response = api(county_admin).post("/api/v1/payroll/", data="null", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["errors"], dict) and body["errors"]["non_field_errors"] and body["detail"]
