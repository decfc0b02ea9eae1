"""Serializers save through labor.services; related ids are looked up in the caller's scope, so an id
outside it is a 400 as if it did not exist."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.choices import Role
from accounts.scoping import related_choices
from core.api import ServiceSerializer
from core.months import MonthSerializerField
from industries.api.serializers import township_field, village_field
from industries.models import Enterprise
from workshops.models import Post, Workshop

from .. import resident_id, selectors, services
from ..choices import CertificateLevel, ImportKind, ReferralOutcome
from ..models import (
    Broker,
    Cooperative,
    FollowUp,
    ImportJob,
    JobFair,
    Membership,
    Payroll,
    Placement,
    Referral,
    Returnee,
    Training,
    TrainingCompletion,
    Worker,
)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A relation to `model`, limited like every other (accounts.scoping.related_choices)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return related_choices(self.model._default_manager.all(), self.context["request"].user)


# Brokers place workers at, and propose them for, any township's workshops; other roles within their area.
BROKERS_COUNTY_WIDE = frozenset({Role.BROKER})


class MaskedIdMixin:
    """ID numbers and birth dates are shown whole to county staff only; everyone else gets the masked
    number and the age reached this year (README, "Who sees what")."""

    id_fields: tuple = ("id_number",)
    birth_fields: tuple = ("birth_date",)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not selectors.shows_full_id_number(self.context["request"].user):
            for field in self.id_fields:
                if data.get(field):
                    data[field] = resident_id.mask(data[field])
            for field in self.birth_fields:
                if field in data:
                    data[field] = None
        return data


class WorkerSerializer(MaskedIdMixin, ServiceSerializer):
    create_service = staticmethod(services.worker_create)
    update_service = staticmethod(services.worker_update)
    instance_arg = "worker"
    # A plain field: the service validates the number (400) and finds duplicates (409).
    id_number = serializers.CharField(max_length=32)
    village = village_field()
    township = serializers.CharField(source="village.township.code", read_only=True)
    # County staff only; null for everyone else, who get `age`.
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    age = serializers.SerializerMethodField(help_text=_("The age reached this calendar year."))

    class Meta:
        model = Worker
        fields = ["id", "id_number", "name", "phone", "village", "township", "category", "returnee", "sex",
                  "birth_date", "age", "created_at"]
        read_only_fields = ["sex", "birth_date", "created_at"]

    def get_age(self, obj) -> int:
        return resident_id.age_this_year(obj.birth_date)


class CooperativeSerializer(ServiceSerializer):
    create_service = staticmethod(services.cooperative_create)
    update_service = staticmethod(services.cooperative_update)
    instance_arg = "cooperative"
    township = township_field()
    member_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Cooperative
        fields = ["id", "name", "township", "member_count"]


class MembershipSerializer(ServiceSerializer):
    create_service = staticmethod(services.membership_create)
    update_service = staticmethod(services.membership_update)
    instance_arg = "membership"
    worker = ScopedPrimaryKeyField(Worker)
    cooperative = ScopedPrimaryKeyField(Cooperative)

    class Meta:
        model = Membership
        fields = ["id", "worker", "cooperative", "joined_on", "left_on"]


class BrokerSerializer(ServiceSerializer):
    create_service = staticmethod(services.broker_create)
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(role=Role.BROKER))
    username = serializers.CharField(source="user.username", read_only=True)
    village = village_field()
    cooperative = ScopedPrimaryKeyField(Cooperative, required=False, allow_null=True)

    class Meta:
        model = Broker
        fields = ["id", "user", "username", "village", "cooperative"]


class PlacementSerializer(ServiceSerializer):
    create_service = staticmethod(services.placement_create)
    county_wide_relations = {"workshop": BROKERS_COUNTY_WIDE, "post": BROKERS_COUNTY_WIDE}
    worker = ScopedPrimaryKeyField(Worker)
    workshop = serializers.PrimaryKeyRelatedField(queryset=Workshop.objects.all())
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.all(), required=False, allow_null=True)
    # Limited to the caller's area like every relation (ScopedRelationsMixin): another township's broker is a 400.
    broker = serializers.PrimaryKeyRelatedField(queryset=Broker.objects.all(), required=False, allow_null=True)
    job_fair = ScopedPrimaryKeyField(JobFair, required=False, allow_null=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    workshop_name = serializers.CharField(source="workshop.name", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "worker", "worker_name", "workshop", "workshop_name", "post", "broker", "job_fair", "source",
                  "start_date", "end_date", "end_reason", "monthly_wage", "created_at"]
        read_only_fields = ["end_date", "end_reason", "created_at"]
        extra_kwargs = {"source": {"required": False}}


class PlacementEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PayrollRowSerializer(serializers.Serializer):
    """One payroll row as posted; checked without the database (the service checks placements in one query)."""

    placement = serializers.IntegerField(min_value=1)
    month = MonthSerializerField()
    days_worked = serializers.IntegerField(min_value=0, max_value=31)
    wage_paid = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    employer_social_insurance = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0,
                                                         required=False, default=0)


class PayrollSerializer(serializers.ModelSerializer):
    month = MonthSerializerField()
    worker = serializers.IntegerField(source="placement.worker_id", read_only=True)
    workshop = serializers.IntegerField(source="placement.workshop_id", read_only=True)

    class Meta:
        model = Payroll
        fields = ["id", "placement", "worker", "workshop", "month", "days_worked", "wage_paid",
                  "employer_social_insurance", "updated_at"]


class PayrollBulkResultSerializer(serializers.Serializer):
    """The answer to a list of payroll rows."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    count = serializers.IntegerField()


