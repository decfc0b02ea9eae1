"""FilterSets of the east labour cooperation lists (pages and API alike): by name (the worker's, the
employer's), township chosen by its name, status, dates."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import ChoiceByName, FilterSet, SearchMixin, search_filter, township_filter

from .choices import ReferralOutcome, WorkerCategory
from .models import EastPost, OutboundPlacement, OutboundReferral, OutboundVisit
from .models.outbound import OutboundStatus, VisitMilestone


class EastPostFilterSet(SearchMixin, FilterSet):
    search_fields = ("title", "enterprise__name", "city")
    is_open = django_filters.BooleanFilter(label=_("open"))
    search = search_filter()

    class Meta:
        model = EastPost
        fields = ["is_open"]


class OutboundReferralFilterSet(SearchMixin, FilterSet):
    search_fields = ("worker__name", "east_post__title", "east_post__enterprise__name")
    outcome = django_filters.ChoiceFilter(choices=ReferralOutcome.choices, label=_("outcome"))
    township = township_filter("worker__village__township")
    east_post = django_filters.NumberFilter(field_name="east_post_id", label=_("east post"))
    search = search_filter()

    class Meta:
        model = OutboundReferral
        fields = ["outcome"]


class OutboundPlacementFilterSet(SearchMixin, FilterSet):
    search_fields = ("worker__name", "enterprise__name", "city", "post_title")
    status = django_filters.ChoiceFilter(choices=OutboundStatus.choices, label=_("status"))
    township = township_filter("worker__village__township")
    category = django_filters.ChoiceFilter(field_name="worker__category", choices=WorkerCategory.choices,
                                           label=_("category"))
    started_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("started from"))
    started_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("started until"))
    worker = ChoiceByName("worker", label=_("worker"))
    search = search_filter()

    class Meta:
        model = OutboundPlacement
        fields = ["status"]


class OutboundVisitFilterSet(SearchMixin, FilterSet):
    search_fields = ("placement__worker__name", "placement__enterprise__name")
    milestone = django_filters.ChoiceFilter(choices=VisitMilestone.choices, label=_("visit"))
    township = township_filter("placement__worker__village__township")
    placement = django_filters.NumberFilter(field_name="placement_id", label=_("outbound placement"))
    search = search_filter()

    class Meta:
        model = OutboundVisit
        fields = ["milestone"]


class OverdueVisitFilterSet(SearchMixin, FilterSet):
    search_fields = ("worker__name", "enterprise__name")
    township = township_filter("worker__village__township")
    search = search_filter()

    class Meta:
        model = OutboundPlacement
        fields = []


__all__ = ["EastPostFilterSet", "OutboundPlacementFilterSet", "OutboundReferralFilterSet",
           "OutboundVisitFilterSet", "OverdueVisitFilterSet"]
