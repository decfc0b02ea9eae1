from core.api import SIGNED_IN, ServiceViewSet

from .. import filtersets, selectors
from . import serializers


class EnterpriseViewSet(ServiceViewSet):
    selector = selectors.enterprise_list
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filtersets.EnterpriseFilterSet
    ordering_fields = ["name", "credit_code", "industry", "origin"]
    # Partner systems (a read-write API client) register enterprises too.
    permission_by_action = {"read": SIGNED_IN, "write": "industries.enterprise.write"}


class ProductionBaseViewSet(ServiceViewSet):
    selector = selectors.production_base_list
    serializer_class = serializers.ProductionBaseSerializer
    filterset_class = filtersets.ProductionBaseFilterSet
    ordering_fields = ["name", "industry", "area_mu", "established_on"]
    permission_by_action = {"read": SIGNED_IN, "write": "industries.production_base.write"}


class BrandViewSet(ServiceViewSet):
    selector = selectors.brand_list
    serializer_class = serializers.BrandSerializer
    filterset_class = filtersets.BrandFilterSet
    ordering_fields = ["name", "industry", "kind"]
    permission_by_action = {"read": SIGNED_IN, "write": "industries.brand.write"}


class IndustryOutputViewSet(ServiceViewSet):
    selector = selectors.industry_output_list
    serializer_class = serializers.IndustryOutputSerializer
    filterset_class = filtersets.IndustryOutputFilterSet
    ordering_fields = ["year", "industry", "output_value"]
    permission_by_action = {"read": SIGNED_IN, "write": "industries.industry_output.write"}


class LivestreamViewSet(ServiceViewSet):
    selector = selectors.livestream_list
    serializer_class = serializers.LivestreamSerializer
    filterset_class = filtersets.LivestreamFilterSet
    ordering_fields = ["date", "orders", "sales"]
    permission_by_action = {"read": SIGNED_IN, "write": "industries.livestream.write"}


class EastMarketSaleViewSet(ServiceViewSet):
    selector = selectors.east_market_sale_list
    serializer_class = serializers.EastMarketSaleSerializer
    filterset_class = filtersets.EastMarketSaleFilterSet
    ordering_fields = ["year", "amount"]
    permission_by_action = {"read": SIGNED_IN, "write": "industries.east_market_sale.write"}


class CooperationFundViewSet(ServiceViewSet):
    selector = selectors.cooperation_fund_list
    serializer_class = serializers.CooperationFundSerializer
    filterset_class = filtersets.CooperationFundFilterSet
    ordering_fields = ["year", "amount", "project"]
    permission_by_action = {"read": SIGNED_IN, "write": "industries.cooperation_fund.write"}
