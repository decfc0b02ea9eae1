"""Navigation registry: each app lists its menu entries in `<app>/navigation.py` as `MENU`; each
entry names a permission (accounts.permissions) and the base layout shows a user the entries whose
permission they hold. Entries sharing a `group` fold into one
drop-down menu, so twenty-odd lists fit one line on a desktop and a short list on a phone."""

from dataclasses import dataclass
from functools import cache

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .discovery import declared
from .permissions import SYSTEM, can, roles_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str  # a name from accounts.permissions.RULES: who has the entry in their menu
    order: int = 100
    group: str = ""  # the drop-down menu's label; entries without one stand alone

    @property
    def roles(self) -> frozenset:
        return roles_for(self.permission)


@cache
def all_items() -> tuple[NavItem, ...]:
    return tuple(sorted(declared("navigation", "MENU"), key=lambda item: item.order))


def items_for(user) -> list[dict]:
    """The user's menu in order: a link `{"label", "url", "url_name"}` per entry, and per group a menu
    `{"label", "children", "url_names"}` placed where its first entry falls; a group of which the user
    may use one entry only shows that entry as a plain link.

    Without an object, `can` asks only the user's role (signed in and active), so the menu is worked out
    once per process for each role, language, URL prefix and URLconf (issue 13: 33 `reverse()` and `can()`
    calls on every page) and each request gets its own copy of it."""
    if not user.is_authenticated:
        return []
    if user is not SYSTEM and getattr(user, "is_active", False) and isinstance(getattr(user, "role", None), str):
        key = (user.role, get_language(), get_script_prefix(), get_urlconf())
        menu = _menus.get(key)
        if menu is None:
            menu = _menus[key] = _build(user)
        return _copy(menu)
    return _build(user)


# (role, language, script prefix, URLconf) -> the role's menu, as _build gives it; emptied when a test
# changes the URLconf or the menus' settings.
_menus: dict[tuple, list[dict]] = {}


def _clear_menus(**kwargs):
    _menus.clear()


setting_changed.connect(_clear_menus, dispatch_uid="accounts.navigation.clear_menus")


def _copy(menu: list[dict]) -> list[dict]:
    copied = []
    for entry in menu:
        entry = dict(entry)
        if "children" in entry:
            entry["children"] = [dict(child) for child in entry["children"]]
            entry["url_names"] = list(entry["url_names"])
        copied.append(entry)
    return copied


def _build(user) -> list[dict]:
    menu, groups = [], {}
    for item in all_items():
        if not can(user, item.permission):
            continue
        try:
            link = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        except NoReverseMatch:
            continue
        if not item.group:
            menu.append(link)
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = {"label": item.group, "children": []}
            menu.append(groups[key])
        groups[key]["children"].append(link)
    for group in groups.values():
        group["url_names"] = [child["url_name"] for child in group["children"]]
    return [entry["children"][0] if len(entry.get("children", ())) == 1 else entry for entry in menu]


# The core app's pages (core has no navigation module of its own, so its menu entries live here).
MENU = [NavItem(_("System status"), "core-system-status", "core.system_status.view", order=90),
        NavItem(_("Audit log"), "accounts-audit", "accounts.audit.view", order=91),
        NavItem(_("User management"), "core-user-list", "accounts.user.menu", order=92),
        NavItem(_("My downloads"), "core-download-list", "core.download.view", order=95)]
