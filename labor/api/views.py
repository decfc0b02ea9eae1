import django_filters.utils
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.errors import validation_error_response
from accounts.api.idempotency import idempotent
from accounts.api.pagination import CursorPagination
from core.api import SIGNED_IN, CreateReadViewSet, ServiceViewSet
from core.queue import BackgroundUnavailable

from .. import filtersets, selectors, services
from ..imports import services as imports
from ..services.payroll import RowErrors
from . import serializers

MAX_PAYROLL_ROWS = 5000


class WorkerViewSet(ServiceViewSet):
    selector = selectors.worker_list
    serializer_class = serializers.WorkerSerializer
    filterset_class = filtersets.WorkerFilterSet
    ordering_fields = ["name", "created_at", "category"]  # not birth_date: the order would reveal it
    permission_by_action = {"read": SIGNED_IN, "write": "labor.worker.write"}


class CooperativeViewSet(ServiceViewSet):
    selector = selectors.cooperative_list
    serializer_class = serializers.CooperativeSerializer
    filterset_class = filtersets.CooperativeFilterSet
    ordering_fields = ["name", "member_count"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.cooperative.write"}


class MembershipViewSet(ServiceViewSet):
    selector = selectors.membership_list
    serializer_class = serializers.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet
    ordering_fields = ["joined_on", "left_on"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.membership.write"}


class BrokerViewSet(CreateReadViewSet):
    selector = selectors.broker_list
    serializer_class = serializers.BrokerSerializer
    filterset_class = filtersets.BrokerFilterSet
    ordering_fields = ["id"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.broker.write"}


class PlacementViewSet(CreateReadViewSet):
    selector = selectors.placement_list
    serializer_class = serializers.PlacementSerializer
    filterset_class = filtersets.PlacementFilterSet
    ordering_fields = ["start_date", "end_date", "monthly_wage", "created_at"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.placement.write", "end": "labor.placement.write"}

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=serializers.PlacementEndSerializer, responses=serializers.PlacementSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def end(self, request, pk=None):
        placement = self.get_object()
        params = serializers.PlacementEndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.placement_end(actor=request.user, placement=placement, end_date=params.validated_data["end_date"],
                               reason=params.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=placement.pk)).data)


class PayrollViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly payroll. POST one row or a list of up to 5,000 (all or nothing, errors by index);
    a row for an existing placement and month updates it."""

    serializer_class = serializers.PayrollSerializer
    filterset_class = filtersets.PayrollFilterSet
    pagination_class = CursorPagination
    permission_by_action = {"read": SIGNED_IN, "write": "labor.payroll.write"}

    def get_queryset(self):
        return selectors.payroll_api_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # Cursor pagination keeps its own ordering; only the FilterSet applies. A value it refuses is a
        # 400 with the field's error, as DjangoFilterBackend answers (not the unfiltered list).
        filterset = filtersets.PayrollFilterSet(self.request.query_params, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            raise django_filters.utils.translate_validation(filterset.errors)
        return filterset.qs

    @extend_schema(
        request=serializers.PayrollRowSerializer(many=True),
        responses={
            # One row: 201 when new, 200 when it updated that month's row. A list: 201 with the counts.
            200: serializers.PayrollSerializer,
            201: PolymorphicProxySerializer(
                component_name="PayrollWriteResult", resource_type_field_name=None,
                serializers=[serializers.PayrollSerializer, serializers.PayrollBulkResultSerializer]),
        },
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        many = isinstance(request.data, list)
        items = request.data if many else [request.data]
        if many and not items:
            return validation_error_response({"non_field_errors": [_("The list is empty.")]})
        if len(items) > MAX_PAYROLL_ROWS:
            return validation_error_response({"non_field_errors": [
                _("At most %(n)s rows in one request.") % {"n": MAX_PAYROLL_ROWS}]})
        rows = serializers.PayrollRowSerializer(data=items, many=True)
        if not rows.is_valid():
            raw = rows.errors
            pairs = raw.items() if isinstance(raw, dict) else enumerate(raw)
            errors = {str(i): e for i, e in pairs if e}
            return validation_error_response(errors if many else errors["0"])
        try:
            result = services.payroll_upsert_many(actor=request.user, rows=rows.validated_data)
        except RowErrors as exc:
            errors = {str(i): e for i, e in exc.errors.items()}
            return validation_error_response(errors if many else errors["0"])
        if not many:
            row = result.rows[0]
            saved = self.get_queryset().get(placement_id=row.placement_id, month=row.month)
            return Response(self.get_serializer(saved).data,
                            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
        return Response({"created": result.created, "updated": result.updated, "count": len(result.rows)},
                        status=status.HTTP_201_CREATED)


class ReferralViewSet(CreateReadViewSet):
    selector = selectors.referral_list
    serializer_class = serializers.ReferralSerializer
    filterset_class = filtersets.ReferralFilterSet
    ordering_fields = ["proposed_on", "decided_on"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.referral.propose", "decide": "labor.referral.decide"}

    @extend_schema(request=serializers.ReferralDecideSerializer, responses=serializers.ReferralSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request, pk=None):
        referral = self.get_object()
        params = serializers.ReferralDecideSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.referral_decide(actor=request.user, referral=referral, **params.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)


class FollowUpViewSet(CreateReadViewSet):
    selector = selectors.follow_up_list
    serializer_class = serializers.FollowUpSerializer
    filterset_class = filtersets.FollowUpFilterSet
    ordering_fields = ["visited_on"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.follow_up.write"}


class JobFairViewSet(CreateReadViewSet):
    selector = selectors.job_fair_list
    serializer_class = serializers.JobFairSerializer
    filterset_class = filtersets.JobFairFilterSet
    ordering_fields = ["date", "attendees", "placement_count"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.job_fair.write"}


class TrainingViewSet(ServiceViewSet):
    selector = selectors.training_list
    serializer_class = serializers.TrainingSerializer
    filterset_class = filtersets.TrainingFilterSet
    ordering_fields = ["start_date", "name"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.training.write"}


class TrainingCompletionViewSet(CreateReadViewSet):
    selector = selectors.training_completion_list
    serializer_class = serializers.TrainingCompletionSerializer
    filterset_class = filtersets.TrainingCompletionFilterSet
    ordering_fields = ["completed_on"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.training_completion.write"}


class ReturneeViewSet(CreateReadViewSet):
    selector = selectors.returnee_list
    serializer_class = serializers.ReturneeSerializer
    filterset_class = filtersets.ReturneeFilterSet
    ordering_fields = ["returned_on"]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.returnee.write"}


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Spreadsheet imports: POST a file (multipart `kind`, `file`) to get a preview report; then
    `confirm/` with `import_rows` = `valid` or `nothing`."""

    serializer_class = serializers.ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    permission_by_action = {"read": SIGNED_IN, "write": "labor.import.use_api", "confirm": "labor.import.use_api",
                            "retry": "labor.import.use_api"}
    filter_backends: list = []

    def get_queryset(self):
        return selectors.import_list(user=self.request.user)

    @extend_schema(request=serializers.ImportUploadSerializer, responses=serializers.ImportJobSerializer)
    def create(self, request, *args, **kwargs):
        params = serializers.ImportUploadSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            job = imports.import_upload(actor=request.user, kind=params.validated_data["kind"],
                                        upload=params.validated_data["file"])
        except BackgroundUnavailable as exc:
            return Response({"detail": exc.message, "errors": {}}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ImportConfirmSerializer, responses=serializers.ImportJobSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        job = self.get_object()
        params = serializers.ImportConfirmSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            job = imports.import_confirm(actor=request.user, job=job,
                                         import_rows=params.validated_data["import_rows"],
                                         confirm_category=params.validated_data["confirm_category"])
        except BackgroundUnavailable as exc:
            return Response({"detail": exc.message, "errors": {}}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data)

    @extend_schema(request=None, responses={202: serializers.ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Check a failed import's file again, against the data as it is now; then confirm it again."""
        try:
            job = imports.import_retry(actor=request.user, job=self.get_object())
        except BackgroundUnavailable as exc:
            return Response({"detail": exc.message, "errors": {}}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
