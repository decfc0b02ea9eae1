from django.contrib import admin

from .models import Policy, Rule, SubsidyRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for inspection only: these change through their services (audited, locked when paid)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    """County admins edit policies in the portal (/subsidies/policies/), where the lock on paid months holds."""

    list_display = ["code", "name", "effective_from", "effective_to", "min_monthly_wage", "min_days"]
    inlines = [RuleInline]


@admin.register(SubsidyRun)
class SubsidyRunAdmin(ReadOnlyAdmin):
    """Runs change only through the workflow."""

    list_display = ["id", "month", "kind", "status", "payable_total", "withheld_total"]
    list_filter = ["status", "kind"]
