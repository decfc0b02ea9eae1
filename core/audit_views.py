"""(The page lives in core, which sits above accounts, because it is built on the shared list view.)

The audit log as a history a county admin can read: who did what to which object, when, from
where, and each field's old → new value; filtered like every list and downloadable as Excel."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.filtersets import AuditEventFilterSet
from accounts.models import AuditEvent
from accounts.permissions import can

from .audit_table import AuditEventTable
from .pages import ScopedListView

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

    permission = PERMISSION
