"""GET /api/v1/audit-events/: the audit log for county admins, newest first, with the audit page's
filters and cursor pagination (stable while new events arrive)."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from .. import audit_display
from ..filtersets import AuditEventFilterSet
from ..models import AuditEvent
from ..permissions import DENIED, can
from .pagination import CursorPagination
from .permissions import password_changed

PERMISSION = "accounts.audit.view"


class AuditActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField(help_text=_("The person's name (may be empty)."))

    def get_name(self, user) -> str:
        return audit_display.person_name(user)


class AuditChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField(help_text=_("The field's name in the reader's language."))
    old = serializers.JSONField(allow_null=True, help_text=_("Null on create, and for events of the old format "
                                                             "(which kept only the new value: see `has_old`)."))
    new = serializers.JSONField(allow_null=True)
    has_old = serializers.BooleanField()


class AuditEventSerializer(serializers.ModelSerializer):
    actor = AuditActorSerializer(allow_null=True, read_only=True,
                                 help_text=_("Null for background jobs (the system) and failed sign-ins."))
    actor_label = serializers.SerializerMethodField(help_text=_("The actor as the audit page shows it."))
    action_label = serializers.SerializerMethodField()
    object_type_label = serializers.SerializerMethodField()
    object_url = serializers.SerializerMethodField(help_text=_("The object's page, when it has one."))
    changes = serializers.SerializerMethodField(help_text=_("Each changed field with its old and new value."))
    ip = serializers.IPAddressField(allow_null=True, read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor", "actor_label", "ip", "action", "action_label", "object_type",
                  "object_type_label", "object_id", "object_repr", "object_url", "changes"]
        read_only_fields = fields

    def get_actor_label(self, event) -> str:
        return audit_display.actor_label(event)

    def get_action_label(self, event) -> str:
        return audit_display.action_label(event.action, event.object_type)

    def get_object_type_label(self, event) -> str:
        return audit_display.object_type_label(event.object_type)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_object_url(self, event):
        return audit_display.object_url(event.object_type, event.object_id)

    @extend_schema_field(AuditChangeSerializer(many=True))
    def get_changes(self, event):
        return [{"field": c.field, "label": c.label, "old": c.old, "new": c.new, "has_old": c.has_old}
                for c in audit_display.changes_of(event)]


class CanViewAudit(permissions.BasePermission):
    message = DENIED

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or not password_changed(self, user):
            return False
        return can(user, PERMISSION)


class AuditEventCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log (county admins): who did what to which object, when, from which address, and each
    changed field's old and new value. Filters as on the audit page."""

    serializer_class = AuditEventSerializer
    permission_classes = [CanViewAudit]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEventFilterSet
    pagination_class = AuditEventCursorPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return AuditEvent.objects.select_related("actor")
