from django.contrib import admin

from . import services
from .models import Policy, Rule, SubsidyRun


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """County admins edit policies here; a policy's dates decide which months it applies to."""

    list_display = ["code", "name", "effective_from", "effective_to", "min_monthly_wage", "min_days"]
    inlines = [RuleInline]

    def save_model(self, request, obj, form, change):
        services.policy_save(actor=request.user, policy=obj)


@admin.register(SubsidyRun)
class SubsidyRunAdmin(admin.ModelAdmin):
    """Read-only: runs change only through the workflow."""

    list_display = ["id", "month", "kind", "status", "payable_total", "withheld_total"]
    list_filter = ["status", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
