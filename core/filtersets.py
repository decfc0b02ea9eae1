"""FilterSet pieces every app's FilterSets (shared by its pages and its API) are built from."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def township_filter(path: str):
    return django_filters.CharFilter(field_name=f"{path}__code", label=_("township code"))


def search_filter():
    return django_filters.CharFilter(method="filter_search", label=_("search"))


class SearchMixin:
    search_fields: tuple = ()

    def filter_search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)
