from django.db import models
from django.utils.translation import gettext_lazy as _


class TownshipKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Sub-district")
    TOWN = "town", _("Town")
    TOWNSHIP = "township", _("Township")


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
