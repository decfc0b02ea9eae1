"""Industries pages, declared per model: a list with filters and Excel, a detail page, and create
and edit forms saved through the services (core.pages' Record views)."""

from django.utils.translation import gettext_lazy as _

from core.pages import RecordCreateView, RecordDetailView, RecordListView, RecordUpdateView

from . import filtersets, forms, selectors, services, tables


class EnterpriseRecord:
    record_name = "enterprise"
    title = _("Enterprises")
    selector = staticmethod(selectors.enterprise_list)
    form_class = forms.EnterpriseForm
    write_permission = "industries.enterprise.write_page"


class EnterpriseListView(EnterpriseRecord, RecordListView):
    filterset_class = filtersets.EnterpriseFilterSet
    table_class = tables.EnterpriseTable
    export_name = "enterprise"


class EnterpriseDetailView(EnterpriseRecord, RecordDetailView):
    related = (
        (_("Workshops"), "workshop-list", "enterprise"),
        (_("Production bases"), "production-base-list", "enterprise"),
        (_("Brands"), "brand-list", "owner"),
        (_("East-market sales"), "east-market-sale-list", "enterprise"),
    )


class EnterpriseCreateView(EnterpriseRecord, RecordCreateView):
    create_service = staticmethod(services.enterprise_create)


class EnterpriseUpdateView(EnterpriseRecord, RecordUpdateView):
    update_service = staticmethod(services.enterprise_update)
    instance_arg = "enterprise"


class ProductionBaseRecord:
    record_name = "production-base"
    title = _("Production bases")
    selector = staticmethod(selectors.production_base_list)
    form_class = forms.ProductionBaseForm
    write_permission = "industries.production_base.write"


class ProductionBaseListView(ProductionBaseRecord, RecordListView):
    filterset_class = filtersets.ProductionBaseFilterSet
    table_class = tables.ProductionBaseTable
    export_name = "production-base"


class ProductionBaseDetailView(ProductionBaseRecord, RecordDetailView):
    pass


class ProductionBaseCreateView(ProductionBaseRecord, RecordCreateView):
    create_service = staticmethod(services.production_base_create)


class ProductionBaseUpdateView(ProductionBaseRecord, RecordUpdateView):
    update_service = staticmethod(services.production_base_update)
    instance_arg = "production_base"


class BrandRecord:
    record_name = "brand"
    title = _("Brands")
    selector = staticmethod(selectors.brand_list)
    form_class = forms.BrandForm
    write_permission = "industries.brand.write"


class BrandListView(BrandRecord, RecordListView):
    filterset_class = filtersets.BrandFilterSet
    table_class = tables.BrandTable
    export_name = "brand"


class BrandDetailView(BrandRecord, RecordDetailView):
    pass


class BrandCreateView(BrandRecord, RecordCreateView):
    create_service = staticmethod(services.brand_create)


class BrandUpdateView(BrandRecord, RecordUpdateView):
    update_service = staticmethod(services.brand_update)
    instance_arg = "brand"


class IndustryOutputRecord:
    record_name = "industry-output"
    title = _("Industry outputs")
    selector = staticmethod(selectors.industry_output_list)
    form_class = forms.IndustryOutputForm
    write_permission = "industries.industry_output.write"


class IndustryOutputListView(IndustryOutputRecord, RecordListView):
    filterset_class = filtersets.IndustryOutputFilterSet
    table_class = tables.IndustryOutputTable
    export_name = "industry-output"


class IndustryOutputDetailView(IndustryOutputRecord, RecordDetailView):
    pass


class IndustryOutputCreateView(IndustryOutputRecord, RecordCreateView):
    create_service = staticmethod(services.industry_output_create)


class IndustryOutputUpdateView(IndustryOutputRecord, RecordUpdateView):
    update_service = staticmethod(services.industry_output_update)
    instance_arg = "industry_output"


class LivestreamRecord:
    record_name = "livestream"
    title = _("Livestreams")
    selector = staticmethod(selectors.livestream_list)
    form_class = forms.LivestreamForm
    write_permission = "industries.livestream.write"


class LivestreamListView(LivestreamRecord, RecordListView):
    filterset_class = filtersets.LivestreamFilterSet
    table_class = tables.LivestreamTable
    export_name = "livestream"


class LivestreamDetailView(LivestreamRecord, RecordDetailView):
    pass


class LivestreamCreateView(LivestreamRecord, RecordCreateView):
    create_service = staticmethod(services.livestream_create)


class LivestreamUpdateView(LivestreamRecord, RecordUpdateView):
    update_service = staticmethod(services.livestream_update)
    instance_arg = "livestream"


class EastMarketSaleRecord:
    record_name = "east-market-sale"
    title = _("East-market sales")
    selector = staticmethod(selectors.east_market_sale_list)
    form_class = forms.EastMarketSaleForm
    write_permission = "industries.east_market_sale.write"


class EastMarketSaleListView(EastMarketSaleRecord, RecordListView):
    filterset_class = filtersets.EastMarketSaleFilterSet
    table_class = tables.EastMarketSaleTable
    export_name = "east-market-sale"


class EastMarketSaleDetailView(EastMarketSaleRecord, RecordDetailView):
    pass


class EastMarketSaleCreateView(EastMarketSaleRecord, RecordCreateView):
    create_service = staticmethod(services.east_market_sale_create)


class EastMarketSaleUpdateView(EastMarketSaleRecord, RecordUpdateView):
    update_service = staticmethod(services.east_market_sale_update)
    instance_arg = "east_market_sale"


class CooperationFundRecord:
    record_name = "cooperation-fund"
    title = _("Cooperation funds")
    selector = staticmethod(selectors.cooperation_fund_list)
    form_class = forms.CooperationFundForm
    write_permission = "industries.cooperation_fund.write"


class CooperationFundListView(CooperationFundRecord, RecordListView):
    filterset_class = filtersets.CooperationFundFilterSet
    table_class = tables.CooperationFundTable
    export_name = "cooperation-fund"


class CooperationFundDetailView(CooperationFundRecord, RecordDetailView):
    pass


class CooperationFundCreateView(CooperationFundRecord, RecordCreateView):
    create_service = staticmethod(services.cooperation_fund_create)


class CooperationFundUpdateView(CooperationFundRecord, RecordUpdateView):
    update_service = staticmethod(services.cooperation_fund_update)
    instance_arg = "cooperation_fund"
