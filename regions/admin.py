from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin

from .models import Township, Village


@admin.register(Township)
class TownshipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "township", "kind")
    list_filter = ("kind", "township")
    search_fields = ("code", "name")
    list_select_related = ("township",)
