from django.http import FileResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.idempotency import idempotent
from accounts.api.pagination import CursorPagination
from accounts.api.schema import ErrorSerializer
from core import exports
from core.models import DownloadStatus
from core.pages import XLSX_TYPE
from core.queue import BackgroundUnavailable

from .. import selectors, services
from ..filtersets import SubsidyLineFilterSet, SubsidyRunFilterSet
from ..services import reports
from .serializers import (
    GapsSerializer,
    MarkPaidSerializer,
    ReasonSerializer,
    RunRequestSerializer,
    SubsidyLineSerializer,
    SubsidyRunSerializer,
)


def _unavailable(exc: BackgroundUnavailable) -> Response:
    """503 in the API's error format: the task queue is down; the run, if made, is failed with the reason."""
    return Response({"detail": exc.message, "errors": {}}, status=status.HTTP_503_SERVICE_UNAVAILABLE,
                    headers={"Retry-After": "60"})


class SubsidyRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly subsidy runs: request a calculation, read totals and lines, and take the run
    through submit → approve (or reject) → mark paid."""

    serializer_class = SubsidyRunSerializer
    filterset_class = SubsidyRunFilterSet
    ordering_fields = ["month", "id"]
    # Brokers read no run, line or report (subsidies.run.view leaves them out).
    permission_by_action = {"read": "subsidies.run.view", "create": "subsidies.run.calculate",
                            "submit": "subsidies.run.submit", "approve": "subsidies.run.approve",
                            "reject": "subsidies.run.approve", "mark_paid": "subsidies.run.mark_paid",
                            "retry": "subsidies.run.calculate", "report": "subsidies.report.request"}

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    def _respond(self, run, code=status.HTTP_200_OK):
        return Response(SubsidyRunSerializer(run, context={"request": self.request}).data, status=code)

    @extend_schema(request=RunRequestSerializer, responses={201: SubsidyRunSerializer, 202: SubsidyRunSerializer,
                                                            503: OpenApiResponse(description="background work is "
                                                                                 "unavailable")})
    @idempotent
    def create(self, request):
        serializer = RunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run, created = services.run_request(actor=request.user, month=serializer.validated_data["month"])
        except BackgroundUnavailable as exc:
            return _unavailable(exc)
        return self._respond(run, status.HTTP_201_CREATED if created else status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: SubsidyRunSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        return self._respond(services.run_submit(actor=request.user, run=self.get_object()))

    @extend_schema(request=None, responses={200: SubsidyRunSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        return self._respond(services.run_approve(actor=request.user, run=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses={200: SubsidyRunSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.run_reject(actor=request.user, run=self.get_object(),
                                  reason=serializer.validated_data["reason"])
        return self._respond(run)

    @extend_schema(request=MarkPaidSerializer, responses={200: SubsidyRunSerializer})
    @action(detail=True, methods=["post"], url_path="mark-paid")
    @idempotent
    def mark_paid(self, request, pk=None):
        serializer = MarkPaidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.run_mark_paid(actor=request.user, run=self.get_object(), **serializer.validated_data)
        return self._respond(run)

    @extend_schema(request=None, responses={202: SubsidyRunSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        try:
            run = services.run_retry(actor=request.user, run=self.get_object())
        except BackgroundUnavailable as exc:
            return _unavailable(exc)
        return self._respond(run, status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: GapsSerializer})
    @action(detail=False, methods=["get"])
    def gaps(self, request):
        """Past months with payroll but no approved run (they block nothing; they are shown)."""
        return Response({"months": [f"{m:%Y-%m}" for m in selectors.gap_months(user=request.user)]})

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiResponse(description="the run's Excel report"),
                              409: OpenApiResponse(ErrorSerializer, description="the run has no report yet")})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The run's Excel report for the caller's scope, built now on the export path the page uses (the
        page's is built in the background); either way the file is also kept in the caller's 我的下载."""
        run = self.get_object()
        download = reports.report_start(actor=request.user, run=run, enqueue=False)
        download = exports.build(download_id=download.pk)
        if download.status != DownloadStatus.DONE:
            return Response({"detail": download.error, "errors": {}}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        return FileResponse(download.file.open("rb"), as_attachment=True, content_type=XLSX_TYPE,
                            filename=f"subsidy-{run.month:%Y-%m}-{run.pk}.xlsx")


class SubsidyLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Subsidy lines in the caller's scope; county staff clear a withheld line with a reason."""

    serializer_class = SubsidyLineSerializer
    filterset_class = SubsidyLineFilterSet
    filter_backends = [DjangoFilterBackend]
    pagination_class = CursorPagination
    permission_by_action = {"read": "subsidies.run.view", "clear": "subsidies.line.clear"}

    def get_queryset(self):
        return selectors.line_api_list(user=self.request.user).order_by("-id")

    @extend_schema(request=ReasonSerializer, responses={200: SubsidyLineSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def clear(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = services.line_clear(actor=request.user, line=self.get_object(),
                                   reason=serializer.validated_data["reason"])
        return Response(SubsidyLineSerializer(line).data)


class SubsidyRunLinesView(generics.ListAPIView):
    """`/subsidy-runs/{id}/lines/`: one run's lines in the caller's scope (404 for a run outside it)."""

    serializer_class = SubsidyLineSerializer
    filterset_class = SubsidyLineFilterSet
    filter_backends = [DjangoFilterBackend]
    pagination_class = CursorPagination
    permission_by_action = {"read": "subsidies.run.view"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.line_api_list(user=self.request.user).none()
        run = selectors.run_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.line_api_list(user=self.request.user).filter(run=run).order_by("-id")
