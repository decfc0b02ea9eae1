import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .choices import COUNTY_ROLES, Role
from .models import ApiClient, ApiToken, IdempotencyRecord, User
from .permissions import SYSTEM, can, require

SCOPE_FIELDS = ("township", "village", "cooperative", "workshop")
# The scope levels each role is given (the rest stay empty; the township of a broker or an operator is
# derived from their village or workshop). Partner systems may have a township or none (the county).
ROLE_SCOPE_FIELDS = {
    Role.COUNTY_ADMIN: (),
    Role.COUNTY_OFFICER: (),
    Role.TOWNSHIP_OFFICER: ("township",),
    Role.BROKER: ("village", "cooperative"),
    Role.WORKSHOP_OPERATOR: ("workshop",),
    Role.PARTNER: ("township",),
}


def manageable_users(actor):
    """The users `actor` manages: county administrators everyone, a township officer the brokers of
    their own township, anyone else no one. Outside it, the pages answer 404."""
    if can(actor, "accounts.user.manage"):
        return User.objects.all()
    if can(actor, "accounts.broker.manage") and getattr(actor, "township_id", None):
        return User.objects.filter(role=Role.BROKER, township_id=actor.township_id)
    return User.objects.none()


def manageable_roles(actor) -> list:
    """The roles `actor` may give."""
    if can(actor, "accounts.user.manage"):
        return list(Role)
    if can(actor, "accounts.broker.manage"):
        return [Role.BROKER]
    return []


def _require_manage(actor, user: User | None = None) -> None:
    """`actor` may manage users at all, and `user` (when given) is one of theirs."""
    require(actor, "accounts.broker.manage")
    if user is not None and not can(actor, "accounts.user.manage") and not (
            user.role == Role.BROKER and user.township_id and user.township_id == actor.township_id):
        raise PermissionDenied(_("A township office manages the brokers of its own township only."))


def _require_may_give(actor, user: User) -> None:
    """The role and scope `user` is about to get lie within what `actor` may give."""
    if can(actor, "accounts.user.manage"):
        return
    if user.role != Role.BROKER:
        raise PermissionDenied(_("A township office manages the brokers of its own township only."))
    if user.township_id and user.township_id != actor.township_id:  # none yet: full_clean asks for a village
        raise ValidationError({"village": _("This lies outside your area.")})


def _scope_ids(user: User) -> dict:
    return {field: getattr(user, f"{field}_id") for field in SCOPE_FIELDS}


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
def user_create(*, actor, username: str, role: str, password: str | None = None, township=None, village=None,
                cooperative=None, workshop=None, first_name: str = "", phone: str = "") -> User:
    """County administrators create any user; a township officer brokers of their own township."""
    _require_manage(actor)
    scope = {"township": township, "village": village, "cooperative": cooperative, "workshop": workshop}
    user = User(username=username, role=role, first_name=first_name, phone=phone)
    _apply_scope(user, scope)
    _require_may_give(actor, user)
    user.full_clean(exclude=["password"])
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor, "user.create", user, {
        "username": [None, username], "role": [None, role],
        **({"first_name": [None, first_name]} if first_name else {}), **({"phone": [None, phone]} if phone else {}),
        **{field: [None, getattr(user, f"{field}_id")] for field in SCOPE_FIELDS
           if getattr(user, f"{field}_id", None)},
        "password": [None, "set" if password else "unusable"]})
    return user


