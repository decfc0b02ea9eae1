"""Correcting a worker's record (issue 14, part 5): the edit page, its audit, the category
confirmation listing the subsidy months, the 姓名 label and the one phone rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from labor import services
from labor.models import Worker
from labor.phones import validate_phone
from tests.factories import VillageFactory, WorkerFactory, WorkshopFactory
from tests.factories.subsidies import approved_history

pytestmark = pytest.mark.django_db


def edit_url(worker):
    return reverse("labor-worker-update", args=[worker.pk])


def form_data(worker, **changes):
    data = {"name": worker.name, "phone": worker.phone, "village": worker.village_id, "category": worker.category,
            "returnee": "on" if worker.returnee else ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize("phone", ["13912345678", "19900001111", "0818-8621234", "08188621234", "028 12345678", ""])
def test_the_phone_rule_takes_mobiles_and_landlines_with_area_code(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["1391234567", "12912345678", "8621234", "139123456789", "abc", "0818-86"])
def test_the_phone_rule_refuses_others(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_a_broker_corrects_a_worker_of_their_village_and_the_audit_keeps_before_and_after(page, broker):
    worker = WorkerFactory(name="张三", phone="13900000001", village=broker.village)
    client = page(broker.user)
    response = client.get(edit_url(worker))
    assert response.status_code == 200
    assert "姓名" in response.content.decode()
    response = client.post(edit_url(worker), form_data(worker, name="张叁", phone="0818-8621234"))
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.name, worker.phone) == ("张叁", "0818-8621234")
    event = AuditEvent.objects.get(action="worker.update", object_id=str(worker.pk))
    assert event.changes == {"name": ["张三", "张叁"], "phone": ["13900000001", "0818-8621234"]}
    assert event.actor == broker.user


def test_the_edit_page_refuses_a_7_digit_phone(page, broker):
    worker = WorkerFactory(village=broker.village)
    response = page(broker.user).post(edit_url(worker), form_data(worker, phone="8621234"))
    assert response.status_code == 200
    assert "区号" in response.content.decode()
    assert Worker.objects.get(pk=worker.pk).phone == worker.phone


def test_the_service_refuses_a_bad_phone_as_the_api_does(county_officer):
    worker = WorkerFactory()
    with pytest.raises(ValidationError) as caught:
        services.worker_update(actor=county_officer, worker=worker, phone="8621234")
    assert "phone" in caught.value.message_dict
    response_worker = Worker.objects.get(pk=worker.pk)
    assert response_worker.phone == worker.phone


def test_a_worker_outside_the_scope_is_a_404(page, broker, other_village_worker):
    assert page(broker.user).get(edit_url(other_village_worker)).status_code == 404
    assert page(broker.user).post(edit_url(other_village_worker),
                                  form_data(other_village_worker, name="x")).status_code == 404


def test_a_role_that_does_not_register_workers_cannot_edit(page, jiuyuan):
    from accounts.choices import Role
    from tests.factories import make_user
    partner = make_user("partner", Role.PARTNER)
    worker = WorkerFactory()
    assert page(partner).get(edit_url(worker)).status_code == 403


def test_a_category_change_on_a_worker_with_subsidy_lines_lists_the_months_before_saving(page, county_officer):
    worker = WorkerFactory(category="poverty_alleviated")
    approved_history(worker=worker, workshop=WorkshopFactory(), component="job", months=[date(2025, 3, 1),
                     date(2025, 4, 1)], amount=Decimal("200.00"))
    client = page(county_officer)
    response = client.post(edit_url(worker), form_data(worker, category="general"))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="category-confirm"' in body
    assert "2025-03" in body and "2025-04" in body
    assert Worker.objects.get(pk=worker.pk).category == "poverty_alleviated"  # nothing saved yet
    response = client.post(edit_url(worker), {**form_data(worker, category="general"), "confirm_category": "general"})
    assert response.status_code == 302
    assert Worker.objects.get(pk=worker.pk).category == "general"
    event = AuditEvent.objects.get(action="worker.update", object_id=str(worker.pk))
    assert event.changes == {"category": ["poverty_alleviated", "general"]}


def test_a_confirmation_for_one_category_does_not_confirm_another(page, county_officer):
    worker = WorkerFactory(category="poverty_alleviated")
    approved_history(worker=worker, workshop=WorkshopFactory(), component="job", months=[date(2025, 3, 1)],
                     amount=Decimal("200.00"))
    response = page(county_officer).post(edit_url(worker), {**form_data(worker, category="monitored"),
                                                            "confirm_category": "general"})
    assert 'id="category-confirm"' in response.content.decode()
    assert Worker.objects.get(pk=worker.pk).category == "poverty_alleviated"


def test_a_category_change_without_subsidy_lines_saves_at_once(page, county_officer):
    worker = WorkerFactory(category="poverty_alleviated")
    response = page(county_officer).post(edit_url(worker), form_data(worker, category="general"))
    assert response.status_code == 302
    assert Worker.objects.get(pk=worker.pk).category == "general"


def test_moving_a_worker_outside_the_brokers_village_is_refused(page, broker, jiuyuan):
    worker = WorkerFactory(village=broker.village)
    elsewhere = VillageFactory(township=jiuyuan)
    response = page(broker.user).post(edit_url(worker), form_data(worker, village=elsewhere.pk))
    assert response.status_code == 200
    assert Worker.objects.get(pk=worker.pk).village_id == broker.village_id


def test_the_registration_form_labels_the_name_xingming(page, broker):
    body = page(broker.user).get(reverse("labor-worker-create")).content.decode()
    assert "姓名" in body
