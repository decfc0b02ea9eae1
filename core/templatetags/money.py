"""`{% load money %}`: `{{ amount|yuan }}` writes `¥1,234,567.00`, `{{ user|person }}` a user's name
(core.money)."""

from django import template

from core import money

register = template.Library()


@register.filter
def yuan(value) -> str:
    return money.yuan(value)


@register.filter
def person(user) -> str:
    return money.person(user)
