"""Accounts in the portal (issue 14, part 6): county administrators manage every user, a township officer
the brokers of their own township; all through accounts.services, audited; nobody raises their own role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.choices import Role
from accounts.models import AuditEvent, User
from tests.factories import VillageFactory, WorkshopFactory, make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def update_url(user):
    return reverse("core-user-update", args=[user.pk])


def test_the_menu_has_user_management_for_those_who_manage(county_admin, township_officer, broker_user):
    assert "用户管理" in client_for(county_admin).get("/users/").content.decode()
    assert reverse("core-user-list") in client_for(township_officer).get(reverse("core-user-list")).content.decode()
    home = client_for(broker_user).get(reverse("labor-home")).content.decode()
    assert "用户管理" not in home


def test_a_broker_opening_user_management_is_refused(broker_user, county_officer):
    assert client_for(broker_user).get(reverse("core-user-list")).status_code == 403
    assert client_for(county_officer).get(reverse("core-user-list")).status_code == 403
    assert client_for(broker_user).get(reverse("core-user-create")).status_code == 403


def test_a_county_admin_creates_a_broker_by_village_name_with_a_temporary_password(county_admin, jiuyuan):
    village = VillageFactory(township=jiuyuan, name="石塘村")
    client = client_for(county_admin)
    form = client.get(reverse("core-user-create") + "?role=broker").content.decode()
    assert "石塘村" in form and 'name="workshop"' not in form and 'name="township"' not in form
    response = client.post(reverse("core-user-create"), {"username": "lisi", "first_name": "李四", "phone": "",
                                                         "role": "broker", "village": village.pk})
    assert response.status_code == 200
    user = User.objects.get(username="lisi")
    assert (user.role, user.village_id, user.township_id, user.must_change_password) == (
        Role.BROKER, village.pk, jiuyuan.pk, True)
    password = response.context["password"]
    assert password in response.content.decode() and user.check_password(password)
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == county_admin and event.changes["role"] == [None, "broker"]
    # and the broker's record, so the new broker registers and proposes people at once
    assert (user.broker.village_id, user.broker.cooperative_id) == (village.pk, None)
    assert AuditEvent.objects.filter(action="broker.create", actor=county_admin).exists()


def test_the_form_shows_only_the_fields_the_role_needs(county_admin):
    client = client_for(county_admin)
    operator_form = client.get(reverse("core-user-create") + "?role=workshop_operator").content.decode()
    assert 'name="workshop"' in operator_form and 'name="village"' not in operator_form
    admin_form = client.get(reverse("core-user-create") + "?role=county_admin").content.decode()
    assert all(f'name="{f}"' not in admin_form for f in ("township", "village", "cooperative", "workshop"))


def test_changing_role_and_scope_is_audited_before_and_after(county_admin, township_officer, taiping):
    client = client_for(county_admin)
    response = client.post(update_url(township_officer), {"first_name": "", "phone": "", "role": "township_officer",
                                                          "township": taiping.pk})
    assert response.status_code == 302
    old_township = township_officer.township_id
    township_officer.refresh_from_db()
    assert township_officer.township_id == taiping.pk
    event = AuditEvent.objects.get(action="user.update", object_id=str(township_officer.pk))
    assert event.changes == {"township": [old_township, taiping.pk]}


def test_deactivate_and_reactivate_are_audited_and_stop_the_login(county_admin, broker_user):
    client = client_for(county_admin)
    client.post(reverse("core-user-deactivate", args=[broker_user.pk]))
    broker_user.refresh_from_db()
    assert not broker_user.is_active
    assert Client().login(username=broker_user.username, password="wanyuan-test-2026") is False
    client.post(reverse("core-user-reactivate", args=[broker_user.pk]))
    broker_user.refresh_from_db()
    assert broker_user.is_active
    actions = list(AuditEvent.objects.filter(object_id=str(broker_user.pk), object_type="accounts.user")
                   .order_by("id").values_list("action", "changes"))
    assert ("user.deactivate", {"is_active": [True, False]}) in actions
    assert ("user.reactivate", {"is_active": [False, True]}) in actions


def test_a_reset_password_must_be_changed_at_the_next_login(county_admin, broker_user):
    response = client_for(county_admin).post(reverse("core-user-reset-password", args=[broker_user.pk]))
    broker_user.refresh_from_db()
    assert broker_user.must_change_password and broker_user.check_password(response.context["password"])
    assert AuditEvent.objects.filter(action="user.password_reset", object_id=str(broker_user.pk)).exists()


def test_a_township_officer_manages_the_brokers_of_their_township_only(township_officer, broker_user, taiping):
    other_broker = make_user("taiping-broker", Role.BROKER, village=VillageFactory(township=taiping))
    client = client_for(township_officer)
    listing = client.get(reverse("core-user-list")).content.decode()
    assert broker_user.username in listing and other_broker.username not in listing
    assert township_officer.username not in listing.split('id="users"')[1]
    assert client.get(update_url(other_broker)).status_code == 404
    assert client.post(reverse("core-user-deactivate", args=[other_broker.pk])).status_code == 404
    assert client.post(reverse("core-user-reset-password", args=[other_broker.pk])).status_code == 404
    # Their own brokers: yes.
    client.post(reverse("core-user-deactivate", args=[broker_user.pk]))
    broker_user.refresh_from_db()
    assert not broker_user.is_active


def test_a_township_officer_creates_brokers_only_in_their_township(township_officer, jiuyuan, taiping):
    client = client_for(township_officer)
    form = client.get(reverse("core-user-create")).content.decode()
    assert 'value="county_admin"' not in form
    here, there = VillageFactory(township=jiuyuan), VillageFactory(township=taiping)
    client.post(reverse("core-user-create"), {"username": "b2", "role": "broker", "village": there.pk})
    assert not User.objects.filter(username="b2").exists()
    client.post(reverse("core-user-create"), {"username": "b3", "role": "county_admin"})
    assert not User.objects.filter(username="b3").exists()
    with pytest.raises(PermissionDenied):
        services.user_create(actor=township_officer, username="b4", role=Role.COUNTY_ADMIN)
    client.post(reverse("core-user-create"), {"username": "b1", "role": "broker", "village": here.pk})
    assert User.objects.get(username="b1").township_id == jiuyuan.pk


def test_nobody_raises_their_own_role_or_changes_their_own_scope(county_admin, township_officer, taiping):
    with pytest.raises(PermissionDenied):
        services.user_update(actor=township_officer, user=township_officer, role=Role.COUNTY_ADMIN)
    with pytest.raises(PermissionDenied):
        services.user_update(actor=county_admin, user=county_admin, role=Role.TOWNSHIP_OFFICER, township=taiping)
    assert client_for(township_officer).post(update_url(township_officer), {
        "role": "county_admin"}).status_code == 404
    township_officer.refresh_from_db()
    county_admin.refresh_from_db()
    assert township_officer.role == Role.TOWNSHIP_OFFICER and county_admin.role == Role.COUNTY_ADMIN
    # The page refuses it too, with the service's message.
    response = client_for(county_admin).post(update_url(county_admin), {"role": "county_officer"})
    assert response.status_code == 200 and "不能更改自己的角色" in response.content.decode()
    county_admin.refresh_from_db()
    assert county_admin.role == Role.COUNTY_ADMIN
    # Their own name and phone, yes.
    services.user_update(actor=county_admin, user=county_admin, first_name="管理员")


def test_nobody_deactivates_themselves(county_admin):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=county_admin, user=county_admin)


def test_the_user_list_runs_a_constant_number_of_queries(county_admin, jiuyuan):
    client = client_for(county_admin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core-user-list")).status_code == 200
        return len(captured)

    make_user("op1", Role.WORKSHOP_OPERATOR, workshop=WorkshopFactory())
    make_user("b1", Role.BROKER, village=VillageFactory(township=jiuyuan))
    few = queries()
    for n in range(6):
        make_user(f"op-more{n}", Role.WORKSHOP_OPERATOR, workshop=WorkshopFactory())
        make_user(f"b-more{n}", Role.BROKER, village=VillageFactory(township=jiuyuan))
    assert queries() == few
