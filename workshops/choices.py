from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopKind(models.TextChoices):
    ASSISTANCE = "assistance", _("Employment-assistance workshop")
    PROCESSING = "processing", _("Processing workshop")


class WorkshopForm(models.TextChoices):
    CENTRALIZED = "centralized", _("Centralized factory")
    VILLAGE_SITE = "village_site", _("Village site")
    HOME_BASED = "home_based", _("Home-based production")


class WorkshopStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CERTIFIED = "certified", _("Certified")
    REVOKED = "revoked", _("Revoked")


class CertificationAction(models.TextChoices):
    CERTIFIED = "certified", _("Certified")
    REVOKED = "revoked", _("Revoked")


class DifficultyCategory(models.TextChoices):
    LABOUR = "labour", _("Labour")
    ELECTRICITY = "electricity", _("Electricity")
    LAND = "land", _("Land")
    CREDIT = "credit", _("Credit")
    OTHER = "other", _("Other")


class DifficultyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
