from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import Conflict
from core.jobs import LeasedJob
from labor.choices import CertificateLevel, WorkerCategory

from .choices import LOCKED_STATUSES, OPEN_STATUSES, Component, LineStatus, ReportStatus, RunKind, RunStatus

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class Policy(models.Model):
    """A subsidy policy version; the one whose dates cover a month applies to it, so a new
    version never changes a month already calculated."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_from = models.DateField(_("effective from"), help_text=_("the first day of a month"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    min_monthly_wage = models.DecimalField(_("minimum monthly wage"), validators=[MinValueValidator(ZERO)], **MONEY)
    min_days = models.PositiveSmallIntegerField(_("minimum days worked"), validators=[MaxValueValidator(31)])
    min_age = models.PositiveSmallIntegerField(_("minimum age"))
    max_age = models.PositiveSmallIntegerField(_("maximum age"))
    # The components of issue 16 (DOMAIN.md lists their defaults). The loan interest subsidy's share is
    # each loan's own (loans' policy); the policy only says whether the monthly run pays it.
    pays_loan_interest = models.BooleanField(_("pays the loan interest subsidy"), default=True,
                                             help_text=_("the share is set on each loan under the loan policy"))
    startup_award_amount = models.DecimalField(_("returnee start-up award"), default=Decimal("10000.00"),
                                               validators=[MinValueValidator(ZERO)],
                                               help_text=_("0 means the award is not paid"), **MONEY)
    startup_months_operated = models.PositiveSmallIntegerField(_("months the enterprise has operated"), default=6,
                                                               validators=[MinValueValidator(1)])
    startup_min_other_workers = models.PositiveSmallIntegerField(
        _("other workers on the month's payroll, at least"), default=1, validators=[MinValueValidator(1)])
    transport_amount = models.DecimalField(_("cross-province transport subsidy"), default=Decimal("500.00"),
                                           validators=[MinValueValidator(ZERO)],
                                           help_text=_("0 means the subsidy is not paid"), **MONEY)
    transport_months = models.PositiveSmallIntegerField(_("months completed in the east job"), default=3,
                                                        validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                                   name="policy_ends_after_start",
                                   violation_error_message=_("A policy cannot end before it starts.")),
            models.CheckConstraint(condition=Q(effective_from__day=1), name="policy_starts_first_of_month",
                                   violation_error_message=_("A policy starts on the first day of a month.")),
            models.CheckConstraint(condition=Q(max_age__gte=F("min_age")), name="policy_age_range",
                                   violation_error_message=_("The maximum age must not be below the minimum age.")),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Rule(models.Model):
    """One component of a policy: who is eligible, how much, and its limits."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="rules")
    component = models.CharField(_("component"), max_length=24, choices=Component.choices)
    eligible_categories = models.JSONField(_("eligible worker categories"), default=list, blank=True,
                                           help_text=_("empty means every worker"))
    amount = models.DecimalField(_("amount"), null=True, blank=True, validators=[MinValueValidator(ZERO)], **MONEY)
    monthly_cap = models.DecimalField(_("cap per worker per month"), null=True, blank=True,
                                      validators=[MinValueValidator(ZERO)], **MONEY)
    yearly_workshop_cap = models.DecimalField(_("cap per workshop per calendar year"), null=True, blank=True,
                                              validators=[MinValueValidator(ZERO)], **MONEY)
    month_limit = models.PositiveSmallIntegerField(_("months per worker in all"), null=True, blank=True)
    qualifying_month = models.PositiveSmallIntegerField(_("paid in the qualifying month number"), null=True,
                                                        blank=True)
    certificate_amounts = models.JSONField(_("amounts by certificate level"), default=dict, blank=True)

    class Meta:
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        ordering = ["policy", "component"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "component"], name="rule_one_per_component",
                                    violation_error_message=_("This policy already has a rule for this component.")),
        ]

    def __str__(self):
        return f"{self.policy.code} · {self.get_component_display()}"

    def category_labels(self) -> list[str]:
        return [str(WorkerCategory(c).label) for c in self.eligible_categories or ()]

    def certificate_labels(self) -> list[tuple[str, str]]:
        amounts = self.certificate_amounts or {}
        return [(str(CertificateLevel(level).label), amount) for level, amount in amounts.items()]


class RunQuerySet(models.QuerySet):
    def delete(self):
        if self.filter(status__in=LOCKED_STATUSES).exists():
            raise Conflict(_("Approved and paid runs cannot be deleted."), code="run_locked")
        return super().delete()


