"""Every page and API view in the URLconf says who may use it: a permission name from
accounts.permissions (per action for the API), SIGNED_IN or PUBLIC; and the pages enforce it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import SAFE_METHODS, AllowAny

from accounts.api.audit import CanViewAudit
from accounts.api.permissions import OwnTokens
from accounts.choices import Role
from accounts.permissions import RULES
from core.api_permissions import NamedPermission
from core.pages import PUBLIC, SIGNED_IN
from tests.factories import PASSWORD, VillageFactory, WorkshopFactory, make_user

DECLARED = set(RULES) | {SIGNED_IN, PUBLIC}
# Views not of this project, or that answer everyone alike: Django's admin (staff and its own
# permissions), the language switch, the JSON 404 of unknown API addresses, the API schema and docs.
NOT_OURS = {"set_language", "api_not_found", "SpectacularAPIView", "SpectacularSwaggerSplitView"}
# API views with a permission class of their own instead of NamedPermission.
# (accounts sits below core, so its viewsets cannot use core's NamedPermission; theirs ask accounts.permissions.)
OWN_PERMISSION_CLASS = {"TokenView": AllowAny, "ApiTokenViewSet": OwnTokens, "AuditEventViewSet": CanViewAudit}


def patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def view_name(callback):
    for attr in ("cls", "view_class"):
        if hasattr(callback, attr):
            return getattr(callback, attr).__name__
    return callback.__name__


def declared_permissions(callback) -> dict:
    """{route action or method: the name it declares} for one URL pattern's view."""
    if hasattr(callback, "cls"):  # DRF
        cls = callback.cls
        declared = getattr(cls, "permission_by_action", None) or {}
        actions = getattr(callback, "actions", None) or {m: None for m in ("get", "post", "put", "patch", "delete")
                                                        if hasattr(cls, m)}
        result = {}
        for method, action in actions.items():
            fallback = "read" if method.upper() in SAFE_METHODS else "write"
            result[action or method] = declared.get(action, declared.get(fallback))
        return result
    if hasattr(callback, "view_class"):  # a Django class-based view
        view = callback.view_class()
        get = getattr(view, "get_permission", None)
        return {"view": get() if get else getattr(view, "permission", None)}
    return {"view": getattr(callback, "permission", None)}


def test_every_view_in_the_urlconf_declares_who_may_use_it():
    checked, missing = 0, []
    for route, entry in patterns():
        name = view_name(entry.callback)
        if name in NOT_OURS:
            continue
        cls = getattr(entry.callback, "cls", None)
        if cls is not None and name in OWN_PERMISSION_CLASS:
            assert cls.permission_classes == [OWN_PERMISSION_CLASS[name]], name
            continue
        if cls is not None:
            assert any(isinstance(p, NamedPermission) for p in cls().get_permissions()), f"{route}: {name}"
        for action, permission in declared_permissions(entry.callback).items():
            checked += 1
            if permission not in DECLARED:
                missing.append(f"{route} {name}.{action}: {permission!r}")
    assert not missing, "views without a declared permission:\n" + "\n".join(missing)
    assert checked > 150  # the pages and the API both walked


def users_of_every_role(jiuyuan):
    village = VillageFactory(township=jiuyuan)
    workshop = WorkshopFactory(village=village)
    return {
        Role.COUNTY_ADMIN: make_user("r-admin", Role.COUNTY_ADMIN),
        Role.COUNTY_OFFICER: make_user("r-county", Role.COUNTY_OFFICER),
        Role.TOWNSHIP_OFFICER: make_user("r-township", Role.TOWNSHIP_OFFICER, township=jiuyuan),
        Role.BROKER: make_user("r-broker", Role.BROKER, village=village),
        Role.WORKSHOP_OPERATOR: make_user("r-operator", Role.WORKSHOP_OPERATOR, township=jiuyuan,
                                          workshop=workshop),
        Role.PARTNER: make_user("r-partner", Role.PARTNER),
        Role.LIAISON_STATION: make_user("r-station", Role.LIAISON_STATION),
    }


@pytest.mark.django_db
def test_a_page_refuses_exactly_the_roles_its_permission_leaves_out(client, jiuyuan):
    """Every page without URL arguments that names a permission: a 403 for each role outside it, no
    403 for each role inside (GET; a POST-only page answers 405 to those it lets through)."""
    users = users_of_every_role(jiuyuan)
    pages = [(route, entry) for route, entry in patterns()
             if not route.startswith("api/") and not entry.pattern.converters
             and declared_permissions(entry.callback).get("view") in RULES]
    assert len(pages) >= 5
    for role, user in users.items():
        client.login(username=user.username, password=PASSWORD)
        for route, entry in pages:
            permission = declared_permissions(entry.callback)["view"]
            status = client.get("/" + route).status_code
            assert (status == 403) == (role not in RULES[permission]), (role, route, permission, status)
        client.logout()
