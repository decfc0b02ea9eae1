import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.money import MoneyColumn

from .choices import INDUSTRY_COLOURS, Industry
from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase


def detail_link(url_name):
    return tables.Column(linkify=(url_name, [tables.A("pk")]))


class IndustryColumn(tables.Column):
    """The industry as its colour badge on the page; plain text in the Excel download."""

    def render(self, value, record):
        code = getattr(record, "industry", None)
        return format_html('<span class="badge industry-badge" data-industry="{}" style="background:{}">{}</span>',
                           code, INDUSTRY_COLOURS.get(code, INDUSTRY_COLOURS[Industry.OTHER]), value)

    def value(self, value, record):
        return value


class EnterpriseTable(tables.Table):
    name = detail_link("enterprise-detail")
    industry = IndustryColumn()

    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "origin", "industry", "township", "contact"]
        order_by = "name"


class ProductionBaseTable(tables.Table):
    name = detail_link("production-base-detail")
    industry = IndustryColumn()

    class Meta:
        model = ProductionBase
        fields = ["name", "industry", "township", "enterprise", "area_mu", "established_on"]


class BrandTable(tables.Table):
    name = detail_link("brand-detail")
    industry = IndustryColumn()

    class Meta:
        model = Brand
        fields = ["name", "kind", "industry", "owner"]


class IndustryOutputTable(tables.Table):
    industry = detail_link("industry-output-detail")
    output_value = MoneyColumn()

    class Meta:
        model = IndustryOutput
        fields = ["year", "industry", "output_value"]


class LivestreamTable(tables.Table):
    date = detail_link("livestream-detail")
    township = tables.Column(accessor="village__township", verbose_name=_("township"), order_by="village__township")
    sales = MoneyColumn()

    class Meta:
        model = Livestream
        fields = ["date", "township", "village", "host", "orders", "sales"]


class EastMarketSaleTable(tables.Table):
    enterprise = detail_link("east-market-sale-detail")
    amount = MoneyColumn()

    class Meta:
        model = EastMarketSale
        fields = ["year", "enterprise", "amount"]


class CooperationFundTable(tables.Table):
    project = detail_link("cooperation-fund-detail")
    amount = MoneyColumn()

    class Meta:
        model = CooperationFund
        fields = ["year", "project", "amount", "township", "purpose"]
