from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.idempotency import idempotent
from core.api import SIGNED_IN, ServiceViewSet

from .. import filtersets, selectors, services
from . import serializers


class WorkshopViewSet(ServiceViewSet):
    selector = selectors.workshop_list
    serializer_class = serializers.WorkshopSerializer
    filterset_class = filtersets.WorkshopFilterSet
    ordering_fields = ["name", "kind", "form", "industry", "status", "opened_on", "created_at", "headcount"]
    # Partner systems (a read-write API client) register workshops and push certification decisions.
    permission_by_action = {"read": SIGNED_IN, "write": "workshops.workshop.write",
                            "certify": "workshops.workshop.certify", "revoke": "workshops.workshop.certify"}

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def _after_transition(self, workshop):
        return Response(self.get_serializer(self.get_queryset().get(pk=workshop.pk)).data)

    @extend_schema(request=serializers.CertifySerializer, responses=serializers.WorkshopSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def certify(self, request, pk=None):
        """Certify on a date: 409 with the reason when the criteria are not met (a county
        administrator may pass `override_reason`)."""
        workshop = self.get_object()
        params = serializers.CertifySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.workshop_certify(actor=request.user, workshop=workshop, on=params.validated_data["date"],
                                  override_reason=params.validated_data["override_reason"])
        return self._after_transition(workshop)

    @extend_schema(request=serializers.RevokeSerializer, responses=serializers.WorkshopSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def revoke(self, request, pk=None):
        workshop = self.get_object()
        params = serializers.RevokeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.workshop_revoke(actor=request.user, workshop=workshop, on=params.validated_data["date"],
                                 reason=params.validated_data["reason"])
        return self._after_transition(workshop)

    @extend_schema(responses=serializers.CertificationEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="certification-events", filter_backends=[],
            serializer_class=serializers.CertificationEventSerializer)
    def certification_events(self, request, pk=None):
        """The workshop's certification history, paginated like every list (`page`, `page_size`)."""
        workshop = self.get_object()
        page = self.paginate_queryset(selectors.certification_history(workshop=workshop))
        return self.get_paginated_response(serializers.CertificationEventSerializer(page, many=True).data)


class PostViewSet(ServiceViewSet):
    selector = selectors.post_list
    serializer_class = serializers.PostSerializer
    filterset_class = filtersets.PostFilterSet
    ordering_fields = ["title", "headcount", "monthly_wage"]
    permission_by_action = {"read": SIGNED_IN, "write": "workshops.post.write"}


class LiaisonViewSet(ServiceViewSet):
    selector = selectors.liaison_list
    serializer_class = serializers.LiaisonSerializer
    filterset_class = filtersets.LiaisonFilterSet
    ordering_fields = ["department", "contact_person"]
    permission_by_action = {"read": SIGNED_IN, "write": "workshops.liaison.write"}


class DifficultyViewSet(ServiceViewSet):
    selector = selectors.difficulty_list
    serializer_class = serializers.DifficultySerializer
    filterset_class = filtersets.DifficultyFilterSet
    ordering_fields = ["raised_on", "resolved_on", "category", "status"]
    permission_by_action = {"read": SIGNED_IN, "write": "workshops.difficulty.write",
                            "resolve": "workshops.difficulty.resolve"}

    @extend_schema(request=serializers.ResolveSerializer, responses=serializers.DifficultySerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        difficulty = self.get_object()
        params = serializers.ResolveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        difficulty = services.difficulty_resolve(actor=request.user, difficulty=difficulty, **params.validated_data)
        return Response(self.get_serializer(difficulty).data)
