from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin

from .models import CertificationEvent, Difficulty, Liaison, Post, Workshop


class CertificationEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    """History written by the certification workflow: shown, never edited here."""

    model = CertificationEvent
    extra = 0
    readonly_fields = ("action", "effective_date", "reason", "override", "workers", "assisted_workers", "actor",
                       "created_at")


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "form", "industry", "village", "status", "reuses_idle_asset")
    list_filter = ("kind", "form", "industry", "status", "village__township")
    search_fields = ("name", "enterprise__name")
    list_select_related = ("village", "enterprise")
    raw_id_fields = ("village", "enterprise")
    readonly_fields = ("status", "created_at")  # status belongs to the certification workflow
    inlines = [CertificationEventInline]


@admin.register(CertificationEvent)
class CertificationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("workshop", "action", "effective_date", "override", "workers", "assisted_workers", "actor")
    list_filter = ("action", "override")
    list_select_related = ("workshop", "actor")


@admin.register(Post)
class PostAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "workshop", "headcount", "monthly_wage", "reserved")
    list_filter = ("reserved",)
    search_fields = ("title", "workshop__name")
    list_select_related = ("workshop",)
    raw_id_fields = ("workshop",)


@admin.register(Liaison)
class LiaisonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("workshop", "department", "contact_person", "phone")
    search_fields = ("department", "workshop__name")
    list_select_related = ("workshop",)
    raw_id_fields = ("workshop",)


@admin.register(Difficulty)
class DifficultyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("workshop", "category", "raised_on", "status", "resolved_on", "responsible_department")
    list_filter = ("category", "status")
    search_fields = ("description", "workshop__name")
    list_select_related = ("workshop",)
    raw_id_fields = ("workshop",)
    readonly_fields = ("status", "resolved_on")  # changed by raising and resolving, not here
