"""The API of east labour cooperation: /api/v1/east-posts/, outbound-referrals/ (propose; decide),
outbound-placements/ (record; return), outbound-visits/. Registered on labor's router (labor.api.urls)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.idempotency import idempotent
from accounts.choices import STATION_ROLES
from accounts.scoping import related_choices
from core.api import SIGNED_IN, CreateReadViewSet, ServiceSerializer, ServiceViewSet
from industries.choices import Origin
from industries.models import Enterprise

from .. import outbound_filters as filters
from .. import selectors, services
from ..choices import ReferralOutcome
from ..models import EastPost, OutboundPlacement, OutboundReferral, OutboundVisit, Worker
from ..models.outbound import VISIT_MONTHS


class StationWorkerField(serializers.PrimaryKeyRelatedField):
    """A worker in the caller's scope; the liaison station picks from the whole county (it reads no
    worker list, yet records anyone's job in the east)."""

    def get_queryset(self):
        return related_choices(Worker.objects.all(), self.context["request"].user, county_wide_for=STATION_ROLES)


class EastPostSerializer(ServiceSerializer):
    create_service = staticmethod(services.east_post_create)
    update_service = staticmethod(services.east_post_update)
    instance_arg = "east_post"
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.filter(origin=Origin.EAST))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    placement_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = EastPost
        fields = ["id", "enterprise", "enterprise_name", "province", "city", "title", "monthly_wage", "vacancies",
                  "is_open", "placement_count"]


class OutboundReferralSerializer(ServiceSerializer):
    create_service = staticmethod(services.outbound_referral_propose)
    worker = StationWorkerField()
    east_post = serializers.PrimaryKeyRelatedField(queryset=EastPost.objects.select_related("enterprise"))
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = OutboundReferral
        fields = ["id", "worker", "worker_name", "east_post", "broker", "proposed_on", "outcome", "decided_on",
                  "reason", "placement"]
        read_only_fields = ["broker", "outcome", "decided_on", "reason", "placement"]
        extra_kwargs = {"proposed_on": {"required": False}}


class OutboundReferralDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[ReferralOutcome.HIRED, ReferralOutcome.DECLINED])
    decided_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(required=False)
    monthly_wage = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)


class OutboundPlacementSerializer(ServiceSerializer):
    create_service = staticmethod(services.outbound_placement_create)
    worker = StationWorkerField()
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    township = serializers.CharField(source="worker.village.township.code", read_only=True)
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False)
    east_post = serializers.PrimaryKeyRelatedField(queryset=EastPost.objects.select_related("enterprise"),
                                                   required=False, allow_null=True)
    # The model's own validators are the service's (a Chinese reason for a wage of 0, not DRF's).
    monthly_wage = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = OutboundPlacement
        fields = ["id", "worker", "worker_name", "township", "enterprise", "east_post", "broker", "province", "city",
                  "post_title", "start_date", "monthly_wage", "return_date", "return_reason", "status", "created_at"]
        read_only_fields = ["broker", "return_date", "return_reason", "status", "created_at"]
        extra_kwargs = {"province": {"required": False}, "city": {"required": False},
                        "post_title": {"required": False}}


class OutboundReturnSerializer(serializers.Serializer):
    return_date = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OutboundVisitSerializer(ServiceSerializer):
    create_service = staticmethod(services.outbound_visit_create)
    placement = serializers.PrimaryKeyRelatedField(queryset=OutboundPlacement.objects.all())
    milestone = serializers.ChoiceField(choices=list(VISIT_MONTHS))
    visited_by = serializers.CharField(source="visited_by.username", read_only=True, default=None, allow_null=True)
    due_on = serializers.SerializerMethodField()

    class Meta:
        model = OutboundVisit
        fields = ["id", "placement", "milestone", "due_on", "visited_on", "visited_by", "note"]

    def get_due_on(self, obj) -> str:
        return obj.placement.visit_due_on(obj.milestone).isoformat()


class EastPostViewSet(ServiceViewSet):
    selector = selectors.east_post_list
    serializer_class = EastPostSerializer
    filterset_class = filters.EastPostFilterSet
    ordering_fields = ["title", "monthly_wage", "vacancies"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.east_post.write"}


class OutboundReferralViewSet(CreateReadViewSet):
    selector = selectors.outbound_referral_list
    serializer_class = OutboundReferralSerializer
    filterset_class = filters.OutboundReferralFilterSet
    ordering_fields = ["proposed_on", "decided_on"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.outbound_referral.propose",
                            "decide": "labor.outbound_referral.decide"}

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=OutboundReferralDecideSerializer, responses=OutboundReferralSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request, pk=None):
        referral = self.get_object()
        params = OutboundReferralDecideSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.outbound_referral_decide(actor=request.user, referral=referral, **params.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)


class OutboundPlacementViewSet(CreateReadViewSet):
    selector = selectors.outbound_placement_list
    serializer_class = OutboundPlacementSerializer
    filterset_class = filters.OutboundPlacementFilterSet
    ordering_fields = ["start_date", "return_date", "monthly_wage", "created_at"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.outbound_placement.write",
                            "return_": "labor.outbound_placement.write"}

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=OutboundReturnSerializer, responses=OutboundPlacementSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    @idempotent
    def return_(self, request, pk=None):
        """Record the worker's return from the east (409 when already recorded)."""
        placement = self.get_object()
        params = OutboundReturnSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.outbound_placement_return(actor=request.user, placement=placement,
                                           return_date=params.validated_data["return_date"],
                                           reason=params.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=placement.pk)).data)


class OutboundVisitViewSet(CreateReadViewSet):
    selector = selectors.outbound_visit_list
    serializer_class = OutboundVisitSerializer
    filterset_class = filters.OutboundVisitFilterSet
    ordering_fields = ["visited_on", "milestone"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.outbound_visit.write"}


def register(router) -> None:
    router.register("east-posts", EastPostViewSet, basename="east-post")
    router.register("outbound-referrals", OutboundReferralViewSet, basename="outbound-referral")
    router.register("outbound-placements", OutboundPlacementViewSet, basename="outbound-placement")
    router.register("outbound-visits", OutboundVisitViewSet, basename="outbound-visit")
