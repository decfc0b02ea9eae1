"""The Django admin: domain data is read-only there (its services check and audit every write); users
stay editable and every change to one is in the audit log with old and new values, never a password hash."""

import json

import pytest

from accounts.choices import Role
from accounts.models import AuditEvent, User
from tests.factories import PASSWORD, EnterpriseFactory, WorkshopFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_user("site-admin", Role.COUNTY_ADMIN)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    assert client.login(username=user.username, password=PASSWORD)
    return user


@pytest.mark.parametrize("model, factory", [("workshops/workshop", WorkshopFactory),
                                            ("industries/enterprise", EnterpriseFactory)])
def test_domain_data_offers_no_add_change_or_delete(client, staff, model, factory):
    obj = factory()
    base = f"/admin/{model}/"
    changelist = client.get(base)
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert f'href="{base}add/"' not in html and 'value="delete_selected"' not in html
    assert client.get(f"{base}add/").status_code == 403
    page = client.get(f"{base}{obj.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # a view, no form
    assert client.post(f"{base}{obj.pk}/change/", {"name": "changed in admin"}).status_code == 403
    assert client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    obj.refresh_from_db()
    assert obj.name != "changed in admin" and type(obj).objects.filter(pk=obj.pk).exists()


def test_audit_events_are_read_only_in_admin(client, staff):
    event = AuditEvent.objects.filter(object_id=str(staff.pk)).first()
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def change_form_data(client, user) -> dict:
    """The admin's change form for `user` as a browser would post it back unchanged."""
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = field.widget
        if hasattr(widget, "decompress"):  # the split date/time of last_login and date_joined, to the second
            for index, part in enumerate(widget.decompress(value.replace(microsecond=0) if value else value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def test_an_admin_change_to_a_user_is_audited_with_old_and_new_values(client, staff, jiuyuan):
    user = make_user("wu-officer", Role.COUNTY_OFFICER)
    data = change_form_data(client, user)
    data.update(phone="13800001111", role=Role.TOWNSHIP_OFFICER, township=str(jiuyuan.pk), first_name="武")
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="user.update", object_id=str(user.pk))
    assert event.actor == staff
    assert event.changes == {"phone": ["", "13800001111"], "role": [Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER],
                             "township": [None, jiuyuan.pk], "first_name": ["", "武"]}
    # and the audit page shows it as old → new
    html = client.get("/accounts/audit/", {"action": "user.update"}).content.decode()
    assert "13800001111" in html and "→" in html


def test_an_unchanged_save_records_nothing(client, staff):
    user = make_user("he-officer", Role.COUNTY_OFFICER)
    client.post(f"/admin/accounts/user/{user.pk}/change/", change_form_data(client, user))
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_a_password_set_in_admin_is_recorded_as_changed_never_as_its_hash(client, staff):
    user = make_user("lu-officer", Role.COUNTY_OFFICER)
    response = client.post(f"/admin/accounts/user/{user.pk}/password/",
                           {"password1": "lime-kettle-7731", "password2": "lime-kettle-7731"})
    assert response.status_code == 302
    user.refresh_from_db()
    event = AuditEvent.objects.get(action="user.password_reset", object_id=str(user.pk))
    assert event.changes == {"password": "changed", "must_change_password": [False, True]}
    text = json.dumps(event.changes)
    assert user.password not in text and "lime-kettle-7731" not in text


def test_a_user_added_in_admin_is_audited_without_the_password(client, staff):
    response = client.post("/admin/accounts/user/add/", {
        "username": "new-in-admin", "password1": "lime-kettle-7731", "password2": "lime-kettle-7731",
        "usable_password": "true"})
    assert response.status_code == 302
    user = User.objects.get(username="new-in-admin")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == staff and event.changes["username"] == [None, "new-in-admin"]
    assert event.changes["password"] == "changed" and user.password not in json.dumps(event.changes)


def test_every_domain_model_in_admin_is_read_only(rf, staff):
    from django.contrib import admin as django_admin

    request = rf.get("/admin/")
    request.user = staff
    domain = {"regions", "industries", "workshops", "labor", "subsidies"}
    admins = [a for model, a in django_admin.site._registry.items() if model._meta.app_label in domain]
    assert len(admins) >= 20
    for model_admin in admins:
        for checked in (model_admin, *model_admin.get_inline_instances(request)):
            assert not checked.has_add_permission(request), checked
            assert not checked.has_change_permission(request) and not checked.has_delete_permission(request), checked
        assert "delete_selected" not in model_admin.get_actions(request)
