"""The audit log as a history a county admin can read (issue 11): the page, its Excel export and
GET /api/v1/audit-events/ show each event's actor, time, address, action and the changed fields'
old → new values; filters narrow all three alike; no other role reads it."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook

from accounts import audit
from accounts.choices import Role
from accounts.models import AuditEvent
from accounts.permissions import SYSTEM
from tests.exports import exported
from tests.factories import PASSWORD, WorkshopFactory, make_user
from workshops.choices import WorkshopStatus

pytestmark = pytest.mark.django_db

PAGE = "/accounts/audit/"
API = "/api/v1/audit-events/"


@pytest.fixture
def reader(client):
    user = make_user("audit-reader", Role.COUNTY_ADMIN)
    user.last_name, user.first_name = "王", "审计"
    user.save()
    assert client.login(username=user.username, password=PASSWORD)
    return user


@pytest.fixture
def history(reader, jiuyuan):
    """A small history: an officer renames a workshop, the system certifies it, an old-format event."""
    AuditEvent.objects.all().delete()  # the users' own creation events
    officer = make_user("li-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    officer.last_name, officer.first_name = "李", "四"
    officer.save()
    AuditEvent.objects.all().delete()
    workshop = WorkshopFactory(name="青花椒加工车间")
    rename = audit.record(officer, "workshop.update", workshop, {"name": ["花椒车间", "青花椒加工车间"],
                                                                 "address": ["老街1号", "新街2号"]})
    certify = audit.record(SYSTEM, "workshop.certify", workshop, {"status": ["applied", "certified"]})
    old_format = audit.record(officer, "enterprise.update", None, {"contact": "张三"})
    # an older event, three days back
    AuditEvent.objects.filter(pk=old_format.pk).update(created_at=timezone.now() - timedelta(days=3))
    AuditEvent.objects.filter(pk=rename.pk).update(ip="10.1.2.3")
    return {"officer": officer, "workshop": workshop, "rename": rename, "certify": certify,
            "old_format": old_format}


def event_ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'data-event="(\d+)"', response.content.decode())]


def test_the_page_shows_who_did_what_with_old_and_new_values(client, history):
    page = client.get(PAGE)
    html = page.content.decode()
    assert event_ids(page) == [history["certify"].pk, history["rename"].pk, history["old_format"].pk]
    assert "李四 (li-officer)" in html and "10.1.2.3" in html
    assert "花椒车间 → 青花椒加工车间" in html  # the field's old → new value
    assert "地址: 老街1号 → 新街2号" in html  # the field by its Chinese name
    assert "系统" in html  # the certification was a background job's
    assert "认定车间" in html  # the action in Chinese
    assert f'href="/workshops/{history["workshop"].pk}/"' in html  # the object, linked to its page
    assert "contact: 张三" in html  # an old-format event (new value only) still displays


def test_filters_narrow_the_page(client, history, reader):
    rename, certify, old = history["rename"].pk, history["certify"].pk, history["old_format"].pk
    workshop = history["workshop"]
    today = timezone.localdate()
    assert event_ids(client.get(PAGE, {"actor": "李四"})) == [rename, old]
    assert event_ids(client.get(PAGE, {"actor": "li-off"})) == [rename, old]
    assert event_ids(client.get(PAGE, {"actor": "系统"})) == [certify]
    assert event_ids(client.get(PAGE, {"action": "workshop"})) == [certify, rename]
    assert event_ids(client.get(PAGE, {"action": "workshop.certify"})) == [certify]
    assert event_ids(client.get(PAGE, {"object_type": "workshops.workshop"})) == [certify, rename]
    assert event_ids(client.get(PAGE, {"object_id": str(workshop.pk)})) == [certify, rename]
    since_today = client.get(PAGE, {"date_from": today.isoformat()})
    assert event_ids(since_today) == [certify, rename]
    # the date picker gets its value back in the form it understands
    assert f'type="date" name="date_from" value="{today.isoformat()}"' in since_today.content.decode()
    assert event_ids(client.get(PAGE, {"date_to": (today - timedelta(days=1)).isoformat()})) == [old]
    assert event_ids(client.get(PAGE, {"search": "青花椒"})) == [certify, rename]
    assert event_ids(client.get(PAGE, {"search": "no such object"})) == []


def test_the_page_shows_fifty_events_a_page(client, reader):
    for n in range(60):
        audit.record(reader, "user.update", reader, {"phone": [str(n), str(n + 1)]})
    assert len(event_ids(client.get(PAGE))) == 50
    assert len(event_ids(client.get(PAGE, {"page": 2}))) == AuditEvent.objects.count() - 50


def test_the_export_holds_the_filtered_list(client, history):
    response = exported(client, PAGE, {"action": "workshop", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    certify, rename = history["certify"], history["rename"]
    applied, certified = (str(WorkshopStatus(code).label) for code in ("applied", "certified"))

    def stamp(event):
        return timezone.localtime(AuditEvent.objects.get(pk=event.pk).created_at).strftime("%Y-%m-%d %H:%M:%S")

    assert rows == [
        ("时间", "操作人", "IP地址", "操作", "对象", "变更内容"),
        (stamp(certify), "系统", None, "认定车间", "车间 青花椒加工车间", f"状态: {applied} → {certified}"),
        (stamp(rename), "李四 (li-officer)", "10.1.2.3", "修改车间", "车间 青花椒加工车间",
         "名称: 花椒车间 → 青花椒加工车间\n地址: 老街1号 → 新街2号"),
    ]


def test_the_api_lists_events_with_old_and_new_values_and_the_same_filters(client, history):
    response = client.get(API, {"object_type": "workshops.workshop"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}  # cursor pagination
    assert [event["id"] for event in body["results"]] == [history["certify"].pk, history["rename"].pk]
    rename = body["results"][1]
    assert rename["actor"] == {"id": history["officer"].pk, "username": "li-officer", "name": "李四"}
    assert rename["ip"] == "10.1.2.3" and rename["action"] == "workshop.update"
    assert rename["object_url"] == f"/workshops/{history['workshop'].pk}/"
    name = next(change for change in rename["changes"] if change["field"] == "name")
    assert (name["old"], name["new"], name["has_old"]) == ("花椒车间", "青花椒加工车间", True)
    assert body["results"][0]["actor"] is None and body["results"][0]["actor_label"] == "系统"
    assert [e["id"] for e in client.get(API, {"actor": "李四"}).json()["results"]] == [
        history["rename"].pk, history["old_format"].pk]
    one = client.get(f"{API}{history['rename'].pk}/").json()
    assert one == rename
    invalid = client.get(API, {"object_type": "no.such", "date_from": "yesterday"})
    assert invalid.status_code == 400 and set(invalid.json()["errors"]) == {"object_type", "date_from"}
    old = client.get(API, {"search": "", "action": "enterprise"}).json()["results"][0]
    assert old["changes"] == [{"field": "contact", "label": "contact", "old": None, "new": "张三",
                               "has_old": False}]


def test_the_api_pages_by_cursor(client, reader):
    for n in range(7):
        audit.record(reader, "user.update", reader, {"phone": [str(n), str(n + 1)]})
    expected = list(AuditEvent.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    seen, url = [], f"{API}?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [event["id"] for event in body["results"]]
        url = body["next"]
    assert seen == expected


@pytest.mark.parametrize("role", [Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.BROKER,
                                  Role.WORKSHOP_OPERATOR, Role.PARTNER])
def test_other_roles_are_refused(client, api, role, jiuyuan, history):
    from tests.factories import VillageFactory

    scope = {}
    if role in (Role.TOWNSHIP_OFFICER,):
        scope = {"township": jiuyuan}
    elif role == Role.BROKER:
        scope = {"village": VillageFactory(township=jiuyuan)}
    elif role == Role.WORKSHOP_OPERATOR:
        scope = {"workshop": history["workshop"]}
    user = make_user(f"other-{role}", role, **scope)
    client.logout()
    client.login(username=user.username, password=PASSWORD)
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE, {"export": "xlsx"}).status_code == 403
    refused = api(user).get(API)
    assert refused.status_code == 403 and "results" not in refused.json()
    assert api(user).get(f"{API}{history['rename'].pk}/").status_code == 403


def test_the_menu_offers_the_audit_log_to_county_admins_only(client, reader, jiuyuan):
    assert 'href="/accounts/audit/"' in client.get("/").content.decode()
    client.logout()
    make_user("menu-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    client.login(username="menu-officer", password=PASSWORD)
    assert 'href="/accounts/audit/"' not in client.get("/").content.decode()


def test_the_schema_is_true_to_the_api_responses(client, history):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "cursor", "page_size", "actor", "action", "object_type", "object_id", "date_from", "date_to", "search"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"next", "previous", "results"}
    assert "403" in operation["responses"]
    event = schema["components"]["schemas"]["AuditEvent"]
    results = client.get(API).json()["results"]
    for result in results:
        assert set(result) == set(event["properties"])
    assert event["properties"]["actor"].get("nullable") is True
    assert event["properties"]["ip"].get("nullable") is True
    assert event["properties"]["object_url"].get("nullable") is True
    change = schema["components"]["schemas"]["AuditChange"]
    assert set(change["properties"]) == set(results[0]["changes"][0])
    assert change["properties"]["old"].get("nullable") is True


def test_the_page_costs_the_same_queries_for_5_or_50_events(client, reader, history):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    AuditEvent.objects.all().delete()
    workshop = history["workshop"]
    officer = history["officer"]
    for n in range(5):
        audit.record(officer if n % 2 else SYSTEM, "workshop.update", workshop, {"headcount": [n, n + 1]})
    few = queries()
    for n in range(45):
        actor = make_user(f"actor-{n}", Role.COUNTY_OFFICER) if n % 5 == 0 else officer
        audit.record(actor, "workshop.update", workshop, {"headcount": [n, n + 1]})
    assert AuditEvent.objects.count() >= 50
    assert queries() == few
    # the session, the signed-in user, the count, one page of events joined to their actors and the
    # reader's saved filters of this list
    assert few == 5
