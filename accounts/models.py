import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import COUNTY_ROLES, Role


class User(AbstractUser):
    """A person or a partner system's service account, with its role and scope.

    Scope is stored with the user: every non-county user has a township (the outer wall that
    keeps townships apart); brokers also have a village and cooperative, workshop operators
    their workshop. `accounts.scoping` turns this into queryset filters.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.COUNTY_OFFICER)
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("village"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    cooperative = models.ForeignKey(
        "labor.Cooperative", verbose_name=_("cooperative"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop", verbose_name=_("workshop"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Set by an administrator's reset: until the user picks a new password, every page leads to the
    # change-password page and the API answers 403.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[*sorted(COUNTY_ROLES), Role.PARTNER, Role.LIAISON_STATION])
                | Q(township__isnull=False),
                name="user_scoped_role_has_township",
                violation_error_message=_("This role needs a township."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.WORKSHOP_OPERATOR) | Q(workshop__isnull=False),
                name="user_operator_has_workshop",
                violation_error_message=_("A workshop operator needs a workshop."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.BROKER) | Q(village__isnull=False),
                name="user_broker_has_village",
                violation_error_message=_("A broker needs a village."),
            ),
        ]

    @property
    def is_county(self) -> bool:
        return self.role in COUNTY_ROLES

    @property
    def is_county_admin(self) -> bool:
        return self.role == Role.COUNTY_ADMIN


class ApiClient(models.Model):
    """A partner system. It acts through its own service user, which carries its role and scope."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("service user"), on_delete=models.PROTECT,
        related_name="api_client",
    )
    read_only = models.BooleanField(_("read only"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """An API key. Only its SHA-256 digest is stored; the key itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    # The client the key was issued to (given in the token request, else its User-Agent): a new request
    # from the same user and client replaces that client's key instead of adding one.
    client = models.CharField(_("client"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)  # null: a partner system's key
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "client"])]

    def __str__(self):
        return f"{self.prefix}…"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditEvent(models.Model):
    """Who did what to which object, written by services; never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


class IdempotencyRecord(models.Model):
    """The first response to a retried API write, keyed by the client's Idempotency-Key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    body_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
