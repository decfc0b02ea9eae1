"""The audit log's table: the page shows it, `?export=xlsx` writes the same columns (as plain text)."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import audit_display
from .models import AuditEvent


class AuditEventTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=_("time"), format="Y-m-d H:i:s", order_by=("created_at", "id"))
    actor = tables.Column(verbose_name=_("actor"), empty_values=(), orderable=False)
    ip = tables.Column(verbose_name=_("IP address"))
    action = tables.Column(verbose_name=_("action"), orderable=False)
    object = tables.Column(verbose_name=_("object"), accessor="object_repr", empty_values=(), orderable=False)
    changes = tables.Column(verbose_name=_("changes"), empty_values=(), orderable=False)

    class Meta:
        model = AuditEvent
        fields = ["created_at", "actor", "ip", "action", "object", "changes"]
        order_by = ("-created_at",)
        attrs = {"class": "table table-sm table-striped align-middle", "id": "audit-events"}
        row_attrs = {"data-event": lambda record: record.pk}

    def render_actor(self, record):
        return audit_display.actor_label(record)

    def value_actor(self, record):
        return audit_display.actor_label(record)

    def render_action(self, record):
        return format_html('<span title="{}">{}</span>', record.action,
                           audit_display.action_label(record.action, record.object_type))

    def value_action(self, record):
        return audit_display.action_label(record.action, record.object_type)

    def _object_text(self, record):
        kind = audit_display.object_type_label(record.object_type)
        name = record.object_repr or (f"#{record.object_id}" if record.object_id else "")
        return f"{kind} {name}".strip() if kind else name

    def render_object(self, record):
        text = self._object_text(record)
        url = audit_display.object_url(record.object_type, record.object_id)
        return format_html('<a href="{}">{}</a>', url, text) if url else text or "—"

    def value_object(self, record):
        return self._object_text(record)

    def render_changes(self, record):
        rows = audit_display.changes_of(record)
        if not rows:
            return "—"
        return format_html('<ul class="list-unstyled mb-0 small">{}</ul>',
                           format_html_join("", '<li class="change">{}</li>', ((str(row),) for row in rows)))

    def value_changes(self, record):
        return "\n".join(str(row) for row in audit_display.changes_of(record))

    def value_created_at(self, record, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
