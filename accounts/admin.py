from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .middleware import current_request
from .models import ApiClient, ApiToken, AuditEvent, User


class ResetPasswordForm(AdminPasswordChangeForm):
    """The admin's "change password" is a reset: validated like every password (Django's form runs
    AUTH_PASSWORD_VALIDATORS) and the user must choose their own at the next login."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
            user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
            request = current_request()
            audit.record(getattr(request, "user", None), "user.password_reset", user, {"via": "admin"})
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = ResetPasswordForm
    list_display = ("username", "role", "township", "is_active", "must_change_password", "last_login")
    list_filter = ("role", "is_active", "township")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "township", "village", "cooperative", "workshop", "phone",
                                          "must_change_password")}),
    )
    raw_id_fields = ("village", "cooperative", "workshop")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "read_only", "is_active", "created_at")
    readonly_fields = ("user", "created_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "client", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "digest", "client", "created_at", "last_used_at")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable, never edited or deleted here."""

    list_display = ("created_at", "actor", "action", "object_type", "object_repr", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
