from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from ..choices import Role


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


WRITE_ROLES_DEFAULT = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER})


class ScopedAccess(permissions.BasePermission):
    """Authenticated users read (their scope is applied by the view's selector). Writes need a
    role in the view's `write_roles`, and a read-write API client. Actions may name their own
    roles in `action_roles`."""

    message = _("Your role may not do this.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not password_changed(self, user):
            return False
        action_roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if action_roles is None and request.method in permissions.SAFE_METHODS:
            return True
        client = getattr(user, "api_client", None)
        if client is not None and client.read_only:
            self.message = _("This API client may only read.")
            return False
        roles = action_roles if action_roles is not None else getattr(view, "write_roles", WRITE_ROLES_DEFAULT)
        return user.role in roles
