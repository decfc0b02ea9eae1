import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Township, Village


class TownshipFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(label=_("kind"))
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Township
        fields = ["kind"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


class VillageFilterSet(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="township__code", label=_("township code"))
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Village
        fields = ["township", "kind"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