class ReferralSerializer(ServiceSerializer):
    create_service = staticmethod(services.referral_propose)
    county_wide_relations = {"post": BROKERS_COUNTY_WIDE}
    worker = ScopedPrimaryKeyField(Worker)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.select_related("workshop"))
    job_fair = serializers.PrimaryKeyRelatedField(queryset=JobFair.objects.all(), required=False, allow_null=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    workshop = serializers.IntegerField(source="post.workshop_id", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "worker", "worker_name", "post", "workshop", "job_fair", "broker", "proposed_on", "outcome",
                  "decided_on", "reason", "placement"]
        read_only_fields = ["broker", "outcome", "decided_on", "reason", "placement"]
        extra_kwargs = {"proposed_on": {"required": False}}


class ReferralDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[ReferralOutcome.HIRED, ReferralOutcome.DECLINED])
    decided_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(required=False)
    monthly_wage = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)


class FollowUpSerializer(ServiceSerializer):
    create_service = staticmethod(services.follow_up_create)
    placement = ScopedPrimaryKeyField(Placement)
    visited_by = serializers.CharField(source="visited_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = FollowUp
        fields = ["id", "placement", "visited_on", "visited_by", "still_employed", "note"]


class JobFairSerializer(ServiceSerializer):
    create_service = staticmethod(services.job_fair_create)
    township = township_field()
    workshops = serializers.PrimaryKeyRelatedField(queryset=Workshop.objects.all(), many=True, required=False)
    placement_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = JobFair
        fields = ["id", "township", "date", "title", "workshops", "attendees", "placement_count"]


class TrainingSerializer(ServiceSerializer):
    create_service = staticmethod(services.training_create)
    update_service = staticmethod(services.training_update)
    instance_arg = "training"
    organizer_workshop = ScopedPrimaryKeyField(Workshop, required=False, allow_null=True)
    organizer_enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False,
                                                              allow_null=True)

    class Meta:
        model = Training
        fields = ["id", "name", "kind", "organizer_workshop", "organizer_enterprise", "start_date", "end_date"]


class TrainingCompletionSerializer(ServiceSerializer):
    create_service = staticmethod(services.training_completion_create)
    training = ScopedPrimaryKeyField(Training)
    worker = ScopedPrimaryKeyField(Worker)
    certificate_level = serializers.ChoiceField(choices=CertificateLevel.choices, required=False,
                                                default=CertificateLevel.NONE)

    class Meta:
        model = TrainingCompletion
        fields = ["id", "training", "worker", "certificate_level", "completed_on"]
        validators: list = []  # the service answers a repeat with 409


class ReturneeSerializer(ServiceSerializer):
    create_service = staticmethod(services.returnee_create)
    worker = ScopedPrimaryKeyField(Worker)
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False,
                                                    allow_null=True)

    class Meta:
        model = Returnee
        fields = ["id", "worker", "returned_on", "enterprise"]


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()


class ImportConfirmSerializer(serializers.Serializer):
    import_rows = serializers.ChoiceField(choices=[("valid", _("all valid rows")), ("nothing", _("nothing"))])
    # Required (true) when the file changes registered workers' categories (see the job's `updates`).
    confirm_category = serializers.BooleanField(required=False, default=False)


class ImportJobSerializer(serializers.ModelSerializer):
    # A plain string here: the enum is described once, on the upload (one schema name for it).
    kind = serializers.CharField(read_only=True)
    progress = serializers.IntegerField(read_only=True)
    invalid_rows = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "kind", "status", "filename", "created_at", "total_rows", "valid_rows", "invalid_rows",
                  "processed_rows", "progress", "created_count", "updated_count", "problems", "updates", "error"]

    def get_invalid_rows(self, obj) -> int:
        return obj.total_rows - obj.valid_rows
