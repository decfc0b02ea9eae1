from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.idempotency import idempotent
from accounts.api.pagination import CursorPagination
from core.api import SIGNED_IN, CreateReadViewSet, ServiceViewSet

from .. import filtersets, selectors, services
from . import serializers


class LoanViewSet(ServiceViewSet):
    """Guarantee loans in the caller's scope. The workflow's actions answer 409 with `detail`, the
    reason in the reader's language, when the loan's status does not allow them."""

    serializer_class = serializers.LoanSerializer
    filterset_class = filtersets.LoanFilterSet
    filter_backends = [DjangoFilterBackend]
    pagination_class = CursorPagination
    permission_by_action = {"read": SIGNED_IN, "write": "loans.loan.write", "approve": "loans.loan.approve",
                            "reject": "loans.loan.approve", "disburse": "loans.loan.disburse",
                            "write_off": "loans.loan.write_off"}

    def get_queryset(self):
        return selectors.with_principal_repaid(selectors.loan_list(user=self.request.user)).order_by("-id")

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def _answer(self, loan):
        return Response(self.get_serializer(self.get_queryset().get(pk=loan.pk)).data)

    @extend_schema(request=serializers.DateSerializer, responses=serializers.LoanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """The county approves an application on `date` (409 unless it is applied for, or over a limit)."""
        params = serializers.DateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._answer(services.loan_approve(actor=request.user, loan=self.get_object(),
                                                  on=params.validated_data["date"]))

    @extend_schema(request=serializers.DateReasonSerializer, responses=serializers.LoanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        params = serializers.DateReasonSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._answer(services.loan_reject(actor=request.user, loan=self.get_object(),
                                                 on=params.validated_data["date"],
                                                 reason=params.validated_data["reason"]))

    @extend_schema(request=serializers.DateSerializer, responses=serializers.LoanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def disburse(self, request, pk=None):
        """The bank paid the approved loan out on `date`; its monthly schedule starts (409 unless approved)."""
        params = serializers.DateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._answer(services.loan_disburse(actor=request.user, loan=self.get_object(),
                                                   on=params.validated_data["date"]))

    @extend_schema(request=serializers.DateReasonSerializer, responses=serializers.LoanSerializer)
    @action(detail=True, methods=["post"], url_path="write-off")
    @idempotent
    def write_off(self, request, pk=None):
        """County administrators write an overdue loan off (409 unless overdue)."""
        params = serializers.DateReasonSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._answer(services.loan_write_off(actor=request.user, loan=self.get_object(),
                                                    on=params.validated_data["date"],
                                                    reason=params.validated_data["reason"]))


class RepaymentViewSet(CreateReadViewSet):
    """Repayments of the loans in the caller's scope; POST records one (409 unless the loan is lent)."""

    selector = selectors.repayment_list
    serializer_class = serializers.RepaymentSerializer
    filterset_class = filtersets.RepaymentFilterSet
    filter_backends = [DjangoFilterBackend]
    pagination_class = CursorPagination
    permission_by_action = {"read": SIGNED_IN, "write": "loans.repayment.write"}

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
