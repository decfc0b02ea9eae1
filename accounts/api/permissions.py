"""The API's own-token permission and the must-change-password rule. Every other view's permission
is core.api.NamedPermission (the default), which asks accounts.permissions per action."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


def password_changed(permission, user) -> bool:
    """False (with the reason as the 403's detail) while an administrator's reset awaits a new password."""
    if getattr(user, "must_change_password", False):
        permission.message = _(
            "Your password was reset by an administrator: set a new one on the portal's "
            "Change password page before using the API.")
        return False
    return True


class OwnTokens(permissions.BasePermission):
    """Any signed-in user manages their own tokens; county admins everyone's (the view scopes the list)."""

    message = _("Your role may not do this.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated) and password_changed(self, user)
