"""Issue 14's smaller defects on the workshop pages: every field labelled, every certification refusal
saying what to do next (page and API alike), and one workshop of a name per village."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    EnterpriseFactory,
    PlacementFactory,
    PostFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_user,
)
from tests.subsidies.test_defects import Page
from workshops import services
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def staff(workshop, count, assisted, start=date(2025, 1, 1)):
    for index in range(count):
        worker = WorkerFactory(category="poverty_alleviated" if index < assisted else "general")
        PlacementFactory(worker=worker, workshop=workshop, start_date=start)


def fields_of(client, url) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.content.decode())


# --- labels ------------------------------------------------------------------------------------------

def test_every_field_on_the_workshop_pages_has_a_visible_label(page, county_admin, jiuyuan):
    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    PostFactory(workshop=workshop)
    services.difficulty_raise(actor=county_admin, workshop=workshop, category="credit", description="缺少流动资金",
                              raised_on=date(2025, 3, 1))
    client = page(county_admin)
    urls = ["/workshops/", "/workshops/new/", f"/workshops/{workshop.pk}/", f"/workshops/{workshop.pk}/edit/",
            f"/workshops/{workshop.pk}/certify/", "/workshops/posts/", "/workshops/posts/new/",
            "/workshops/liaisons/", "/workshops/liaisons/new/", "/workshops/difficulties/",
            "/workshops/difficulties/new/"]
    seen = set()
    for url in urls:
        fields = fields_of(client, url)
        assert fields.unlabelled() == [], url
        seen |= {f["name"] for f in fields.visible()}
    assert {"resolved_on", "resolution", "category", "description", "date", "override_reason"} <= seen
    services.workshop_certify(actor=county_admin, workshop=workshop, on=date(2025, 3, 1), override_reason="试点")
    assert fields_of(client, f"/workshops/{workshop.pk}/revoke/").unlabelled() == []


def test_the_certification_history_shows_who_by_name(page, county_admin, jiuyuan):
    officer = make_user("wang-officer", "county_officer", first_name="王芳")
    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    staff(workshop, 10, 5)
    services.workshop_certify(actor=officer, workshop=workshop, on=date(2025, 3, 1))
    body = page(county_admin).get(f"/workshops/{workshop.pk}/").content.decode()
    history = body.split('id="certification-history"')[1].split("</table>")[0]
    assert "王芳" in history and "wang-officer" not in history


# --- certification refusals name the next step -------------------------------------------------------

def refusal(client, url, data) -> str:
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the reason
    body = response.content.decode()
    errors = [part.split("</div>")[0].split(">")[-1] for part in body.split('role="alert" id="refusal"')[1:]]
    errors += [part.split("</div>")[0].split(">")[-1] for part in body.split('field-error')[1:]]
    assert errors, body
    return "；".join(errors)


def test_every_certification_refusal_on_the_page_says_what_to_do_next(page, county_admin, county_officer, jiuyuan):
    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    officer, admin = page(county_officer), page(county_admin)
    certify, revoke = f"/workshops/{workshop.pk}/certify/", f"/workshops/{workshop.pk}/revoke/"

    short = refusal(officer, certify, {"date": "2025-03-01"})
    assert "该日期不符合认定条件：在岗 0 人" in short
    assert "请先为本车间补充登记在岗人员的就业记录，或改选已达标的认定日期，再提交认定" in short
    assert "请选择生效日期，再确认" in refusal(officer, certify, {"date": ""})
    assert "无需摘牌；如符合条件，请先办理认定" in refusal(officer, revoke, {"date": "2025-03-01", "reason": "空壳"})

    staff(workshop, 10, 5)
    assert officer.post(certify, {"date": "2025-03-01"}).status_code == 302
    assert "如需重新认定，请先摘牌" in refusal(officer, certify, {"date": "2025-04-01"})
    assert "请填写摘牌理由，再确认" in refusal(officer, revoke, {"date": "2025-04-01", "reason": ""})
    earlier = refusal(admin, revoke, {"date": "2025-02-01", "reason": "空壳"})
    assert "日期不能早于最近一次认定变更（2025-03-01）：请选择该日期或之后的日期，再提交" in earlier
    workshop.refresh_from_db()
    assert workshop.status == "certified"


def test_the_api_409_reason_names_the_next_step(api, county_officer):
    workshop = WorkshopFactory()
    client = api(county_officer)
    refused = client.post(f"/api/v1/workshops/{workshop.pk}/certify/", {"date": "2025-03-01"}, format="json")
    assert refused.status_code == 409
    assert "请先为本车间补充登记在岗人员的就业记录" in refused.data["detail"]
    not_certified = client.post(f"/api/v1/workshops/{workshop.pk}/revoke/", {"date": "2025-03-01", "reason": "x"},
                                format="json")
    assert not_certified.status_code == 409 and "请先办理认定" in not_certified.data["detail"]
    staff(workshop, 10, 5)
    assert client.post(f"/api/v1/workshops/{workshop.pk}/certify/", {"date": "2025-03-01"},
                       format="json").status_code == 200
    again = client.post(f"/api/v1/workshops/{workshop.pk}/certify/", {"date": "2025-04-01"}, format="json")
    assert again.status_code == 409 and "如需重新认定，请先摘牌" in again.data["detail"]


# --- one workshop of a name per village ----------------------------------------------------------------

def workshop_data(village, name):
    return {"name": name, "kind": "assistance", "form": "centralized", "industry": "tea",
            "enterprise": EnterpriseFactory().pk, "village": village.pk}


def test_the_form_refuses_a_name_the_village_already_has_on_the_name_field(page, county_admin, jiuyuan):
    village = VillageFactory(township=jiuyuan)
    WorkshopFactory(name="旧院茶叶车间", village=village)
    client = page(county_admin)
    for variant in ("旧院茶叶车间", " 旧院 茶叶车间 ", "旧院茶叶\u3000车间"):
        response = client.post("/workshops/new/", workshop_data(village, variant))
        assert response.status_code == 200
        form = Page(response.content.decode())
        name_error = response.content.decode().split('for="id_name"')[1].split("</div>\n  </div>")[0]
        assert "本村已有名为“旧院茶叶车间”的车间：请换一个名称，或直接打开已有的车间" in name_error, variant
        assert form.field("name")["label"]
    assert Workshop.objects.filter(village=village).count() == 1
    # Another village may use the name; so may the workshop itself when it is edited.
    other = VillageFactory(township=jiuyuan)
    assert client.post("/workshops/new/", workshop_data(other, "旧院茶叶车间")).status_code == 302
    mine = Workshop.objects.get(village=other)
    edit = workshop_data(other, "旧院茶叶车间")
    edit["address"] = "3组"
    assert client.post(f"/workshops/{mine.pk}/edit/", edit).status_code == 302
    # …but not rename itself into a neighbour's name.
    WorkshopFactory(name="Tea Shop", village=other)
    renamed = client.post(f"/workshops/{mine.pk}/edit/", workshop_data(other, "tea shop"))
    assert renamed.status_code == 200 and "本村已有名为“Tea Shop”的车间" in renamed.content.decode()


def test_the_service_and_the_api_refuse_a_duplicate_name(api, county_admin, jiuyuan):
    from django.core.exceptions import ValidationError

    village = VillageFactory(township=jiuyuan)
    WorkshopFactory(name="旧院茶叶车间", village=village)
    with pytest.raises(ValidationError) as refused:
        services.workshop_create(actor=county_admin, name="旧院 茶叶车间", kind="assistance", form="centralized",
                                 industry="tea", enterprise=EnterpriseFactory(), village=village)
    assert list(refused.value.message_dict) == ["name"]
    response = api(county_admin).post("/api/v1/workshops/", {**workshop_data(village, "旧院茶叶车间 "),
                                                              "village": village.code}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.data["errors"]) == ["name"]
    assert "本村已有名为“旧院茶叶车间”的车间" in response.data["errors"]["name"][0]
    assert Workshop.objects.filter(village=village).count() == 1


def test_the_database_keeps_one_name_per_village(jiuyuan):
    village = VillageFactory(township=jiuyuan)
    WorkshopFactory(name="旧院茶叶车间", village=village)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopFactory(name="旧院茶叶车间", village=village)
