"""Navigation registry: each app lists its menu entries in `<app>/navigation.py` as `MENU`; the base
layout shows a user only the entries their role may use."""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .choices import Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset = field(default=ALL_ROLES)
    order: int = 100


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
    if not user.is_authenticated:
        return []
    visible = []
    for item in all_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "url_name": item.url_name})
    return visible
