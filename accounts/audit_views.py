"""The audit log as a history a county admin can read: who did what to which object, when, from
where, and each field's old → new value; filtered like every list and downloadable as Excel."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .filtersets import AuditEventFilterSet
from .models import AuditEvent
from .pages import ScopedListView
from .permissions import can
from .tables import AuditEventTable

PERMISSION = "accounts.audit.view"


def audit_events(*, user):
    """Every event, newest first (the audit log is county-wide: only county admins read it)."""
    if not can(user, PERMISSION):
        raise PermissionDenied
    return AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")


class AuditEventListView(ScopedListView):
    selector = staticmethod(audit_events)
    filterset_class = AuditEventFilterSet
    table_class = AuditEventTable
    template_name = "accounts/audit_list.html"
    title = _("Audit log")
    export_name = "audit-log"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
