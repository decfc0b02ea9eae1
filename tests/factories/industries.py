from datetime import date
from decimal import Decimal

import factory

from industries import credit_code
from industries.models import (
    Brand,
    CooperationFund,
    EastMarketSale,
    Enterprise,
    IndustryOutput,
    Livestream,
    ProductionBase,
)

from .regions import VillageFactory, township

__all__ = ["EnterpriseFactory", "make_credit_code", "ProductionBaseFactory", "BrandFactory", "IndustryOutputFactory",
           "LivestreamFactory", "EastMarketSaleFactory", "CooperationFundFactory"]


def make_credit_code(n: int) -> str:
    """A valid unified social credit code, different for each n."""
    first17 = f"91511781{n:09d}"
    return first17 + credit_code.check_character(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"万源测试企业{n}")
    credit_code = factory.Sequence(make_credit_code)
    origin = "local"
    industry = "tea"


class ProductionBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionBase

    name = factory.Sequence(lambda n: f"测试基地{n}")
    industry = "black_chicken"
    township = factory.LazyFunction(township)
    area_mu = Decimal("1200.00")
    established_on = date(2020, 3, 1)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"测试品牌{n}")
    industry = "tea"
    kind = "regional"


class IndustryOutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryOutput

    industry = "tea"
    year = factory.Sequence(lambda n: 2000 + n % 100)
    output_value = Decimal("200000000.00")


class LivestreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Livestream

    village = factory.SubFactory(VillageFactory)
    date = date(2025, 5, 1)
    host = factory.Sequence(lambda n: f"主播{n}")
    orders = 12
    sales = Decimal("1020.50")


class EastMarketSaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EastMarketSale

    enterprise = factory.SubFactory(EnterpriseFactory, origin="east")
    year = 2025
    amount = Decimal("8875000.00")


class CooperationFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationFund

    year = 2025
    project = factory.Sequence(lambda n: f"协作项目{n}")
    amount = Decimal("9000000.00")
    purpose = "帮扶车间建设"
