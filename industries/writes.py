"""The one way services save a registry row: validate, save, keep it inside the actor's area, audit.

Used by the services of industries and workshops (workshops may import industries, not the reverse).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.scoping import in_scope


def _plain(value):
    return getattr(value, "pk", value) if hasattr(value, "_meta") else str(value) if value is not None else None


@transaction.atomic
def save_in_scope(*, actor, instance, action: str, changes: dict, scope_field: str | None = None):
    """Save `instance` after full_clean; refuse (and roll back) a row the actor could not see
    afterwards, e.g. a township officer moving a record to another township."""
    instance.full_clean()
    instance.save()
    if getattr(actor, "pk", None) and not in_scope(instance, actor):
        raise ValidationError({scope_field or NON_FIELD_ERRORS: _("This lies outside your area.")})
    audit.record(actor, action, instance, {key: _plain(value) for key, value in changes.items()})
    return instance


def create(model, *, actor, action: str, scope_field: str | None = None, **fields):
    return save_in_scope(actor=actor, instance=model(**fields), action=action, changes=fields,
                         scope_field=scope_field)


def update(instance, *, actor, action: str, scope_field: str | None = None, **fields):
    changed = {key: value for key, value in fields.items() if getattr(instance, key) != value}
    for key, value in changed.items():
        setattr(instance, key, value)
    return save_in_scope(actor=actor, instance=instance, action=action, changes=changed, scope_field=scope_field)
