"""The audit log's table: the page shows it, `?export=xlsx` writes the same columns (as plain text)."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts import audit_display
from accounts.models import AuditEvent

from .exports import Export


def _event(values):
    """An event-like object from exported values (actor's username, first and last name, action, object
    type, object repr and id, changes), so the export shows what the page's render methods show."""
    from types import SimpleNamespace

    username, first_name, last_name, action, object_type, object_repr, object_id, changes = values
    actor = None if username is None else SimpleNamespace(
        username=username, first_name=first_name, last_name=last_name,
        get_full_name=lambda: f"{first_name} {last_name}".strip())
    return SimpleNamespace(actor=actor, action=action, object_type=object_type, object_repr=object_repr,
                           object_id=object_id, changes=changes)


EVENT_PATHS = ("actor__username", "actor__first_name", "actor__last_name", "action", "object_type",
               "object_repr", "object_id", "changes")


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

    def value_created_at(self, value, **kwargs):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")

    @property
    def export_columns(self):
        """The background export (core.exports) reads values, not events: each cell from its fields."""
        def cell(method):
            return Export(EVENT_PATHS, lambda values: method(_event(values)), format_none=True)

        return {
            "created_at": Export("created_at", lambda value: self.value_created_at(value)),
            "actor": cell(audit_display.actor_label),
            "action": cell(lambda event: audit_display.action_label(event.action, event.object_type)),
            "object": cell(self._object_text),
            "changes": cell(lambda event: "\n".join(str(row) for row in audit_display.changes_of(event))),
        }
