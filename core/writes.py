"""The one way services save a registry row: validate, save, keep it inside the actor's area, audit
the change as `{field: [old, new]}` (old is null on create; plain JSON values: pk for a relation,
str for Decimal and dates).

Services declare the fields a caller may set as explicit keyword arguments defaulting to `UNSET`
("not given": an API PATCH sends only what changes) and pass `given(...)` of them here.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.scoping import in_scope


class _Unset:
    """A keyword argument the caller did not give (distinct from None, a value)."""

    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET = _Unset()


def given(**values) -> dict:
    """The keyword arguments the caller gave, without the UNSET ones."""
    return {key: value for key, value in values.items() if value is not UNSET}


def plain(value):
    """A value as the audit log keeps it: pk for a row, str for Decimal/date/datetime, a list for a
    set of rows; bool, int, str and None as they are."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "_meta"):
        return value.pk
    if isinstance(value, (Decimal, date, datetime)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "__iter__"):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) or hasattr(value, "model") else items
    return str(value)


def change(old, new) -> list:
    return [plain(old), plain(new)]


def created(fields: dict) -> dict:
    """The changes of a new row: every given field from null."""
    return {key: [None, plain(value)] for key, value in fields.items()}


def _current(instance, key):
    # A relation is compared and recorded by its id, without loading the old row.
    field = instance._meta.get_field(key) if key in {f.name for f in instance._meta.concrete_fields} else None
    if field is not None and field.is_relation:
        return getattr(instance, field.attname)
    return getattr(instance, key)


def _comparable(instance, key, value):
    field = instance._meta.get_field(key) if key in {f.name for f in instance._meta.concrete_fields} else None
    if field is not None and field.is_relation and hasattr(value, "_meta"):
        return value.pk
    return value


@transaction.atomic
def save_in_scope(*, actor, instance, action: str, changes: dict, scope_field: str | None = None):
    """Save `instance` after full_clean; refuse (and roll back) a row the actor could not see
    afterwards, e.g. a township officer moving a record to another township. `changes` is
    `{field: [old, new]}`."""
    instance.full_clean()
    instance.save()
    if getattr(actor, "pk", None) and not in_scope(instance, actor):
        raise ValidationError({scope_field or NON_FIELD_ERRORS: _("This lies outside your area.")})
    audit.record(actor, action, instance, changes)
    return instance


def create(model, *, actor, action: str, scope_field: str | None = None, **fields):
    return save_in_scope(actor=actor, instance=model(**fields), action=action, changes=created(fields),
                         scope_field=scope_field)


def update(instance, *, actor, action: str, scope_field: str | None = None, **fields):
    """Set the fields that differ, save, and audit them with their old and new values."""
    changes = {}
    for key, value in fields.items():
        old = _current(instance, key)
        if old != _comparable(instance, key, value):
            changes[key] = change(old, value)
            setattr(instance, key, value)
    return save_in_scope(actor=actor, instance=instance, action=action, changes=changes, scope_field=scope_field)
