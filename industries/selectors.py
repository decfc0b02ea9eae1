"""Scoped reads for industries. Brands and yearly industry outputs are county-wide public facts:
every signed-in user sees them (writes are for county roles only)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from accounts.scoping import scoped

from .choices import Origin
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


def industry_figures(*, user) -> dict:
    """For the dashboard, within the user's scope (three aggregate queries): enterprises by origin,
    east-west cooperation funds, village livestream sessions and sales. Money is `Decimal` yuan."""
    zero = Decimal("0.00")
    enterprises = enterprise_list(user=user).order_by().aggregate(
        total=Count("pk"), east=Count("pk", filter=Q(origin=Origin.EAST)),
        local=Count("pk", filter=Q(origin=Origin.LOCAL)))
    funds = cooperation_fund_list(user=user).order_by().aggregate(total=Sum("amount"), projects=Count("pk"))
    streams = livestream_list(user=user).order_by().aggregate(sessions=Count("pk"), sales=Sum("sales"))
    return {
        "enterprises": enterprises["total"],
        "east_enterprises": enterprises["east"],
        "local_enterprises": enterprises["local"],
        "cooperation_fund_projects": funds["projects"],
        "cooperation_funds_total": (funds["total"] or zero).quantize(Decimal("0.01")),
        "livestream_sessions": streams["sessions"],
        "livestream_sales_total": (streams["sales"] or zero).quantize(Decimal("0.01")),
    }
