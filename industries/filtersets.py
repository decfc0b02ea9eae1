"""One FilterSet per model, used by both the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceKind
from core.filtersets import ChoiceByName, FilterSet, SearchMixin, search_filter, township_filter

from . import selectors
from .choices import BrandKind, Industry, Origin
from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase


def industry_filter():
    return django_filters.ChoiceFilter(choices=Industry.choices, label=_("industry"))


class EnterpriseFilterSet(SearchMixin, FilterSet):
    search_fields = ("name", "credit_code", "contact")
    industry = industry_filter()
    origin = django_filters.ChoiceFilter(choices=Origin.choices, label=_("origin"))
    township = township_filter("township")
    search = search_filter()

    class Meta:
        model = Enterprise
        fields = ["industry", "origin", "township"]


class ProductionBaseFilterSet(SearchMixin, FilterSet):
    search_fields = ("name", "enterprise__name")
    industry = industry_filter()
    township = township_filter("township")
    enterprise = ChoiceByName("enterprise", label=_("enterprise"))
    established_from = django_filters.DateFilter(field_name="established_on", lookup_expr="gte",
                                                 label=_("established from"))
    established_to = django_filters.DateFilter(field_name="established_on", lookup_expr="lte",
                                               label=_("established to"))
    search = search_filter()

    class Meta:
        model = ProductionBase
        fields = ["industry", "township"]


class BrandFilterSet(SearchMixin, FilterSet):
    search_fields = ("name", "owner__name")
    industry = industry_filter()
    kind = django_filters.ChoiceFilter(choices=BrandKind.choices, label=_("kind"))
    owner = ChoiceByName("enterprise", field_name="owner", label=_("owner enterprise"))
    search = search_filter()

    class Meta:
        model = Brand
        fields = ["industry", "kind"]


class IndustryOutputFilterSet(FilterSet):
    industry = industry_filter()
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("from year"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("to year"))

    class Meta:
        model = IndustryOutput
        fields = ["industry", "year"]


class LivestreamFilterSet(SearchMixin, FilterSet):
    search_fields = ("host", "village__name")
    township = township_filter("village__township")
    village = ChoiceByName("village", label=_("village"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from date"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to date"))
    search = search_filter()

    class Meta:
        model = Livestream
        fields = ["township", "village"]


class EastMarketSaleFilterSet(SearchMixin, FilterSet):
    search_fields = ("enterprise__name",)
    enterprise = ChoiceByName("enterprise", label=_("enterprise"))
    industry = django_filters.ChoiceFilter(field_name="enterprise__industry", choices=Industry.choices,
                                           label=_("industry"))
    township = township_filter("enterprise__township")
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("from year"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("to year"))
    search = search_filter()

    class Meta:
        model = EastMarketSale
        fields = ["year"]


class CooperationFundFilterSet(SearchMixin, FilterSet):
    search_fields = ("project", "purpose")
    township = township_filter("township")
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("from year"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("to year"))
    search = search_filter()

    class Meta:
        model = CooperationFund
        fields = ["township", "year"]


# Enterprises chosen by name in every list's filters (core.choices), within the user's scope.
CHOICE_KINDS = [
    ChoiceKind("enterprise", _("enterprise"), lambda user: selectors.enterprise_list(user=user),
               detail=lambda enterprise: enterprise.township.name if enterprise.township_id else "",
               related=("township",)),
]
