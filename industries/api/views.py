from accounts.api.permissions import WRITE_ROLES_DEFAULT
from accounts.choices import COUNTY_ROLES, Role

from .. import filtersets, selectors
from . import serializers
from .base import ServiceViewSet


class EnterpriseViewSet(ServiceViewSet):
    selector = selectors.enterprise_list
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filtersets.EnterpriseFilterSet
    ordering_fields = ["name", "credit_code", "industry", "origin"]
    # Partner systems (a read-write API client) register enterprises too.
    write_roles = WRITE_ROLES_DEFAULT | {Role.PARTNER}


class ProductionBaseViewSet(ServiceViewSet):
    selector = selectors.production_base_list
    serializer_class = serializers.ProductionBaseSerializer
    filterset_class = filtersets.ProductionBaseFilterSet
    ordering_fields = ["name", "industry", "area_mu", "established_on"]


class BrandViewSet(ServiceViewSet):
    selector = selectors.brand_list
    serializer_class = serializers.BrandSerializer
    filterset_class = filtersets.BrandFilterSet
    ordering_fields = ["name", "industry", "kind"]
    write_roles = COUNTY_ROLES


class IndustryOutputViewSet(ServiceViewSet):
    selector = selectors.industry_output_list
    serializer_class = serializers.IndustryOutputSerializer
    filterset_class = filtersets.IndustryOutputFilterSet
    ordering_fields = ["year", "industry", "output_value"]
    write_roles = COUNTY_ROLES


class LivestreamViewSet(ServiceViewSet):
    selector = selectors.livestream_list
    serializer_class = serializers.LivestreamSerializer
    filterset_class = filtersets.LivestreamFilterSet
    ordering_fields = ["date", "orders", "sales"]


class EastMarketSaleViewSet(ServiceViewSet):
    selector = selectors.east_market_sale_list
    serializer_class = serializers.EastMarketSaleSerializer
    filterset_class = filtersets.EastMarketSaleFilterSet
    ordering_fields = ["year", "amount"]
    write_roles = COUNTY_ROLES


class CooperationFundViewSet(ServiceViewSet):
    selector = selectors.cooperation_fund_list
    serializer_class = serializers.CooperationFundSerializer
    filterset_class = filtersets.CooperationFundFilterSet
    ordering_fields = ["year", "amount", "project"]
    write_roles = COUNTY_ROLES
