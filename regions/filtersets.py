import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceKind
from core.filtersets import FilterSet, township_filter

from . import selectors
from .choices import TownshipKind
from .models import Township, Village


class TownshipFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=TownshipKind.choices, label=_("kind"))
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Township
        fields = ["kind"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


class VillageFilterSet(FilterSet):
    township = township_filter("township")
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Village
        fields = ["township", "kind"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


# Townships and villages chosen by name in every list's filters (core.choices), within the user's scope.
CHOICE_KINDS = [
    ChoiceKind("township", _("township"), lambda user: selectors.township_list(user=user), keys=("code", "pk")),
    ChoiceKind("village", _("village"), lambda user: selectors.village_list(user=user), keys=("code", "pk"),
               detail=lambda village: village.township.name, related=("township",)),
]
