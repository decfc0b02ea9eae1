"""Entrepreneurship guarantee loans (创业担保贷款): the limits as policy data, the loans, their monthly
instalment schedule and the repayments recorded against them.

Scope: a loan belongs to the township of its applicant (the worker's village's township, or the
enterprise's township), kept on the loan as `township` by the services. County staff see every loan,
a township officer (and a partner system of a township) their township's; village brokers and workshop
operators see none (loans are no part of their work, and they hold people's debts)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import LEVELS

from .choices import ApplicantKind, LoanStatus

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}
NO_NARROW_ACCESS = {"village": None, "cooperative": None, "workshop": None}


class LoanPolicy(models.Model):
    """The limits of guarantee loans for a period; the version in force on a loan's application date
    applies to it, so a new version never changes a loan already applied for. County staff read the
    versions, county administrators add and edit them (loans.policy.*); they are county-wide, so no row
    lies in anybody's narrower scope."""

    SCOPE = dict.fromkeys(LEVELS, None)

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    individual_max = models.DecimalField(_("maximum for an individual"), validators=[MinValueValidator(ZERO)],
                                         **MONEY)
    firm_max = models.DecimalField(_("maximum for a small firm"), validators=[MinValueValidator(ZERO)], **MONEY)
    max_term_months = models.PositiveSmallIntegerField(_("maximum term (months)"),
                                                       validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("loan policy")
        verbose_name_plural = _("loan policies")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                                   name="loan_policy_ends_after_start",
                                   violation_error_message=_("A policy cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Loan(models.Model):
    """One guarantee loan to a worker (an individual, often a returnee) or to a small firm.

    Workflow (loans.services.TRANSITIONS is the one table of allowed moves): applied → approved by
    the county (or rejected) → disbursed → repaying (at the first repayment) → repaid (when the
    principal is paid in full); disbursed or repaying → overdue → repaying again once the arrears are
    paid, or → written off.

    Schedule: at disbursement the loan gets `term_months` monthly instalments of equal principal
    (loans.rules.schedule): instalment k falls due k months after the disbursement date (the same day
    of the month, or the month's last day when it has no such day) and by then the cumulative
    principal due is amount × k / term, rounded half-up to the fen (the last one is the whole amount).

    Overdue rule (the to-do, the list's ?overdue=1, the stored status): on day D a lent loan is overdue
    when an instalment fell due more than 30 days before D (due_on < D − 30 days) and the principal
    repaid up to D is below that instalment's cumulative principal. Interest payments do not count."""

    SCOPE = {"township": "township", **NO_NARROW_ACCESS}

    worker = models.ForeignKey("labor.Worker", verbose_name=_("borrower (person)"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="loans")
    enterprise = models.ForeignKey("industries.Enterprise", verbose_name=_("borrower (firm)"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="loans")
    township = models.ForeignKey("regions.Township", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="loans", editable=False)
    policy = models.ForeignKey(LoanPolicy, verbose_name=_("loan policy"), on_delete=models.PROTECT,
                               related_name="loans", editable=False)
    lender_bank = models.CharField(_("lender bank"), max_length=100)
    guarantee_fund = models.CharField(_("guarantee fund"), max_length=100)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), validators=[MinValueValidator(1)])
    annual_rate = models.DecimalField(_("annual interest rate (%)"), max_digits=6, decimal_places=3,
                                      validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))])
    subsidy_share = models.DecimalField(_("county interest subsidy share (%)"), max_digits=5, decimal_places=2,
                                        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))])
    status = models.CharField(_("status"), max_length=16, choices=LoanStatus.choices, default=LoanStatus.APPLIED,
                              editable=False)
    applied_on = models.DateField(_("applied on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True, editable=False)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True, editable=False)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True, editable=False)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True, editable=False)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("guarantee loan")
        verbose_name_plural = _("guarantee loans")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(worker__isnull=False, enterprise__isnull=True)
                           | Q(worker__isnull=True, enterprise__isnull=False)),
                name="loan_one_borrower",
                violation_error_message=_("A loan has one borrower: a person or a firm.")),
        ]
        indexes = [models.Index(fields=["status"], name="loan_status")]

    def __str__(self):
        return _("Loan %(id)s · %(borrower)s") % {"id": self.pk or "", "borrower": self.borrower}

    @property
    def borrower(self):
        return self.worker if self.worker_id else self.enterprise

    @property
    def kind(self) -> str:
        return ApplicantKind.INDIVIDUAL if self.worker_id or self.worker else ApplicantKind.FIRM

    def get_kind_display(self) -> str:
        return ApplicantKind(self.kind).label


class Instalment(models.Model):
    """One month of a disbursed loan's schedule (see Loan)."""

    SCOPE = {"township": "loan__township", **NO_NARROW_ACCESS}

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    principal = models.DecimalField(_("principal due"), **MONEY)
    cumulative_principal = models.DecimalField(_("cumulative principal due"), **MONEY)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["loan", "number"]
        constraints = [models.UniqueConstraint(fields=["loan", "number"], name="instalment_once_per_number")]
        indexes = [models.Index(fields=["loan", "due_on"], name="instalment_loan_due")]

    def __str__(self):
        return f"{self.loan_id} #{self.number}"


class Repayment(models.Model):
    """Money the borrower paid back on a day: principal and interest apart."""

    SCOPE = {"township": "loan__township", **NO_NARROW_ACCESS}

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("paid on"))
    principal = models.DecimalField(_("principal"), validators=[MinValueValidator(ZERO)], **MONEY)
    interest = models.DecimalField(_("interest"), default=ZERO, validators=[MinValueValidator(ZERO)], **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0) | Q(interest__gt=0), name="repayment_not_empty",
                                   violation_error_message=_("A repayment pays some principal or interest.")),
        ]
        indexes = [models.Index(fields=["loan", "paid_on"], name="repayment_loan_paid")]

    def __str__(self):
        return f"{self.loan_id} · {self.paid_on:%Y-%m-%d} · {self.principal + self.interest}"
