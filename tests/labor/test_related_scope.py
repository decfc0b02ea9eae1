"""Issue 11, point 7: a relation to another township's object is refused on the page and in the API alike
(accounts.scoping.related_choices), and the page offers only what may be picked."""

import pytest

from accounts.choices import Role
from labor.models import JobFair, Placement, Referral
from tests.factories import (
    BrokerFactory,
    JobFairFactory,
    PostFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_and_others(township_officer, jiuyuan, taiping):
    """A 旧院 officer; a 旧院 worker, workshop and broker; a 太平 broker, workshop and job fair."""
    home_village = VillageFactory(township=jiuyuan)
    other_village = VillageFactory(township=taiping)
    return {
        "officer": township_officer,
        "worker": WorkerFactory(village=home_village),
        "workshop": WorkshopFactory(name="旧院茶叶车间", village=home_village),
        "other_workshop": WorkshopFactory(name="太平竹编车间", village=other_village),
        "other_broker": BrokerFactory(user=make_user("taiping-broker", Role.BROKER, village=other_village)),
        "other_fair": JobFairFactory(township=taiping, title="太平专场招聘"),
        "home_broker": BrokerFactory(user=make_user("jiuyuan-broker-2", Role.BROKER, village=home_village)),
    }


class TestApi:
    def test_placement_with_another_townships_broker_is_a_400_on_broker(self, api, officer_and_others):
        o = officer_and_others
        body = {"worker": o["worker"].pk, "workshop": o["workshop"].pk, "start_date": "2025-03-01",
                "monthly_wage": "3000.00", "broker": o["other_broker"].pk}
        response = api(o["officer"]).post("/api/v1/placements/", body, format="json")
        assert response.status_code == 400, response.json()
        assert list(response.json()["errors"]) == ["broker"]
        assert not Placement.objects.exists()

        body["broker"] = o["home_broker"].pk
        response = api(o["officer"]).post("/api/v1/placements/", body, format="json")
        assert response.status_code == 201, response.json()
        assert Placement.objects.get().broker == o["home_broker"]

    def test_job_fair_with_another_townships_workshop_is_a_400_on_workshops(self, api, officer_and_others,
                                                                            jiuyuan):
        o = officer_and_others
        body = {"township": jiuyuan.code, "date": "2025-03-08", "title": "春风行动", "attendees": 10,
                "workshops": [o["workshop"].pk, o["other_workshop"].pk]}
        response = api(o["officer"]).post("/api/v1/job-fairs/", body, format="json")
        assert response.status_code == 400, response.json()
        assert list(response.json()["errors"]) == ["workshops"]
        assert not JobFair.objects.filter(title="春风行动").exists()

        body["workshops"] = [o["workshop"].pk]
        assert api(o["officer"]).post("/api/v1/job-fairs/", body, format="json").status_code == 201
        assert list(JobFair.objects.get(title="春风行动").workshops.all()) == [o["workshop"]]

    def test_referral_to_another_townships_job_fair_is_a_400_on_job_fair(self, api, officer_and_others):
        o = officer_and_others
        post = PostFactory(workshop=o["workshop"])
        body = {"worker": o["worker"].pk, "post": post.pk, "job_fair": o["other_fair"].pk}
        response = api(o["officer"]).post("/api/v1/referrals/", body, format="json")
        assert response.status_code == 400, response.json()
        assert list(response.json()["errors"]) == ["job_fair"]
        assert not Referral.objects.exists()

    def test_brokers_still_place_and_propose_in_any_townships_workshop(self, api, broker, officer_and_others):
        o = officer_and_others
        worker = WorkerFactory(village=broker.village)
        post = PostFactory(workshop=o["other_workshop"])
        client = api(broker.user)
        placed = client.post("/api/v1/placements/", {
            "worker": worker.pk, "workshop": o["other_workshop"].pk, "post": post.pk, "start_date": "2025-03-01",
            "monthly_wage": "3000.00"}, format="json")
        assert placed.status_code == 201, placed.json()
        proposed = client.post("/api/v1/referrals/", {"worker": worker.pk, "post": PostFactory(
            workshop=o["other_workshop"]).pk}, format="json")
        assert proposed.status_code == 201, proposed.json()


class TestPages:
    def test_job_fair_form_offers_only_the_townships_workshops(self, page, officer_and_others):
        o = officer_and_others
        html = page(o["officer"]).get("/labor/job-fairs/new/").content.decode()
        assert "旧院茶叶车间" in html
        assert "太平竹编车间" not in html

    def test_job_fair_form_refuses_another_townships_workshop(self, page, officer_and_others, jiuyuan):
        o = officer_and_others
        response = page(o["officer"]).post("/labor/job-fairs/new/", {
            "title": "春风行动", "date": "2025-03-08", "township": jiuyuan.pk, "attendees": 10,
            "workshops": [o["other_workshop"].pk]})
        assert response.status_code == 200  # the form again, with the error
        assert "workshops" in response.context["form"].errors
        assert not JobFair.objects.filter(title="春风行动").exists()

    def test_referral_form_offers_and_accepts_only_the_townships_job_fairs(self, page, officer_and_others,
                                                                           jiuyuan):
        o = officer_and_others
        home_fair = JobFairFactory(township=jiuyuan, title="旧院专场招聘")
        client = page(o["officer"])
        html = client.get(f"/labor/workers/{o['worker'].pk}/").content.decode()
        assert "旧院专场招聘" in html and "太平专场招聘" not in html

        post = PostFactory(workshop=o["workshop"])
        client.post(f"/labor/workers/{o['worker'].pk}/propose/", {"post": post.pk, "job_fair": o["other_fair"].pk})
        assert not Referral.objects.exists()
        client.post(f"/labor/workers/{o['worker'].pk}/propose/", {"post": post.pk, "job_fair": home_fair.pk})
        assert Referral.objects.get().job_fair == home_fair
