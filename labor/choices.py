from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerCategory(models.TextChoices):
    POVERTY_ALLEVIATED = "poverty_alleviated", _("Poverty-alleviated")
    MONITORED = "monitored", _("Monitored against relapse")
    LOW_INCOME = "low_income", _("Rural low-income")
    HARD_TO_EMPLOY = "hard_to_employ", _("Hard to employ")
    GENERAL = "general", _("General")


ASSISTED_CATEGORIES = (WorkerCategory.POVERTY_ALLEVIATED, WorkerCategory.MONITORED)


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PlacementSource(models.TextChoices):
    BROKER = "broker", _("Broker")
    JOB_FAIR = "job_fair", _("Job fair")
    PARTNER = "partner", _("Partner system")
    DIRECT = "direct", _("Direct")


class TrainingKind(models.TextChoices):
    BRAND = "brand", _("Labour-brand training")
    SKILLS = "skills", _("Skills training")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")


class CertificateLevel(models.TextChoices):
    NONE = "none", _("No certificate")
    ENTRY = "entry", _("Entry level")
    INTERMEDIATE = "intermediate", _("Intermediate level")
    ADVANCED = "advanced", _("Advanced level")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Declined")


class ImportKind(models.TextChoices):
    WORKERS = "workers", _("Worker roster")
    PLACEMENTS = "placements", _("Placements")
    PAYROLL = "payroll", _("Monthly payroll")


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking")
    PREVIEW = "preview", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    DISCARDED = "discarded", _("Nothing imported")
    FAILED = "failed", _("Failed")
