from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import credit_code
from .choices import BrandKind, Industry, Origin


def validate_credit_code(value):
    try:
        credit_code.normalise(value)
    except credit_code.InvalidCreditCode as exc:
        raise ValidationError(str(exc), code="invalid_credit_code") from None


class Enterprise(models.Model):
    """An operator of workshops and bases, identified by its unified social credit code."""

    SCOPE = {"township": "township", "village": "@township", "cooperative": "@township", "workshop": "@township"}

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.LOCAL)
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    township = models.ForeignKey("regions.Township", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="enterprises")
    founded_on = models.DateField(_("founded on"), null=True, blank=True,
                                  help_text=_("when it began operating (the returnee start-up award counts from it)"))

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self):
        return self.name


MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
YEAR = {"validators": [MinValueValidator(2000)]}


class ProductionBase(models.Model):
    """A large production base (black chicken, tea, blueberry, grain & oil, herbs)."""

    SCOPE = {"township": "township", "village": "@township", "cooperative": "@township", "workshop": "@township"}

    name = models.CharField(_("name"), max_length=100, unique=True)
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    township = models.ForeignKey("regions.Township", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="production_bases")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="production_bases")
    area_mu = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0"))])
    established_on = models.DateField(_("established on"), null=True, blank=True)

    class Meta:
        verbose_name = _("production base")
        verbose_name_plural = _("production bases")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(area_mu__gte=0), name="base_area_not_negative",
                                   violation_error_message=_("The area cannot be negative.")),
        ]

    def __str__(self):
        return self.name


class Brand(models.Model):
    """A regional public brand or a product brand; county-wide facts, seen by every user."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    owner = models.ForeignKey(Enterprise, verbose_name=_("owner enterprise"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="brands")
    kind = models.CharField(_("kind"), max_length=16, choices=BrandKind.choices)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self):
        return self.name


class IndustryOutput(models.Model):
    """An industry's output value in a year (county-wide)."""

    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    year = models.PositiveSmallIntegerField(_("year"), **YEAR)
    output_value = models.DecimalField(_("output value"), **MONEY)

    class Meta:
        verbose_name = _("industry output")
        verbose_name_plural = _("industry outputs")
        ordering = ["-year", "industry"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "year"], name="industry_output_unique_year",
                                    violation_error_message=_("This industry already has an output for this year.")),
        ]

    def __str__(self):
        return f"{self.get_industry_display()} {self.year}"


class Livestream(models.Model):
    """A village livestream sales session (村村直播)."""

    SCOPE = {"township": "village__township", "village": "village", "cooperative": None, "workshop": "@township"}

    village = models.ForeignKey("regions.Village", verbose_name=_("village"), on_delete=models.PROTECT,
                                related_name="livestreams")
    date = models.DateField(_("date"))
    host = models.CharField(_("host"), max_length=50)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    sales = models.DecimalField(_("sales"), **MONEY)

    class Meta:
        verbose_name = _("livestream")
        verbose_name_plural = _("livestreams")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(sales__gte=0), name="livestream_sales_not_negative",
                                   violation_error_message=_("Sales cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.village} {self.date} {self.host}"


class EastMarketSale(models.Model):
    """An enterprise's sales into the eastern (Zhejiang) market in a year."""

    SCOPE = {"township": "enterprise__township", "village": "@township", "cooperative": "@township",
             "workshop": "@township"}

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="east_market_sales")
    year = models.PositiveSmallIntegerField(_("year"), **YEAR)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("east-market sale")
        verbose_name_plural = _("east-market sales")
        ordering = ["-year", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="east_sale_unique_year",
                violation_error_message=_("This enterprise already has east-market sales for this year."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}"


class CooperationFund(models.Model):
    """East-west cooperation funds for a project (a township's, or county-wide when none)."""

    SCOPE = {"township": "township", "village": "@township", "cooperative": "@township", "workshop": "@township"}

    year = models.PositiveSmallIntegerField(_("year"), **YEAR)
    project = models.CharField(_("project"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    purpose = models.TextField(_("purpose"), blank=True)
    township = models.ForeignKey("regions.Township", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="cooperation_funds")

    class Meta:
        verbose_name = _("cooperation fund")
        verbose_name_plural = _("cooperation funds")
        ordering = ["-year", "project"]

    def __str__(self):
        return f"{self.year} {self.project}"
