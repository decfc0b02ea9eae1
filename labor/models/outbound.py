"""East labour cooperation (东西部劳务协作): posts with east (Zhejiang, Putuo) employers, brokers'
proposals for them, the outbound placements the Putuo liaison station (万源·普陀劳务协作联络站) records,
and its follow-up visits at 1, 3 and 6 months."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.months import months_after

from ..choices import ReferralOutcome

WAGE = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}
VISIT_MONTHS = (1, 3, 6)  # the station visits a worker this many months after they started


class OutboundStatus(models.TextChoices):
    WORKING = "working", _("Working in the east")
    RETURNED = "returned", _("Returned")


class VisitMilestone(models.IntegerChoices):
    ONE = 1, _("1 month")
    THREE = 3, _("3 months")
    SIX = 6, _("6 months")


class EastPost(models.Model):
    """A post offered by an east enterprise (industries.Enterprise with origin "east"). County-wide
    reference data: every signed-in user may read and pick it (no person in it)."""

    enterprise = models.ForeignKey("industries.Enterprise", verbose_name=_("east employer"),
                                   on_delete=models.PROTECT, related_name="east_posts")
    province = models.CharField(_("province"), max_length=20, default="浙江省")
    city = models.CharField(_("city"), max_length=30)
    title = models.CharField(_("post title"), max_length=100)
    monthly_wage = models.DecimalField(_("monthly wage"), **WAGE)
    vacancies = models.PositiveIntegerField(_("vacancies"), default=1)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("east post")
        verbose_name_plural = _("east posts")
        ordering = ["-is_open", "title", "id"]

    def __str__(self):
        return f"{self.enterprise} · {self.title}"


class OutboundReferral(models.Model):
    """A broker proposes a worker for an east post; the liaison station decides. A hired referral
    creates the outbound placement (as labor.Referral does for local posts)."""

    SCOPE = {
        "township": "worker__village__township",
        "village": "worker__village",
        "cooperative": "worker__memberships__cooperative",
        "workshop": None,
    }

    broker = models.ForeignKey("labor.Broker", verbose_name=_("broker"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="outbound_referrals")
    worker = models.ForeignKey("labor.Worker", verbose_name=_("worker"), on_delete=models.PROTECT,
                               related_name="outbound_referrals")
    east_post = models.ForeignKey(EastPost, verbose_name=_("east post"), on_delete=models.PROTECT,
                                  related_name="referrals")
    proposed_on = models.DateField(_("proposed on"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReferralOutcome.choices,
                               default=ReferralOutcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    placement = models.OneToOneField("labor.OutboundPlacement", verbose_name=_("outbound placement"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="referral")

    class Meta:
        verbose_name = _("east referral")
        verbose_name_plural = _("east referrals")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ReferralOutcome.PENDING, decided_on__isnull=True)
                | (~Q(outcome=ReferralOutcome.PENDING) & Q(decided_on__isnull=False)),
                name="outbound_referral_decided_has_date",
                violation_error_message=_("A decided referral needs its decision date, a pending one has none."),
            ),
            models.UniqueConstraint(fields=["worker", "east_post"], condition=Q(outcome=ReferralOutcome.PENDING),
                                    name="outbound_referral_one_pending_per_worker_post",
                                    violation_error_message=_("This worker is already proposed for this post.")),
        ]

    def __str__(self):
        return f"{self.worker} → {self.east_post}"


class OutboundPlacement(models.Model):
    """A worker in a job with an east employer, from a start date until they return; never deleted."""

    SCOPE = {
        "township": "worker__village__township",
        "village": "worker__village",
        "cooperative": "worker__memberships__cooperative",
        "workshop": None,
    }

    worker = models.ForeignKey("labor.Worker", verbose_name=_("worker"), on_delete=models.PROTECT,
                               related_name="outbound_placements")
    enterprise = models.ForeignKey("industries.Enterprise", verbose_name=_("east employer"),
                                   on_delete=models.PROTECT, related_name="outbound_placements")
    east_post = models.ForeignKey(EastPost, verbose_name=_("east post"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="placements")
    broker = models.ForeignKey("labor.Broker", verbose_name=_("broker"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="outbound_placements")
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=30)
    post_title = models.CharField(_("post title"), max_length=100)
    start_date = models.DateField(_("start date"))
    monthly_wage = models.DecimalField(_("monthly wage"), **WAGE)
    return_date = models.DateField(_("return date"), null=True, blank=True)
    return_reason = models.CharField(_("return reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboundStatus.choices,
                              default=OutboundStatus.WORKING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("outbound placement")
        verbose_name_plural = _("outbound placements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker"], condition=Q(return_date__isnull=True),
                                    name="outbound_one_open_per_worker",
                                    violation_error_message=_("This worker already works in the east.")),
            models.CheckConstraint(condition=Q(return_date__isnull=True) | Q(return_date__gt=F("start_date")),
                                   name="outbound_returns_after_start",
                                   violation_error_message=_("The return date must be after the start date.")),
            models.CheckConstraint(
                condition=Q(status=OutboundStatus.WORKING, return_date__isnull=True)
                | Q(status=OutboundStatus.RETURNED, return_date__isnull=False),
                name="outbound_status_matches_return",
                violation_error_message=_("A returned placement has a return date, a working one has none.")),
            models.CheckConstraint(condition=Q(monthly_wage__gt=0), name="outbound_wage_positive",
                                   violation_error_message=_("The monthly wage must be more than 0.")),
        ]
        indexes = [models.Index(fields=["start_date"], name="outbound_start")]

    def __str__(self):
        return f"{self.worker} @ {self.enterprise}"

    def visit_due_on(self, months: int) -> date:
        return months_after(self.start_date, months)


class OutboundVisit(models.Model):
    """The station's follow-up at 1, 3 or 6 months (due on the start date plus that many months)."""

    SCOPE = {
        "township": "placement__worker__village__township",
        "village": "placement__worker__village",
        "cooperative": "placement__worker__memberships__cooperative",
        "workshop": None,
    }

    placement = models.ForeignKey(OutboundPlacement, verbose_name=_("outbound placement"),
                                  on_delete=models.PROTECT, related_name="visits")
    milestone = models.PositiveSmallIntegerField(_("visit"), choices=VisitMilestone.choices)
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("east follow-up visit")
        verbose_name_plural = _("east follow-up visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "milestone"], name="outbound_visit_once_per_milestone",
                                    violation_error_message=_("This visit is already recorded.")),
        ]

    def __str__(self):
        return f"{self.placement} {self.get_milestone_display()}"
