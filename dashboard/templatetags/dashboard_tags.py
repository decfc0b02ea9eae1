"""How the dashboard writes its figures: counts with thousands separators, money to the fen, percentages
to two decimals, a change with its sign; a blank figure is a dash."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()

DASH = "—"


def _plain(value, kind) -> str:
    if kind in ("money", "percent"):
        return intcomma(f"{Decimal(value).quantize(Decimal('0.01')):f}")
    return intcomma(int(value))


@register.filter
def figure(value, kind="count") -> str:
    if value is None:
        return DASH
    return _plain(value, kind)


@register.filter
def signed(value, kind="count") -> str:
    if value is None:
        return DASH
    text = _plain(abs(value), kind)
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


@register.filter
def trend_class(value) -> str:
    if value is None or value == 0:
        return "text-muted"
    return "text-success" if value > 0 else "text-danger"


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def tenthousand(value) -> str:
    """Yuan as 万元 to one decimal (the brief's narrow trend columns)."""
    if value is None:
        return DASH
    return intcomma(f"{(Decimal(value) / 10000).quantize(Decimal('0.1')):f}")
