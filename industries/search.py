"""Enterprises in the top bar's search (core.search), by a part of their name."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import Kind

from . import selectors


def find_enterprises(user, query):
    if not query.name:
        return []
    return selectors.enterprise_list(user=user).filter(name__icontains=query.name).order_by("name", "pk")


def describe_enterprise(user, enterprise):
    return enterprise.name, str(enterprise.township or ""), reverse("enterprise-detail", args=[enterprise.pk])


SEARCHES = [Kind("enterprises", _("Enterprises"), find_enterprises, describe_enterprise, order=30)]
