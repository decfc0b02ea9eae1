from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """The five colour-coded industries, plus other (e.g. toy assembly)."""

    TEA = "tea", _("Green: tea")
    HERBS = "herbs", _("Brown: medicinal herbs")
    BLACK_CHICKEN = "black_chicken", _("Black: black chicken")
    FRUIT_VEG = "fruit_veg", _("Cyan: fruit and vegetables")
    GRAIN_OIL = "grain_oil", _("Gold: grain and oil")
    OTHER = "other", _("Other")


INDUSTRY_COLOURS = {
    Industry.TEA: "#2e7d32",
    Industry.HERBS: "#795548",
    Industry.BLACK_CHICKEN: "#212121",
    Industry.FRUIT_VEG: "#00838f",
    Industry.GRAIN_OIL: "#f9a825",
    Industry.OTHER: "#9e9e9e",
}


class Origin(models.TextChoices):
    LOCAL = "local", _("Local")
    EAST = "east", _("Brought from the east (Putuo)")


class BrandKind(models.TextChoices):
    REGIONAL = "regional", _("Regional public brand")
    PRODUCT = "product", _("Product brand")
