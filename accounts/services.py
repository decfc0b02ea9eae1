import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .choices import COUNTY_ROLES, Role
from .models import ApiClient, ApiToken, IdempotencyRecord, User

SCOPE_FIELDS = ("township", "village", "cooperative", "workshop")


def _apply_scope(user: User, scope: dict) -> None:
    """Set the scope fields a role needs, deriving the township from the narrower levels."""
    for field, value in scope.items():
        if value is not None and not hasattr(user, f"{field}_id"):
            raise ValidationError({field: _("This scope level is not available yet.")})
        if hasattr(user, f"{field}_id"):
            setattr(user, field, value)
    if user.role in COUNTY_ROLES:
        for field in SCOPE_FIELDS:
            if hasattr(user, f"{field}_id"):
                setattr(user, field, None)
        return
    townships = {
        obj.pk if field == "township" else obj.township_id if field != "workshop" else obj.village.township_id
        for field in SCOPE_FIELDS
        if (obj := getattr(user, field, None)) is not None
    }
    if len(townships) > 1:
        raise ValidationError(_("The scope's village, cooperative and workshop must lie in its township."))
    if townships and not user.township_id:
        user.township_id = townships.pop()


@transaction.atomic
def user_create(*, actor, username: str, role: str, password: str | None = None, **scope) -> User:
    user = User(username=username, role=role)
    _apply_scope(user, scope)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor, "user.create", user, {"role": role, **{k: str(v) for k, v in scope.items() if v}})
    return user


def _new_key() -> str:
    return "wy_" + secrets.token_urlsafe(32)


@transaction.atomic
def token_issue(*, user: User) -> str:
    """A new API key for the user; the key is returned once and only its digest is kept."""
    key = _new_key()
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(key), prefix=key[:10])
    audit.record(user, "token.issue", user)
    return key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "token.revoke", token.user, {"prefix": token.prefix})


@transaction.atomic
def api_client_create(*, actor, name: str, role: str = Role.PARTNER, read_only: bool = True, **scope):
    """A partner system with its own service user (carrying role and scope) and a first key."""
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An API client with this name already exists.")})
    user = user_create(actor=actor, username=f"api-{name}"[:150], role=role, **scope)
    client = ApiClient(name=name, user=user, read_only=read_only)
    client.full_clean()
    client.save()
    audit.record(actor, "api_client.create", client, {"role": role, "read_only": read_only})
    return client, token_issue(user=user)


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient) -> None:
    client.is_active = False
    client.save(update_fields=["is_active"])
    for token in client.user.api_tokens.filter(revoked_at__isnull=True):
        token_revoke(actor=actor, token=token)
    audit.record(actor, "api_client.revoke", client)


def idempotency_prune(*, days: int) -> int:
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
