from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.months import MonthSerializerField

from .. import selectors
from ..models import RunNotice, SubsidyLine, SubsidyReport, SubsidyRun


class RunRequestSerializer(serializers.Serializer):
    month = MonthSerializerField(help_text=_("YYYY-MM"))


class TotalsSerializer(serializers.Serializer):
    hiring_award = serializers.DecimalField(max_digits=14, decimal_places=2)
    social_insurance = serializers.DecimalField(max_digits=14, decimal_places=2)
    job_subsidy = serializers.DecimalField(max_digits=14, decimal_places=2)
    training = serializers.DecimalField(max_digits=14, decimal_places=2)
    loan_interest = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=_("loan interest subsidy"))
    startup_award = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=_("returnee start-up award"))
    transport_subsidy = serializers.DecimalField(max_digits=14, decimal_places=2,
                                                 help_text=_("cross-province transport subsidy"))
    payable = serializers.DecimalField(max_digits=14, decimal_places=2)
    withheld = serializers.DecimalField(max_digits=14, decimal_places=2)


class RunNoticeSerializer(serializers.ModelSerializer):
    """A public notice recorded as posted: the township's code, the village's code when it was a
    village's notice, the day it went up and the last day of its period (five working days)."""

    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = RunNotice
        fields = ["township", "village", "posted_on", "ends_on"]
        read_only_fields = fields


class SubsidyRunSerializer(serializers.ModelSerializer):
    month = MonthSerializerField(read_only=True)
    policy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    totals = serializers.SerializerMethodField()
    # Usernames; null until the step is taken.
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    rejected_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    paid_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    notices = serializers.SerializerMethodField(help_text=_("public notices recorded as posted, in your scope"))
    stale = serializers.BooleanField(source="is_stale", read_only=True,
                                     help_text=_("another run was approved since: recalculate before submitting"))

    class Meta:
        model = SubsidyRun
        fields = ["id", "month", "kind", "status", "policy", "totals", "line_count", "error", "created_at",
                  "calculated_at", "submitted_by", "submitted_at", "approved_by", "approved_at", "rejected_by",
                  "rejected_at", "rejection_reason", "paid_by", "paid_at", "voucher", "paid_on", "stale",
                  "stale_since", "stale_reason", "notices"]
        read_only_fields = fields

    def get_notices(self, run) -> RunNoticeSerializer(many=True):
        # prefetched by the viewset (one query for the page); in the user's scope
        notices = getattr(run, "scoped_notices", None)
        if notices is None:
            notices = selectors.run_notices(run=run, user=self.context["request"].user)
        return RunNoticeSerializer(notices, many=True).data

    def get_totals(self, run) -> TotalsSerializer:
        totals = selectors.run_totals(run=run, user=self.context["request"].user)
        return {key: f"{value:.2f}" for key, value in totals.items()}


class GapsSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.CharField(), help_text=_(
        "past months with payroll but no approved run, YYYY-MM, oldest first"))


class SubsidyLineSerializer(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    workshop = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    worker = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    run = serializers.PrimaryKeyRelatedField(read_only=True)
    month = MonthSerializerField(source="run.month", read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = SubsidyLine
        fields = ["id", "run", "month", "township", "workshop", "worker", "placement", "training", "loan", "outbound",
                  "enterprise", "component", "amount",
                  "status", "flags", "reason", "basis", "cleared_by", "cleared_at", "clear_reason"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class MarkPaidSerializer(serializers.Serializer):
    voucher = serializers.CharField(max_length=64, allow_blank=True, required=False, default="")
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class SubsidyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubsidyReport
        fields = ["id", "run", "status", "rows_total", "rows_done", "error", "created_at", "finished_at"]
        read_only_fields = fields
