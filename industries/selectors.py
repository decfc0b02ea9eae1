"""Scoped reads for industries. Brands and yearly industry outputs are county-wide public facts:
every signed-in user sees them (writes are for county roles only)."""

from accounts.scoping import scoped

from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase


def enterprise_list(*, user):
    return scoped(Enterprise.objects.select_related("township"), user)


def production_base_list(*, user):
    return scoped(ProductionBase.objects.select_related("township", "enterprise"), user)


def brand_list(*, user):
    return Brand.objects.select_related("owner") if user.is_authenticated else Brand.objects.none()


def industry_output_list(*, user):
    return IndustryOutput.objects.all() if user.is_authenticated else IndustryOutput.objects.none()


def livestream_list(*, user):
    return scoped(Livestream.objects.select_related("village__township"), user)


def east_market_sale_list(*, user):
    return scoped(EastMarketSale.objects.select_related("enterprise"), user)


def cooperation_fund_list(*, user):
    return scoped(CooperationFund.objects.select_related("township"), user)
