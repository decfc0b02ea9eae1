from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import TownshipKind, VillageKind

COUNTY_CODE = "511781"  # Wanyuan, national statistical code


class Township(models.Model):
    """A township unit (乡镇/街道): 9-digit national statistical code under Wanyuan's 511781."""

    SCOPE = {"township": "pk", "village": "@township", "cooperative": "@township", "workshop": "@township"}

    code = models.CharField(
        _("code"), max_length=9, unique=True,
        validators=[RegexValidator(rf"^{COUNTY_CODE}\d{{3}}$", _("A township code is 511781 and 3 digits."))],
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TownshipKind.choices)

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__startswith=COUNTY_CODE),
                name="township_code_in_county",
                violation_error_message=_("A township code must start with the county code 511781."),
            )
        ]

    def __str__(self):
        return self.name


class Village(models.Model):
    """A village or community (村/社区): 12-digit code, its first 9 digits its township's."""

    SCOPE = {"township": "township", "village": "pk", "cooperative": None, "workshop": "@township"}

    code = models.CharField(
        _("code"), max_length=12, unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("A village code has 12 digits."))],
    )
    name = models.CharField(_("name"), max_length=50)
    township = models.ForeignKey(Township, verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="villages")
    kind = models.CharField(_("kind"), max_length=16, choices=VillageKind.choices, default=VillageKind.VILLAGE)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="village_unique_name_in_township"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.township_id and self.code and not self.code.startswith(self.township.code):
            raise ValidationError({"code": _("A village code must start with its township's code %(code)s.")
                                   % {"code": self.township.code}})


