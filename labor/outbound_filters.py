"""FilterSets of the east labour cooperation lists (pages and API alike): by name (the worker's, the
employer's), township chosen by its name, status, dates."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import SearchMixin, search_filter
from regions.models import Township

from .choices import ReferralOutcome, WorkerCategory
from .models import EastPost, OutboundPlacement, OutboundReferral, OutboundVisit
from .models.outbound import OutboundStatus, VisitMilestone


def township_choice(path: str):
    """The worker's township, picked by its name (the value sent is its code, as elsewhere)."""
    return django_filters.ModelChoiceFilter(field_name=path, queryset=Township.objects.order_by("code"),
                                            to_field_name="code", label=_("township"))


class EastPostFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("title", "enterprise__name", "city")
    is_open = django_filters.BooleanFilter(label=_("open"))
    search = search_filter()

    class Meta:
        model = EastPost
        fields = ["is_open"]


class OutboundReferralFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("worker__name", "east_post__title", "east_post__enterprise__name")
    outcome = django_filters.ChoiceFilter(choices=ReferralOutcome.choices, label=_("outcome"))
    township = township_choice("worker__village__township")
    east_post = django_filters.NumberFilter(field_name="east_post_id", label=_("east post"))
    search = search_filter()

    class Meta:
        model = OutboundReferral
        fields = ["outcome"]


class OutboundPlacementFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("worker__name", "enterprise__name", "city", "post_title")
    status = django_filters.ChoiceFilter(choices=OutboundStatus.choices, label=_("status"))
    township = township_choice("worker__village__township")
    category = django_filters.ChoiceFilter(field_name="worker__category", choices=WorkerCategory.choices,
                                           label=_("category"))
    started_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("started from"))
    started_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("started until"))
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker"))
    search = search_filter()

    class Meta:
        model = OutboundPlacement
        fields = ["status"]


class OutboundVisitFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("placement__worker__name", "placement__enterprise__name")
    milestone = django_filters.ChoiceFilter(choices=VisitMilestone.choices, label=_("visit"))
    township = township_choice("placement__worker__village__township")
    placement = django_filters.NumberFilter(field_name="placement_id", label=_("outbound placement"))
    search = search_filter()

    class Meta:
        model = OutboundVisit
        fields = ["milestone"]


class OverdueVisitFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("worker__name", "enterprise__name")
    township = township_choice("worker__village__township")
    search = search_filter()

    class Meta:
        model = OutboundPlacement
        fields = []


__all__ = ["EastPostFilterSet", "OutboundPlacementFilterSet", "OutboundReferralFilterSet",
           "OutboundVisitFilterSet", "OverdueVisitFilterSet"]
