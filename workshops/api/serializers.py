from rest_framework import serializers

from accounts.scoping import related_choices
from core.api import ServiceSerializer
from industries.api.serializers import village_field

from .. import services
from ..models import CertificationEvent, Difficulty, Liaison, Post, Workshop


class ScopedWorkshopField(serializers.PrimaryKeyRelatedField):
    """A workshop id the caller may see; any other id is a 400 as if it did not exist."""

    def get_queryset(self):
        return related_choices(Workshop.objects.all(), self.context["request"].user)


class WorkshopSerializer(ServiceSerializer):
    create_service = staticmethod(services.workshop_create)
    update_service = staticmethod(services.workshop_update)
    instance_arg = "workshop"
    village = village_field()
    township = serializers.CharField(source="village.township.code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    headcount = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = ["id", "name", "kind", "form", "industry", "enterprise", "enterprise_name", "village", "township",
                  "address", "opened_on", "reuses_idle_asset", "status", "headcount", "created_at"]
        read_only_fields = ["status", "created_at"]
        # The unique name per village is the service's rule (case- and space-insensitive): a 400 on `name`.
        validators = []

    def get_headcount(self, obj) -> int | None:
        """Workers in placements open today (present on lists and reads)."""
        return getattr(obj, "headcount", None)


class CertifySerializer(serializers.Serializer):
    date = serializers.DateField()
    override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RevokeSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class CertificationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = CertificationEvent
        fields = ["id", "action", "effective_date", "reason", "override", "workers", "assisted_workers", "actor",
                  "created_at"]


class PostSerializer(ServiceSerializer):
    create_service = staticmethod(services.post_create)
    update_service = staticmethod(services.post_update)
    instance_arg = "post"
    workshop = ScopedWorkshopField()

    class Meta:
        model = Post
        fields = ["id", "workshop", "title", "headcount", "monthly_wage", "reserved"]


class LiaisonSerializer(ServiceSerializer):
    create_service = staticmethod(services.liaison_create)
    update_service = staticmethod(services.liaison_update)
    instance_arg = "liaison"
    workshop = ScopedWorkshopField()

    class Meta:
        model = Liaison
        fields = ["id", "workshop", "department", "contact_person", "phone"]
        validators = []  # the unique (workshop, department) rule is checked by the service's full_clean


class DifficultySerializer(ServiceSerializer):
    create_service = staticmethod(services.difficulty_raise)
    update_service = staticmethod(services.difficulty_update)
    instance_arg = "difficulty"
    workshop = ScopedWorkshopField()

    class Meta:
        model = Difficulty
        fields = ["id", "workshop", "category", "description", "raised_on", "status", "resolved_on", "resolution",
                  "responsible_department"]
        read_only_fields = ["status", "resolved_on", "resolution"]


class ResolveSerializer(serializers.Serializer):
    resolved_on = serializers.DateField()
    resolution = serializers.CharField(max_length=4000)
    responsible_department = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