class SubsidyRun(LeasedJob):
    month = models.DateField(_("month"))
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="runs")
    kind = models.CharField(_("kind"), max_length=16, choices=RunKind.choices, default=RunKind.REGULAR)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    calculation_started_at = models.DateTimeField(_("calculation started at"), null=True, blank=True)
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rejected by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marked paid by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("marked paid at"), null=True, blank=True)
    voucher = models.CharField(_("voucher number"), max_length=64, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    hiring_award_total = models.DecimalField(_("hiring award"), default=ZERO, **MONEY)
    social_insurance_total = models.DecimalField(_("social insurance subsidy"), default=ZERO, **MONEY)
    job_subsidy_total = models.DecimalField(_("job subsidy"), default=ZERO, **MONEY)
    training_total = models.DecimalField(_("training subsidy"), default=ZERO, **MONEY)
    loan_interest_total = models.DecimalField(_("loan interest subsidy"), default=ZERO, **MONEY)
    startup_award_total = models.DecimalField(_("returnee start-up award"), default=ZERO, **MONEY)
    transport_subsidy_total = models.DecimalField(_("cross-province transport subsidy"), default=ZERO, **MONEY)
    payable_total = models.DecimalField(_("payable"), default=ZERO, **MONEY)
    withheld_total = models.DecimalField(_("withheld"), default=ZERO, **MONEY)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    # Money integrity (issue 10): another run approved after this one was calculated may change what
    # it owes; until it is recalculated it cannot be submitted or approved.
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    stale_reason = models.CharField(_("why it must be recalculated"), max_length=300, blank=True)

    objects = RunQuerySet.as_manager()

    # A worker holds a calculating run's lease (core.jobs); the sweeper fails it if the worker dies.
    LEASE_STATUSES = (RunStatus.CALCULATING,)

    # The only fields that change when an approved run is marked paid.
    PAID_FIELDS = frozenset({"status", "paid_by", "paid_at", "voucher", "paid_on"})

    class Meta:
        verbose_name = _("subsidy run")
        verbose_name_plural = _("subsidy runs")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["month"], condition=Q(kind=RunKind.REGULAR),
                                    name="subsidy_run_one_regular_per_month",
                                    violation_error_message=_("This month already has a regular run.")),
            models.UniqueConstraint(fields=["month"], condition=Q(kind=RunKind.ADJUSTMENT, status__in=OPEN_STATUSES),
                                    name="subsidy_run_one_open_adjustment_per_month",
                                    violation_error_message=_("This month already has an adjustment run open.")),
            models.CheckConstraint(condition=Q(month__day=1), name="subsidy_run_month_first_day",
                                   violation_error_message=_("A run's month is stored as its first day.")),
            models.CheckConstraint(condition=~Q(status=RunStatus.PAID) | (Q(paid_on__isnull=False) & ~Q(voucher="")),
                                   name="subsidy_run_paid_has_voucher",
                                   violation_error_message=_("A paid run needs a voucher number and a payment date.")),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        self._guard(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) in LOCKED_STATUSES:
            raise Conflict(_("Approved and paid runs cannot be deleted."), code="run_locked")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def _guard(self, update_fields=None):
        loaded = getattr(self, "_loaded_status", None)
        if loaded == RunStatus.PAID:
            raise Conflict(_("A paid run never changes."), code="run_locked")
        if loaded == RunStatus.APPROVED:
            marking_paid = self.status == RunStatus.PAID and update_fields and set(update_fields) <= self.PAID_FIELDS
            if not marking_paid:
                raise Conflict(_("An approved run can only be marked paid."), code="run_locked")

    @property
    def is_stale(self) -> bool:
        return self.stale_since is not None

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"


def fill_townships(lines) -> None:
    """A line written without its township is in its workshop's village's township (one query)."""
    missing = {line.workshop_id for line in lines if line.township_id is None and line.workshop_id is not None}
    if not missing:
        return
    from workshops.models import Workshop

    township_of = dict(Workshop.objects.filter(pk__in=missing).values_list("id", "village__township_id"))
    for line in lines:
        if line.township_id is None and line.workshop_id is not None:
            line.township_id = township_of.get(line.workshop_id)


class LineQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fill_townships(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        if self.filter(run__status__in=LOCKED_STATUSES).exists():
            raise Conflict(_("Lines of approved and paid runs cannot be deleted."), code="run_locked")
        return super().delete()


class SubsidyLine(models.Model):
    """One amount of a run. The four tiers' lines belong to a workshop and a worker; a loan interest line
    to a loan (and its borrower: a worker, or nobody when the borrower is a firm), a start-up award to a
    returnee and their enterprise, a transport subsidy to an outbound placement and its worker. Every line
    has its township (the workshop's village's, the loan's, the outbound worker's village's, the
    enterprise's), which the township scope follows; lines without a workshop are seen by no workshop."""

    SCOPE = {"township": "township", "workshop": "workshop", "village": "worker__village",
             "cooperative": "worker__memberships__cooperative"}

    run = models.ForeignKey(SubsidyRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="lines")
    township = models.ForeignKey("regions.Township", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="subsidy_lines")
    workshop = models.ForeignKey("workshops.Workshop", verbose_name=_("workshop"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="subsidy_lines")
    worker = models.ForeignKey("labor.Worker", verbose_name=_("worker"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="subsidy_lines")
    loan = models.ForeignKey("loans.Loan", verbose_name=_("loan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="subsidy_lines")
    outbound = models.ForeignKey("labor.OutboundPlacement", verbose_name=_("outbound placement"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="subsidy_lines")
    enterprise = models.ForeignKey("industries.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="subsidy_lines")
    placement = models.ForeignKey("labor.Placement", verbose_name=_("placement"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="subsidy_lines")
    training = models.ForeignKey("labor.Training", verbose_name=_("training"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="subsidy_lines")
    component = models.CharField(_("component"), max_length=24, choices=Component.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(_("status"), max_length=16, choices=LineStatus.choices, default=LineStatus.PAYABLE)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cleared by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    clear_reason = models.TextField(_("reason for clearing"), blank=True)

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = _("subsidy line")
        verbose_name_plural = _("subsidy lines")
        ordering = ["run_id", "id"]  # run_id: "run" would join runs to sort by their own ordering
        indexes = [
            models.Index(fields=["run", "status"]),
            models.Index(fields=["run", "id"], name="subsidy_line_run_id"),  # a run's lines in order
            models.Index(fields=["worker", "component"]),
            models.Index(fields=["workshop", "component"]),
            models.Index(fields=["township", "run"], name="subsidy_line_township_run"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status=LineStatus.WITHHELD) | ~Q(flags=[]),
                                   name="subsidy_line_withheld_has_flag",
                                   violation_error_message=_("Only a flagged line is withheld.")),
            # A line's key is unique in its run, so two overlapping calculations can never both write.
            # Coalesce makes a missing worker, workshop, placement, training, loan, outbound placement or
            # enterprise one value (NULLs are otherwise distinct) on PostgreSQL and SQLite alike.
            models.UniqueConstraint(F("run"), F("component"), Coalesce(F("worker"), Value(0)),
                                    Coalesce(F("workshop"), Value(0)), Coalesce(F("placement"), Value(0)),
                                    Coalesce(F("training"), Value(0)), Coalesce(F("loan"), Value(0)),
                                    Coalesce(F("outbound"), Value(0)), Coalesce(F("enterprise"), Value(0)),
                                    name="subsidy_line_one_per_key",
                                    violation_error_message=_("This run already has this line.")),
        ]

    def __str__(self):
        return f"{self.get_component_display()} {self.amount} · {self.worker_id}"

    def save(self, *args, **kwargs):
        if self.run_id and self._run_locked():
            raise Conflict(_("Lines of approved and paid runs never change."), code="run_locked")
        fill_townships([self])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._run_locked():
            raise Conflict(_("Lines of approved and paid runs cannot be deleted."), code="run_locked")
        return super().delete(*args, **kwargs)

    def _run_locked(self) -> bool:
        return SubsidyRun.objects.filter(pk=self.run_id, status__in=LOCKED_STATUSES).exists()



class SubsidyReport(LeasedJob):
    """An Excel report of a run, built in the background for one user's scope (Saleor's ExportFile)."""

    run = models.ForeignKey(SubsidyRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="reports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="subsidies/reports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    LEASE_STATUSES = (ReportStatus.RUNNING,)

    class Meta:
        verbose_name = _("subsidy report")
        verbose_name_plural = _("subsidy reports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.run} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == ReportStatus.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class RunNotice(models.Model):
    """A public notice (公示) of a run posted in a township (or one of its villages): when it went up,
    when its period of five working days ends, and who posted it. Part of the run's history."""

    SCOPE = {"township": "township", "village": "@township", "cooperative": None, "workshop": None}

    run = models.ForeignKey(SubsidyRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="notices")
    township = models.ForeignKey("regions.Township", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="+")
    village = models.ForeignKey("regions.Village", verbose_name=_("village"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    posted_on = models.DateField(_("posted on"))
    ends_on = models.DateField(_("notice period ends on"))
    office = models.CharField(_("office for objections"), max_length=100, blank=True)
    phone = models.CharField(_("phone for objections"), max_length=40, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("posted by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["run_id", "township_id", "id"]
        constraints = [
            models.UniqueConstraint(F("run"), F("township"), Coalesce(F("village"), Value(0)),
                                    name="run_notice_one_per_place",
                                    violation_error_message=_("This notice has already been posted.")),
            models.CheckConstraint(condition=Q(ends_on__gte=F("posted_on")), name="run_notice_ends_after_posting",
                                   violation_error_message=_("A notice period cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.run} · {self.township_id} · {self.posted_on}"
