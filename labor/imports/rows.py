"""What every import kind shares with the services: each row is validated by the model's own field
validators (the rules the services apply through full_clean), and every record written is audited
as the service would audit it, with bulk-inserted events."""

from django.core.exceptions import ValidationError

from accounts import audit
from core.writes import plain

from .columns import column_header


def check_fields(result, number: int, kind: str, instance, *, exclude=(), columns: dict | None = None) -> bool:
    """Run the model's field validation on the row's instance (relations are checked set-based by the
    kind, so they are excluded); each problem names its column. False when the row is refused."""
    try:
        instance.clean_fields(exclude=list(exclude))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            key = (columns or {}).get(field, field)
            result.problem(number, column_header(kind, key), messages[0])
        return False
    return True


def _value(obj, field: str):
    # A relation by its id, without loading the row (one query per row otherwise).
    model_field = obj._meta.get_field(field)
    return getattr(obj, model_field.attname)


def audit_rows(actor, created_action: str, updated_action: str, created: list, updated: list, fields,
               label=str) -> None:
    """`created`: instances; `updated`: (instance, {field: old value}) of the fields that changed.
    `label(obj)`: the object's text for the log (give one that does not query per row)."""
    audit.record_many(actor, created_action, [
        (obj, {f: [None, plain(_value(obj, f))] for f in fields}, label(obj)) for obj in created])
    audit.record_many(actor, updated_action, [
        (obj, {f: [plain(old[f]), plain(_value(obj, f))] for f in old}, label(obj)) for obj, old in updated])
