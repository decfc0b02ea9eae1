from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from industries.choices import Industry

from .choices import (
    CertificationAction,
    DifficultyCategory,
    DifficultyStatus,
    WorkshopForm,
    WorkshopKind,
    WorkshopStatus,
)


class Workshop(models.Model):
    SCOPE = {"township": "village__township", "workshop": "pk", "village": "@township", "cooperative": "@township"}

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=WorkshopKind.choices)
    form = models.CharField(_("form"), max_length=16, choices=WorkshopForm.choices)
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    enterprise = models.ForeignKey("industries.Enterprise", verbose_name=_("operating enterprise"),
                                   on_delete=models.PROTECT, related_name="workshops")
    village = models.ForeignKey("regions.Village", verbose_name=_("village"), on_delete=models.PROTECT,
                                related_name="workshops")
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    reuses_idle_asset = models.BooleanField(_("uses a reused idle asset"), default=False)
    # Owned by the certification workflow (workshops.services), never edited directly.
    status = models.CharField(_("status"), max_length=16, choices=WorkshopStatus.choices,
                              default=WorkshopStatus.APPLIED, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["name", "id"]
        constraints = [
            # workshops.services also compares names case- and space-insensitively before saving.
            models.UniqueConstraint(fields=["village", "name"], name="workshop_unique_name_per_village",
                                    violation_error_message=_("This village already has a workshop of this name.")),
        ]

    def __str__(self):
        return self.name


class CertificationEvent(models.Model):
    """The workshop's certification history. A workshop is certified on a date D when its latest
    event with effective_date <= D is `certified` (ties: the later-recorded event wins)."""

    SCOPE = {"township": "workshop__village__township", "workshop": "workshop", "village": None, "cooperative": None}

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT,
                                 related_name="certification_events")
    action = models.CharField(_("action"), max_length=16, choices=CertificationAction.choices)
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"), blank=True)
    override = models.BooleanField(_("criteria overridden by an administrator"), default=False)
    workers = models.PositiveIntegerField(_("workers counted"), default=0)
    assisted_workers = models.PositiveIntegerField(_("poverty-alleviated or monitored workers counted"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification event")
        verbose_name_plural = _("certification events")
        ordering = ["workshop", "effective_date", "id"]

    def __str__(self):
        return f"{self.workshop} {self.get_action_display()} {self.effective_date}"


class Post(models.Model):
    SCOPE = {"township": "workshop__village__township", "workshop": "workshop", "village": "@township",
             "cooperative": "@township"}

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT,
                                 related_name="posts")
    title = models.CharField(_("title"), max_length=100)
    headcount = models.PositiveIntegerField(_("headcount"), validators=[MinValueValidator(1)])
    monthly_wage = models.DecimalField(_("monthly wage"), max_digits=14, decimal_places=2,
                                       validators=[MinValueValidator(Decimal("0"))])
    reserved = models.BooleanField(_("reserved for poverty-alleviated or monitored people"), default=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["workshop", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="post_headcount_positive",
                                   violation_error_message=_("A post needs a headcount of at least 1.")),
        ]

    def __str__(self):
        return f"{self.workshop} · {self.title}"


class Liaison(models.Model):
    """1+N liaison: one of the N government departments that jointly serve a workshop."""

    SCOPE = {"township": "workshop__village__township", "workshop": "workshop", "village": None, "cooperative": None}

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT,
                                 related_name="liaisons")
    department = models.CharField(_("department"), max_length=100)
    contact_person = models.CharField(_("contact person"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["workshop", "department"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "department"], name="liaison_unique_department",
                                    violation_error_message=_("This department already serves this workshop.")),
        ]

    def __str__(self):
        return f"{self.workshop} · {self.department}"


class Difficulty(models.Model):
    """A problem a workshop raised and, once resolved, its resolution."""

    SCOPE = {"township": "workshop__village__township", "workshop": "workshop", "village": None, "cooperative": None}

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT,
                                 related_name="difficulties")
    category = models.CharField(_("category"), max_length=16, choices=DifficultyCategory.choices)
    description = models.TextField(_("description"))
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(_("status"), max_length=16, choices=DifficultyStatus.choices,
                              default=DifficultyStatus.OPEN)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    responsible_department = models.CharField(_("responsible department"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("difficulty")
        verbose_name_plural = _("difficulties")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DifficultyStatus.OPEN, resolved_on__isnull=True)
                | Q(status=DifficultyStatus.RESOLVED, resolved_on__isnull=False),
                name="difficulty_resolved_has_date",
                violation_error_message=_("A resolved difficulty needs its resolution date, an open one none."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="difficulty_resolved_after_raised",
                violation_error_message=_("A difficulty cannot be resolved before it was raised."),
            ),
        ]

    def __str__(self):
        return f"{self.workshop} · {self.get_category_display()}"
