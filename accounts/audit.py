"""The audit log: who did what to which object, with `changes` as `{field: [old, new]}` (old is null
on create). Services write it inside their transaction; the system's actor (permissions.SYSTEM,
no user row) is stored as a null actor and shown as "system"."""

from .middleware import current_ip
from .models import AuditEvent


def _event(actor, action: str, obj, changes: dict | None, ip, label: str | None = None) -> AuditEvent:
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(label if label is not None else str(obj))[:200] if obj is not None else "",
        changes=changes or {},
        ip=ip,
    )


def record(actor, action: str, obj=None, changes: dict | None = None) -> AuditEvent:
    """Append one event to the audit log; called by services inside their transaction."""
    event = _event(actor, action, obj, changes, current_ip())
    event.save()
    return event


def record_many(actor, action: str, items, batch_size: int = 1000) -> list[AuditEvent]:
    """One event per `(obj, changes)` (or `(obj, changes, label)`: the object's text, when str(obj)
    would query) of `items`, written with bulk inserts, not a query per row: set-based writes
    (payroll, imports) record every row they created or changed."""
    ip = current_ip()
    events = [_event(actor, action, item[0], item[1], ip, item[2] if len(item) > 2 else None) for item in items]
    return AuditEvent.objects.bulk_create(events, batch_size=batch_size)
