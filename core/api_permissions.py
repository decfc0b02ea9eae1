"""`NamedPermission`, the API's default permission class: every view names its permissions per
action in `permission_by_action`: an action's name ("create", "certify", ...), else "read" for any
safe method and "write" for any other; the value is a name from accounts.permissions.RULES, or
SIGNED_IN (every signed-in user; the selector scopes what they see). An action a view does not
name is refused. Kept apart from core.api: DRF imports this class while its viewsets module loads."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.api.permissions import password_changed
from accounts.permissions import DENIED, can

from .pages import SIGNED_IN


def permission_for(view, request) -> str | None:
    """The permission name `view` declares for this request's action (None: not declared)."""
    declared = getattr(view, "permission_by_action", None) or {}
    action = getattr(view, "action", None)
    if action in declared:
        return declared[action]
    return declared.get("read" if request.method in permissions.SAFE_METHODS else "write")


class NamedPermission(permissions.BasePermission):
    """Signed in, password not awaiting a change, holding the action's named permission; and any
    unsafe method from a read-only API client is refused."""

    message = DENIED

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not password_changed(self, user):
            return False
        name = permission_for(view, request)
        if name is None:
            return False
        if request.method not in permissions.SAFE_METHODS:
            client = getattr(user, "api_client", None)
            if client is not None and client.read_only:
                self.message = _("This API client may only read.")
                return False
        return name == SIGNED_IN or can(user, name)
