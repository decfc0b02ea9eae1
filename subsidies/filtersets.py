"""One FilterSet per model, used by both the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.months import MonthFilter
from regions.models import Township

from .choices import Component, LineStatus, RunKind, RunStatus
from .models import SubsidyLine, SubsidyRun


class SubsidyRunFilterSet(django_filters.FilterSet):
    month = MonthFilter(field_name="month")
    kind = django_filters.ChoiceFilter(choices=RunKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, label=_("status"))

    class Meta:
        model = SubsidyRun
        fields = ["month", "kind", "status"]


class SubsidyLineFilterSet(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(field_name="workshop__village__township",
                                                queryset=Township.objects.all(), label=_("township"))
    workshop = django_filters.NumberFilter(field_name="workshop_id", label=_("workshop (id)"))
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker (id)"))
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
