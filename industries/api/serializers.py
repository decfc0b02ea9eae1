from rest_framework import serializers

from accounts.scoping import scoped
from core.api import ServiceSerializer
from regions.models import Township, Village

from .. import services
from ..models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase


class ScopedSlugField(serializers.SlugRelatedField):
    """A township or village given by its code, limited to the caller's area (else a 400)."""

    def get_queryset(self):
        return scoped(super().get_queryset(), self.context["request"].user)


def township_field(**kwargs):
    return ScopedSlugField(slug_field="code", queryset=Township.objects.all(), **kwargs)


def village_field(**kwargs):
    return ScopedSlugField(slug_field="code", queryset=Village.objects.select_related("township"), **kwargs)


class EnterpriseSerializer(ServiceSerializer):
    create_service = staticmethod(services.enterprise_create)
    update_service = staticmethod(services.enterprise_update)
    instance_arg = "enterprise"
    township = township_field(required=False, allow_null=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "origin", "industry", "contact", "township"]


class ProductionBaseSerializer(ServiceSerializer):
    create_service = staticmethod(services.production_base_create)
    update_service = staticmethod(services.production_base_update)
    instance_arg = "production_base"
    township = township_field()

    class Meta:
        model = ProductionBase
        fields = ["id", "name", "industry", "township", "enterprise", "area_mu", "established_on"]


class BrandSerializer(ServiceSerializer):
    create_service = staticmethod(services.brand_create)
    update_service = staticmethod(services.brand_update)
    instance_arg = "brand"

    class Meta:
        model = Brand
        fields = ["id", "name", "industry", "owner", "kind"]


class IndustryOutputSerializer(ServiceSerializer):
    create_service = staticmethod(services.industry_output_create)
    update_service = staticmethod(services.industry_output_update)
    instance_arg = "industry_output"

    class Meta:
        model = IndustryOutput
        fields = ["id", "industry", "year", "output_value"]


class LivestreamSerializer(ServiceSerializer):
    create_service = staticmethod(services.livestream_create)
    update_service = staticmethod(services.livestream_update)
    instance_arg = "livestream"
    village = village_field()

    class Meta:
        model = Livestream
        fields = ["id", "village", "date", "host", "orders", "sales"]


class EastMarketSaleSerializer(ServiceSerializer):
    create_service = staticmethod(services.east_market_sale_create)
    update_service = staticmethod(services.east_market_sale_update)
    instance_arg = "east_market_sale"

    class Meta:
        model = EastMarketSale
        fields = ["id", "enterprise", "year", "amount"]


class CooperationFundSerializer(ServiceSerializer):
    create_service = staticmethod(services.cooperation_fund_create)
    update_service = staticmethod(services.cooperation_fund_update)
    instance_arg = "cooperation_fund"
    township = township_field(required=False, allow_null=True)

    class Meta:
        model = CooperationFund
        fields = ["id", "year", "project", "amount", "purpose", "township"]
