"""One FilterSet per model, used by both the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import ChoiceByName, FilterSet, township_filter
from core.months import MonthFilter

from .choices import Component, LineStatus, RunKind, RunStatus
from .models import SubsidyLine, SubsidyRun


class SubsidyRunFilterSet(FilterSet):
    month = MonthFilter(field_name="month")
    kind = django_filters.ChoiceFilter(choices=RunKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, label=_("status"))

    class Meta:
        model = SubsidyRun
        fields = ["month", "kind", "status"]


class SubsidyLineFilterSet(FilterSet):
    township = township_filter("township")
    workshop = ChoiceByName("workshop", label=_("workshop"))
    worker = ChoiceByName("worker", label=_("worker"))
    component = django_filters.ChoiceFilter(choices=Component.choices, label=_("component"))
    status = django_filters.ChoiceFilter(choices=LineStatus.choices, label=_("status"))
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("flagged"))

    class Meta:
        model = SubsidyLine
        fields = ["township", "workshop", "worker", "component", "status", "flagged"]

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(flags=[]) if value else queryset.filter(flags=[])
