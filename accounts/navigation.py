"""Navigation registry: each app lists its menu entries in `<app>/navigation.py` as `MENU`; the base
layout shows a user only the entries their role may use. Entries sharing a `group` fold into one
drop-down menu, so twenty-odd lists fit one line on a desktop and a short list on a phone."""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset = field(default=ALL_ROLES)
    order: int = 100
    group: str = ""  # the drop-down menu's label; entries without one stand alone


@cache
def all_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.navigation":
                raise
            continue
        items.extend(getattr(module, "MENU", ()))
    return tuple(sorted(items, key=lambda item: item.order))


def items_for(user) -> list[dict]:
    """The user's menu in order: a link `{"label", "url", "url_name"}` per entry, and per group a menu
    `{"label", "children", "url_names"}` placed where its first entry falls; a group of which the user
    may use one entry only shows that entry as a plain link."""
    if not user.is_authenticated:
        return []
    menu, groups = [], {}
    for item in all_items():
        if user.role not in item.roles:
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


# The core app's page (core imports no app, so its menu entry lives here): county administrators only.
MENU = [NavItem(_("System status"), "core-system-status", roles=frozenset({Role.COUNTY_ADMIN}), order=90),
        NavItem(_("My downloads"), "core-download-list", order=95)]
