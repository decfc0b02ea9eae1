from datetime import date, datetime
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .middleware import current_request
from .models import ApiClient, ApiToken, AuditEvent, User


class ReadOnlyAdminMixin:
    """The one read-only mixin of the Django admin, for a ModelAdmin or an inline: viewable, never added,
    changed or deleted here (nor bulk-deleted). Domain data (regions, industries, workshops, labor,
    subsidies) changes only through its services, which check permissions and scope and write the audit
    log; the audit log itself is append-only. It lives here, in the bottom layer, so every app's admin
    can use it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Shown instead of a password hash, which never enters the audit log.
PASSWORD_CHANGED = "changed"
M2M_FIELDS = ("groups", "user_permissions")


def _plain(value):
    """An audit value as plain JSON: str for Decimal/date, the rest as it is."""
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    return value


def user_state(user) -> dict:
    """The user's fields, a relation as its pk (the password hash is compared, never recorded)."""
    if user is None or user.pk is None:
        return {}
    return {field.name: getattr(user, field.attname) for field in User._meta.concrete_fields}


def user_relations(user) -> dict:
    if user is None or user.pk is None:
        return {}
    return {name: sorted(getattr(user, name).values_list("pk", flat=True)) for name in M2M_FIELDS}


def user_changes(before: dict, after: dict, only=None) -> dict:
    """`{field: [old, new]}` of what differs (old is None on create), as plain JSON; the password as
    "changed". `only`: the fields the admin's form changed (a form round trip drops a time's
    microseconds, which is not a change anyone made)."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if name == "id" or old == new or (only is not None and name not in only):
            continue
        if not before and new in (None, "", [], False) and name != "is_active":
            continue  # a new user: only the fields given
        changes[name] = PASSWORD_CHANGED if name == "password" else [_plain(old), _plain(new)]
    return changes


class ResetPasswordForm(AdminPasswordChangeForm):
    """The admin's "change password" is a reset: validated like every password (Django's form runs
    AUTH_PASSWORD_VALIDATORS) and the user must choose their own at the next login."""

    def save(self, commit=True):
        self._was_forced = User.objects.filter(pk=self.user.pk, must_change_password=True).exists()
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
            user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
            request = current_request()
            changes = {"password": PASSWORD_CHANGED}
            if not self._was_forced:
                changes["must_change_password"] = [False, True]
            audit.record(getattr(request, "user", None), "user.password_reset", user, changes)
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
    # Set by Django, not by people. Were they editable, every save would truncate them to the minute of
    # the form's time format, and the audit log would record a change nobody made.
    readonly_fields = ("last_login", "date_joined")

    # Every change made here is in the audit log with each field's old and new value: the admin is the
    # one place users are edited outside the services.
    def save_model(self, request, obj, form, change):
        previous = User.objects.filter(pk=obj.pk).first() if change else None
        request._audit_user_before = (user_state(previous), user_relations(previous))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        before, relations_before = getattr(request, "_audit_user_before", ({}, {}))
        changes = user_changes({**before, **relations_before}, {**user_state(user), **user_relations(user)},
                               only=set(form.changed_data) if change else None)
        if changes or not change:
            audit.record(request.user, "user.update" if change else "user.create", user, changes)

    def delete_model(self, request, obj):
        audit.record(request.user, "user.delete", obj, _deleted(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            audit.record(request.user, "user.delete", user, _deleted(user))
        super().delete_queryset(request, queryset)


def _deleted(user) -> dict:
    return {name: [value, None] for name, value in user_state(user).items()
            if name in ("username", "first_name", "last_name", "role", "township", "village", "cooperative",
                        "workshop", "is_active", "is_staff", "is_superuser")}


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "read_only", "is_active", "created_at")
    readonly_fields = ("user", "created_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "client", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "digest", "client", "created_at", "last_used_at")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log is append-only: readable, never edited or deleted here (county admins read it as a
    history on the portal's 审计日志 page)."""

    list_display = ("created_at", "actor", "action", "object_type", "object_repr", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "actor__username")
    list_select_related = ("actor",)
