"""The workshop API contract partner systems rely on, and scoping."""

from datetime import date

import pytest

from accounts.models import AuditEvent
from accounts.permissions import SYSTEM
from tests.factories import (
    EnterpriseFactory,
    PlacementFactory,
    PostFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_user,
)
from workshops.models import CertificationEvent, Workshop

pytestmark = pytest.mark.django_db


def staff(workshop, count, assisted, start=date(2025, 1, 1), end=None):
    for index in range(count):
        worker = WorkerFactory(category="poverty_alleviated" if index < assisted else "general")
        PlacementFactory(worker=worker, workshop=workshop, start_date=start, end_date=end)


def test_create_workshop_contract(api, county_admin, jiuyuan):
    enterprise = EnterpriseFactory()
    village = VillageFactory(township=jiuyuan)
    response = api(county_admin).post("/api/v1/workshops/", {
        "name": "旧院黑鸡帮扶车间", "kind": "assistance", "form": "village_site", "industry": "black_chicken",
        "enterprise": enterprise.pk, "village": village.code,
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.data["status"] == "applied"
    assert Workshop.objects.get(pk=response.data["id"]).village == village
    assert AuditEvent.objects.filter(action="workshop.create", object_id=str(response.data["id"])).exists()


def test_create_workshop_with_unknown_village_is_400(api, county_admin):
    response = api(county_admin).post("/api/v1/workshops/", {
        "name": "x", "kind": "assistance", "form": "centralized", "industry": "tea",
        "enterprise": EnterpriseFactory().pk, "village": "511781999999",
    }, format="json")
    assert response.status_code == 400
    assert "village" in response.data["errors"]
    assert not Workshop.objects.exists()


def test_certify_refused_is_409_with_reason_then_allowed_when_staffed(api, county_officer):
    workshop = WorkshopFactory()
    client = api(county_officer)
    refused = client.post(f"/api/v1/workshops/{workshop.pk}/certify/", {"date": "2025-03-01"}, format="json")
    assert refused.status_code == 409
    assert "0" in refused.data["detail"]
    staff(workshop, 10, 5)
    accepted = client.post(f"/api/v1/workshops/{workshop.pk}/certify/", {"date": "2025-03-01"}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.data["status"] == "certified"
    again = client.post(f"/api/v1/workshops/{workshop.pk}/certify/", {"date": "2025-03-02"}, format="json")
    assert again.status_code == 409


def test_revoke_needs_certified_workshop_and_reason(api, county_admin):
    workshop = WorkshopFactory()
    client = api(county_admin)
    url = f"/api/v1/workshops/{workshop.pk}/revoke/"
    assert client.post(url, {"date": "2025-03-01", "reason": "空壳"}, format="json").status_code == 409
    client.post(f"/api/v1/workshops/{workshop.pk}/certify/",
                {"date": "2025-02-01", "override_reason": "县里特批"}, format="json")
    assert client.post(url, {"date": "2025-03-01"}, format="json").status_code == 400
    response = client.post(url, {"date": "2025-03-01", "reason": "用工不足"}, format="json")
    assert response.status_code == 200
    assert response.data["status"] == "revoked"
    history = client.get(f"/api/v1/workshops/{workshop.pk}/certification-events/").data["results"]
    assert [e["action"] for e in history] == ["revoked", "certified"]


def test_override_only_by_county_admin(api, county_officer, county_admin):
    workshop = WorkshopFactory()
    url = f"/api/v1/workshops/{workshop.pk}/certify/"
    body = {"date": "2025-03-01", "override_reason": "异地安置点，先行认定"}
    assert api(county_officer).post(url, body, format="json").status_code == 403
    response = api(county_admin).post(url, body, format="json")
    assert response.status_code == 200
    event = CertificationEvent.objects.get(workshop=workshop)
    assert event.override and event.reason == body["override_reason"]
    assert AuditEvent.objects.filter(action="workshop.certify_override", object_id=str(workshop.pk)).exists()


def test_certify_with_bad_date_is_400(api, county_admin):
    workshop = WorkshopFactory()
    response = api(county_admin).post(f"/api/v1/workshops/{workshop.pk}/certify/", {"date": "2025-13-01"},
                                      format="json")
    assert response.status_code == 400
    assert "date" in response.data["errors"]


def test_township_officer_sees_and_edits_only_own_township(api, township_officer, jiuyuan, taiping):
    own = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    other = WorkshopFactory(village=VillageFactory(township=taiping))
    client = api(township_officer)
    listed = client.get("/api/v1/workshops/").data
    assert [row["id"] for row in listed["results"]] == [own.pk]
    assert client.get(f"/api/v1/workshops/{other.pk}/").status_code == 404
    assert client.patch(f"/api/v1/workshops/{other.pk}/", {"name": "x"}, format="json").status_code == 404
    assert client.post(f"/api/v1/workshops/{other.pk}/certify/", {"date": "2025-01-01"},
                       format="json").status_code == 404
    assert client.patch(f"/api/v1/workshops/{own.pk}/", {"name": "改名车间"}, format="json").status_code == 200
    moved = client.patch(f"/api/v1/workshops/{own.pk}/", {"village": other.village.code}, format="json")
    assert moved.status_code == 400
    own.refresh_from_db()
    assert own.village.township == jiuyuan


def test_operator_sees_only_own_workshop(api, jiuyuan):
    own = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    WorkshopFactory(village=VillageFactory(township=jiuyuan))
    operator = make_user("op", "workshop_operator", workshop=own)
    client = api(operator)
    assert [row["id"] for row in client.get("/api/v1/workshops/").data["results"]] == [own.pk]
    assert client.post(f"/api/v1/workshops/{own.pk}/certify/", {"date": "2025-01-01"},
                       format="json").status_code == 403


def test_workshop_list_query_count_is_constant(api, county_admin, django_assert_num_queries):
    client = api(county_admin)
    WorkshopFactory()
    client.get("/api/v1/workshops/")
    with django_assert_num_queries(3) as first:
        client.get("/api/v1/workshops/")
    for _ in range(5):
        staff(WorkshopFactory(), 2, 1)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/api/v1/workshops/")
    assert response.data["count"] == 6
    assert sorted(row["headcount"] for row in response.data["results"]) == [0, 2, 2, 2, 2, 2]


def test_posts_scoped_and_filtered(api, township_officer, jiuyuan, taiping):
    own = PostFactory(workshop=WorkshopFactory(village=VillageFactory(township=jiuyuan)), reserved=True)
    PostFactory(workshop=own.workshop, reserved=False)
    PostFactory(workshop=WorkshopFactory(village=VillageFactory(township=taiping)), reserved=True)
    data = api(township_officer).get("/api/v1/posts/?reserved=true").data
    assert [row["id"] for row in data["results"]] == [own.pk]


def test_difficulty_raise_and_resolve(api, county_officer):
    workshop = WorkshopFactory()
    client = api(county_officer)
    raised = client.post("/api/v1/difficulties/", {
        "workshop": workshop.pk, "category": "electricity", "description": "变压器容量不足",
        "raised_on": "2025-04-01",
    }, format="json")
    assert raised.status_code == 201, raised.content
    assert raised.data["status"] == "open"
    url = f"/api/v1/difficulties/{raised.data['id']}/resolve/"
    early = client.post(url, {"resolved_on": "2025-03-01", "resolution": "增容"}, format="json")
    assert early.status_code == 400
    done = client.post(url, {"resolved_on": "2025-05-01", "resolution": "供电公司增容",
                             "responsible_department": "县经信局"}, format="json")
    assert done.status_code == 200
    assert done.data["status"] == "resolved"
    assert client.post(url, {"resolved_on": "2025-05-02", "resolution": "x"}, format="json").status_code == 409


def partner_client(read_only: bool):
    from rest_framework.test import APIClient

    from accounts.services import api_client_create

    _client, key = api_client_create(actor=SYSTEM, name=f"partner-{read_only}", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def workshop_body(village):
    return {"name": "普陀协作加工车间", "kind": "processing", "form": "centralized", "industry": "other",
            "enterprise": EnterpriseFactory(origin="east").pk, "village": village.code}


def test_read_write_partner_registers_a_workshop_read_only_partner_cannot(jiuyuan):
    village = VillageFactory(township=jiuyuan)
    assert partner_client(read_only=True).post("/api/v1/workshops/", workshop_body(village),
                                               format="json").status_code == 403
    response = partner_client(read_only=False).post("/api/v1/workshops/", workshop_body(village), format="json")
    assert response.status_code == 201 and response.data["status"] == "applied"


def test_retried_create_with_idempotency_key_makes_one_workshop(api, county_admin, jiuyuan):
    client = api(county_admin)
    body = workshop_body(VillageFactory(township=jiuyuan))
    first = client.post("/api/v1/workshops/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/workshops/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.data["id"] == again.data["id"]
    assert Workshop.objects.count() == 1


def test_filters_on_the_api(api, county_admin, jiuyuan, taiping):
    WorkshopFactory(name="B workshop", kind="processing", village=VillageFactory(township=jiuyuan))
    WorkshopFactory(name="A workshop", kind="assistance", village=VillageFactory(township=taiping))
    client = api(county_admin)
    assert [r["name"] for r in client.get("/api/v1/workshops/?kind=processing").data["results"]] == ["B workshop"]
    assert [r["name"] for r in client.get("/api/v1/workshops/?township=511781100").data["results"]] == ["A workshop"]
    assert [r["name"] for r in client.get("/api/v1/workshops/?ordering=-name").data["results"]] == [
        "B workshop", "A workshop"]
    assert client.get("/api/v1/workshops/?kind=nonsense").status_code == 400
