"""Workshops in the top bar's search (core.search), by a part of their name."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import Kind

from . import selectors


def find_workshops(user, query):
    if not query.name:
        return []
    return selectors.workshop_list(user=user).filter(name__icontains=query.name).order_by("name", "pk")


def describe_workshop(user, workshop):
    return workshop.name, f"{workshop.village.township} {workshop.village}", reverse(
        "workshop-detail", args=[workshop.pk])


SEARCHES = [Kind("workshops", _("Workshops"), find_workshops, describe_workshop, order=20)]
