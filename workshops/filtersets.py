"""One FilterSet per model, used by both the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceKind
from core.filtersets import ChoiceByName, FilterSet, SearchMixin, search_filter, township_filter
from industries.choices import Industry

from . import selectors
from .choices import DifficultyCategory, DifficultyStatus, WorkshopForm, WorkshopKind, WorkshopStatus
from .models import Difficulty, Liaison, Post, Workshop


class WorkshopFilterSet(SearchMixin, FilterSet):
    search_fields = ("name", "address", "enterprise__name", "village__name")
    kind = django_filters.ChoiceFilter(choices=WorkshopKind.choices, label=_("kind"))
    form = django_filters.ChoiceFilter(choices=WorkshopForm.choices, label=_("form"))
    status = django_filters.ChoiceFilter(choices=WorkshopStatus.choices, label=_("status"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("industry"))
    township = township_filter("village__township")
    village = ChoiceByName("village", label=_("village"))
    enterprise = ChoiceByName("enterprise", label=_("enterprise"))
    reuses_idle_asset = django_filters.BooleanFilter(label=_("uses a reused idle asset"))
    opened_from = django_filters.DateFilter(field_name="opened_on", lookup_expr="gte", label=_("opened from"))
    opened_to = django_filters.DateFilter(field_name="opened_on", lookup_expr="lte", label=_("opened to"))
    certified_on = django_filters.DateFilter(method="filter_certified_on", label=_("certified on"))
    search = search_filter()

    class Meta:
        model = Workshop
        fields = ["kind", "form", "status", "industry"]

    def filter_certified_on(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.certified_workshops(value).values("pk"))


class WorkshopChildFilterSet(SearchMixin, FilterSet):
    workshop = ChoiceByName("workshop", label=_("workshop"))
    township = township_filter("workshop__village__township")


class PostFilterSet(WorkshopChildFilterSet):
    search_fields = ("title", "workshop__name")
    reserved = django_filters.BooleanFilter(label=_("reserved"))
    industry = django_filters.ChoiceFilter(field_name="workshop__industry", choices=Industry.choices,
                                           label=_("industry"))
    kind = django_filters.ChoiceFilter(field_name="workshop__kind", choices=WorkshopKind.choices, label=_("kind"))
    search = search_filter()

    class Meta:
        model = Post
        fields = ["reserved"]


class LiaisonFilterSet(WorkshopChildFilterSet):
    search_fields = ("department", "contact_person", "workshop__name")
    search = search_filter()

    class Meta:
        model = Liaison
        fields = []


class DifficultyFilterSet(WorkshopChildFilterSet):
    search_fields = ("description", "resolution", "responsible_department", "workshop__name")
    category = django_filters.ChoiceFilter(choices=DifficultyCategory.choices, label=_("category"))
    status = django_filters.ChoiceFilter(choices=DifficultyStatus.choices, label=_("status"))
    raised_from = django_filters.DateFilter(field_name="raised_on", lookup_expr="gte", label=_("raised from"))
    raised_to = django_filters.DateFilter(field_name="raised_on", lookup_expr="lte", label=_("raised to"))
    resolved_from = django_filters.DateFilter(field_name="resolved_on", lookup_expr="gte", label=_("resolved from"))
    resolved_to = django_filters.DateFilter(field_name="resolved_on", lookup_expr="lte", label=_("resolved to"))
    search = search_filter()

    class Meta:
        model = Difficulty
        fields = ["category", "status"]


def _workshop_place(workshop):
    return f"{workshop.village.township.name} {workshop.village.name}"


# Workshops and posts chosen by name in every list's filters (core.choices), within the user's scope.
CHOICE_KINDS = [
    ChoiceKind("workshop", _("workshop"), lambda user: selectors.workshop_list(user=user), detail=_workshop_place,
               related=("village__township",)),
    ChoiceKind("post", _("post"), lambda user: selectors.post_list(user=user), name="title",
               detail=lambda post: post.workshop.name, related=("workshop",)),
]