def _validate_password(password: str, user: User) -> None:
    """AUTH_PASSWORD_VALIDATORS, as a field error on "password" (every path that sets one calls this)."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    """The user chose a new password (the change page): validated, and the forced change is over."""
    require(actor, "accounts.password.change")
    if actor is not SYSTEM and actor.pk != user.pk:
        require(actor, "accounts.user.manage")
    _validate_password(password, user)
    before = user.must_change_password
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(actor, "user.password_change", user, {"password": ["***", "***"],
                                                       "must_change_password": [before, False]})


def temporary_password() -> str:
    # 4 groups of 4 from an alphabet without look-alikes: easy to read out over the phone.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@transaction.atomic
def user_reset_password(*, actor, user: User, password: str | None = None) -> str:
    """An administrator's reset: a temporary password (given, or generated and returned) that the user
    must replace at their next login. Their API tokens stop working. County administrators reset anyone's;
    a township officer those of the brokers of their township."""
    _require_manage(actor, user)
    password = password or temporary_password()
    _validate_password(password, user)
    before = user.must_change_password
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    for token in user.api_tokens.filter(revoked_at__isnull=True):
        token_revoke(actor=actor, token=token)
    audit.record(actor, "user.password_reset", user, {"password": ["***", "***"],
                                                      "must_change_password": [before, True]})
    return password


@transaction.atomic
def user_update(*, actor, user: User, role=None, first_name=None, phone=None, **scope) -> User:
    """Change a user's name, phone, role and scope (`township`, `village`, `cooperative`, `workshop`: the
    levels the role needs; the others are cleared). Audited `{field: [old, new]}`. Nobody changes their own
    role or scope (a county administrator asks another)."""
    _require_manage(actor, user)
    unknown = set(scope) - set(SCOPE_FIELDS)
    if unknown:
        raise TypeError(f"unknown scope levels {sorted(unknown)}")
    before = {"role": user.role, "first_name": user.first_name, "phone": user.phone, **_scope_ids(user)}
    new_role = role if role is not None else user.role
    if new_role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if scope or new_role != user.role:
        needed = ROLE_SCOPE_FIELDS[new_role]
        user.role = new_role
        for field in SCOPE_FIELDS:
            value = scope.get(field) if field in needed else None
            if field not in scope and field in needed:
                value = getattr(user, field)
            setattr(user, field, value)
        if "township" not in needed:
            user.township = None  # derived from the narrower level by _apply_scope
        _apply_scope(user, {})
    if first_name is not None:
        user.first_name = first_name
    if phone is not None:
        user.phone = phone
    after = {"role": user.role, "first_name": user.first_name, "phone": user.phone, **_scope_ids(user)}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    own = actor is not SYSTEM and actor.pk == user.pk
    if own and set(changes) & {"role", *SCOPE_FIELDS}:
        raise PermissionDenied(_("You cannot change your own role or scope."))
    _require_may_give(actor, user)
    user.full_clean(exclude=["password"])
    if changes:
        user.save()
        audit.record(actor, "user.update", user, changes)
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """The user can no longer sign in (page or API); their records and audit history stay."""
    _require_manage(actor, user)
    if actor is not SYSTEM and actor.pk == user.pk:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(actor, "user.deactivate", user, {"is_active": [True, False]})
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    _require_manage(actor, user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit.record(actor, "user.reactivate", user, {"is_active": [False, True]})
    return user


def _new_key() -> str:
    return "wy_" + secrets.token_urlsafe(32)


MAX_ACTIVE_TOKENS = 10  # per user: past it the oldest are revoked, so keys cannot pile up


@transaction.atomic
def token_issue(*, user: User, client: str | None = None, expires: bool = True) -> str:
    """An API key for the user, returned once; only its digest is kept.

    One key per (user, client): a new key for a client that already holds one revokes that key (it
    cannot be handed out again: only its digest is stored), so logging in again rotates rather than
    multiplies, and past MAX_ACTIVE_TOKENS per user the oldest are revoked. `client=None` (code
    issuing a key directly: tests, a partner's first key) adds a key and touches no other. Keys expire
    after API_TOKEN_TTL_DAYS; a partner system's key (`expires=False`) lasts until it is revoked."""
    require(user, "accounts.token.issue")  # the user who just authenticated is the actor
    now = timezone.now()
    # Locks the user's row: two simultaneous logins of one client end with one key, not two.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if client is not None:
        client = client.strip()[:100]
        for token in active.filter(client=client):
            token_revoke(actor=user, token=token)
        for token in active.exclude(expires_at__lte=now).order_by("-created_at")[MAX_ACTIVE_TOKENS - 1:]:
            token_revoke(actor=user, token=token)
    key = _new_key()
    token = ApiToken.objects.create(
        user=user, digest=ApiToken.digest_of(key), prefix=key[:10], client=client or "",
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS) if expires else None,
    )
    audit.record(user, "token.issue", user, {"token": [None, token.prefix], "client": [None, client or ""],
                                             "expires_at": [None, str(token.expires_at) if token.expires_at else None]})
    return key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    """A user revokes their own keys; an administrator (accounts.user.manage) anyone's."""
    require(actor, "accounts.token.revoke")
    if actor is not SYSTEM and actor.pk != token.user_id:
        _require_manage(actor, token.user)  # an administrator, or a township officer for their brokers
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "token.revoke", token.user, {"token": [token.prefix, token.prefix],
                                                         "revoked_at": [None, str(token.revoked_at)]})


@transaction.atomic
def api_client_create(*, actor, name: str, role: str = Role.PARTNER, read_only: bool = True, township=None,
                      village=None, cooperative=None, workshop=None):
    """A partner system with its own service user (carrying role and scope) and a first key."""
    require(actor, "accounts.api_client.manage")
    scope = {"township": township, "village": village, "cooperative": cooperative, "workshop": workshop}
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An API client with this name already exists.")})
    user = user_create(actor=actor, username=f"api-{name}"[:150], role=role, **scope)
    client = ApiClient(name=name, user=user, read_only=read_only)
    client.full_clean()
    client.save()
    audit.record(actor, "api_client.create", client, {"name": [None, name], "user": [None, user.pk],
                                                      "role": [None, role], "read_only": [None, read_only]})
    return client, token_issue(user=user, client=f"api-client:{name}"[:100], expires=False)


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient) -> None:
    require(actor, "accounts.api_client.manage")
    before = client.is_active
    client.is_active = False
    client.save(update_fields=["is_active"])
    for token in client.user.api_tokens.filter(revoked_at__isnull=True):
        token_revoke(actor=actor, token=token)
    audit.record(actor, "api_client.revoke", client, {"is_active": [before, False]})


def idempotency_prune(*, actor, days: int) -> int:
    require(actor, "accounts.idempotency.prune")
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
