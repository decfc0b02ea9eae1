from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin

from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "credit_code", "origin", "industry", "township")
    list_filter = ("origin", "industry", "township")
    search_fields = ("name", "credit_code")
    list_select_related = ("township",)


@admin.register(ProductionBase)
class ProductionBaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "industry", "township", "enterprise", "area_mu", "established_on")
    list_filter = ("industry", "township")
    search_fields = ("name",)
    list_select_related = ("township", "enterprise")


@admin.register(Brand)
class BrandAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "industry", "owner")
    list_filter = ("kind", "industry")
    search_fields = ("name",)
    list_select_related = ("owner",)


@admin.register(IndustryOutput)
class IndustryOutputAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("year", "industry", "output_value")
    list_filter = ("industry", "year")


@admin.register(Livestream)
class LivestreamAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("date", "village", "host", "orders", "sales")
    list_filter = ("village__township",)
    search_fields = ("host", "village__name")
    date_hierarchy = "date"
    list_select_related = ("village",)
    raw_id_fields = ("village",)


@admin.register(EastMarketSale)
class EastMarketSaleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("year", "enterprise", "amount")
    list_filter = ("year",)
    list_select_related = ("enterprise",)


@admin.register(CooperationFund)
class CooperationFundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("year", "project", "amount", "township")
    list_filter = ("year", "township")
    search_fields = ("project",)
    list_select_related = ("township",)
