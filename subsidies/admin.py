from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin

from .models import Policy, Rule, SubsidyRun


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown for inspection only: these change through their services (audited, locked when paid)."""


class RuleInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Rule
    extra = 0


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
