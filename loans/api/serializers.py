"""Loan serializers save through loans.services; a related id outside the caller's scope is a 400."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ServiceSerializer

from .. import services
from ..choices import ApplicantKind
from ..models import Loan, Repayment


class LoanSerializer(ServiceSerializer):
    """A loan: `worker` (a person) or `enterprise` (a small firm) borrows; the township follows the
    borrower. The status and its dates change only through the workflow's actions."""

    create_service = staticmethod(services.loan_apply)
    update_service = staticmethod(services.loan_update)
    instance_arg = "loan"
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    policy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    principal_repaid = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = ["id", "kind", "worker", "enterprise", "township", "policy", "lender_bank", "guarantee_fund",
                  "amount", "term_months", "annual_rate", "subsidy_share", "status", "applied_on", "approved_on",
                  "rejected_on", "disbursed_on", "repaid_on", "written_off_on", "decision_reason",
                  "principal_repaid"]
        read_only_fields = ["status", "approved_on", "rejected_on", "disbursed_on", "repaid_on", "written_off_on",
                            "decision_reason"]
        extra_kwargs = {"worker": {"required": False, "allow_null": True},
                        "enterprise": {"required": False, "allow_null": True}}

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))  # a string, like `amount`
    def get_principal_repaid(self, loan) -> str:
        value = getattr(loan, "principal_repaid", None)
        if value is None:
            value = services.principal_repaid(loan)
        return f"{Decimal(value):.2f}"


class DateSerializer(serializers.Serializer):
    date = serializers.DateField()


class DateReasonSerializer(DateSerializer):
    reason = serializers.CharField(max_length=300)


class RepaymentSerializer(ServiceSerializer):
    """A repayment of a lent loan (principal and interest apart); recorded, never edited."""

    create_service = staticmethod(services.repayment_record)

    class Meta:
        model = Repayment
        fields = ["id", "loan", "paid_on", "principal", "interest", "note", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"principal": {"required": False}, "interest": {"required": False}}
