from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import credit_code
from .choices import Industry, Origin


def validate_credit_code(value):
    try:
        credit_code.normalise(value)
    except credit_code.InvalidCreditCode as exc:
        raise ValidationError(str(exc), code="invalid_credit_code") from None


class Enterprise(models.Model):
    """An operator of workshops and bases, identified by its unified social credit code."""

    SCOPE = {"township": "township"}

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.LOCAL)
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    township = models.ForeignKey("regions.Township", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="enterprises")

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self):
        return self.name
