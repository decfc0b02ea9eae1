from .middleware import current_ip
from .models import AuditEvent


def record(actor, action: str, obj=None, changes: dict | None = None) -> AuditEvent:
    """Append one event to the audit log; called by services inside their transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        ip=current_ip(),
    )
