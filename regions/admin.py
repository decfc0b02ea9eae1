from django.contrib import admin

from .models import Township, Village


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "township", "kind")
    list_filter = ("kind", "township")
    search_fields = ("code", "name")
    list_select_related = ("township",)
