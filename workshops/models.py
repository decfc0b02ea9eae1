from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from industries.choices import Industry

from .choices import CertificationAction, WorkshopForm, WorkshopKind, WorkshopStatus


class Workshop(models.Model):
    SCOPE = {"township": "village__township", "workshop": "pk"}

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

    def __str__(self):
        return self.name


class CertificationEvent(models.Model):
    """The workshop's certification history. A workshop is certified on a date D when its latest
    event with effective_date <= D is `certified` (ties: the later-recorded event wins)."""

    SCOPE = {"township": "workshop__village__township", "workshop": "workshop"}

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
    SCOPE = {"township": "workshop__village__township", "workshop": "workshop"}

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
