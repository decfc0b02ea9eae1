"""Industries pages: one Resource per model (list with filters and Excel, detail, create, edit)."""

from django.utils.translation import gettext_lazy as _

from accounts.choices import COUNTY_ROLES

from . import filtersets, forms, selectors, services, tables
from .crud import Resource

ENTERPRISES = Resource(
    name="enterprise", route="industries/enterprises", title=_("Enterprises"),
    selector=selectors.enterprise_list, filterset=filtersets.EnterpriseFilterSet, table=tables.EnterpriseTable,
    form=forms.EnterpriseForm, create_service=services.enterprise_create, update_service=services.enterprise_update,
    instance_arg="enterprise",
    related=((_("Workshops"), "workshop-list", "enterprise"),
             (_("Production bases"), "production-base-list", "enterprise"),
             (_("Brands"), "brand-list", "owner"),
             (_("East-market sales"), "east-market-sale-list", "enterprise")),
)
PRODUCTION_BASES = Resource(
    name="production-base", route="industries/production-bases", title=_("Production bases"),
    selector=selectors.production_base_list, filterset=filtersets.ProductionBaseFilterSet,
    table=tables.ProductionBaseTable, form=forms.ProductionBaseForm,
    create_service=services.production_base_create, update_service=services.production_base_update,
    instance_arg="production_base",
)
BRANDS = Resource(
    name="brand", route="industries/brands", title=_("Brands"),
    selector=selectors.brand_list, filterset=filtersets.BrandFilterSet, table=tables.BrandTable,
    form=forms.BrandForm, create_service=services.brand_create, update_service=services.brand_update,
    instance_arg="brand", write_roles=COUNTY_ROLES,
)
INDUSTRY_OUTPUTS = Resource(
    name="industry-output", route="industries/outputs", title=_("Industry outputs"),
    selector=selectors.industry_output_list, filterset=filtersets.IndustryOutputFilterSet,
    table=tables.IndustryOutputTable, form=forms.IndustryOutputForm,
    create_service=services.industry_output_create, update_service=services.industry_output_update,
    instance_arg="industry_output", write_roles=COUNTY_ROLES,
)
LIVESTREAMS = Resource(
    name="livestream", route="industries/livestreams", title=_("Livestreams"),
    selector=selectors.livestream_list, filterset=filtersets.LivestreamFilterSet, table=tables.LivestreamTable,
    form=forms.LivestreamForm, create_service=services.livestream_create, update_service=services.livestream_update,
    instance_arg="livestream",
)
EAST_MARKET_SALES = Resource(
    name="east-market-sale", route="industries/east-market-sales", title=_("East-market sales"),
    selector=selectors.east_market_sale_list, filterset=filtersets.EastMarketSaleFilterSet,
    table=tables.EastMarketSaleTable, form=forms.EastMarketSaleForm,
    create_service=services.east_market_sale_create, update_service=services.east_market_sale_update,
    instance_arg="east_market_sale", write_roles=COUNTY_ROLES,
)
COOPERATION_FUNDS = Resource(
    name="cooperation-fund", route="industries/cooperation-funds", title=_("Cooperation funds"),
    selector=selectors.cooperation_fund_list, filterset=filtersets.CooperationFundFilterSet,
    table=tables.CooperationFundTable, form=forms.CooperationFundForm,
    create_service=services.cooperation_fund_create, update_service=services.cooperation_fund_update,
    instance_arg="cooperation_fund", write_roles=COUNTY_ROLES,
)

RESOURCES = [ENTERPRISES, PRODUCTION_BASES, BRANDS, INDUSTRY_OUTPUTS, LIVESTREAMS, EAST_MARKET_SALES,
             COOPERATION_FUNDS]
