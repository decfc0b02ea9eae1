"""How the portal writes an amount of money and a person: `¥1,234,567.00` (Decimal, to the fen, thousands
grouped, a minus sign before the yuan sign) and a user's name rather than their username. One helper for
every money column of the portal's tables (`MoneyColumn`), every amount in a template (`{% load money %}`,
`{{ amount|yuan }}`) and every person shown (`PersonColumn`, `{{ user|person }}`).

Exports are not affected: a MoneyColumn exports the exact Decimal (core.exports reads the field path)."""

from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

import django_tables2 as tables

from accounts.audit_display import person_name

from .exports import Export

CENT = Decimal("0.01")
DASH = "—"


def yuan(value) -> str:
    """`¥1,234,567.00`; an empty value is a dash, anything that is not a number is shown as it is."""
    if value is None or value == "":
        return DASH
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def person(user) -> str:
    """A user's name (Chinese names family name first), else their username; empty for nobody."""
    if user is None:
        return ""
    return person_name(user) or user.get_username()


class MoneyColumn(tables.Column):
    """An amount right-aligned as `¥1,234,567.00`."""

    def __init__(self, *args, **kwargs):
        attrs = kwargs.pop("attrs", {})
        attrs.setdefault("td", {}).setdefault("class", "text-end text-nowrap")
        attrs.setdefault("th", {}).setdefault("class", "text-end")
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return yuan(value)


class PersonColumn(tables.Column):
    """A user shown by name. Select the user with the rows (select_related) to keep queries constant."""

    def render(self, value):
        return person(value)


def person_export(field: str) -> Export:
    """A table's `export_columns` entry writing the user at `field` as a PersonColumn shows them."""

    def name(values):
        last, first, username = values
        if username is None:
            return ""
        first, last = first or "", last or ""
        return person(SimpleNamespace(first_name=first, last_name=last, get_username=lambda: username,
                                      get_full_name=lambda: f"{first} {last}".strip()))

    return Export((f"{field}__last_name", f"{field}__first_name", f"{field}__username"), name)
