from django.db import models
from django.utils.translation import gettext_lazy as _


class Component(models.TextChoices):
    HIRING_AWARD = "hiring_award", _("Hiring award")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance subsidy")
    JOB_SUBSIDY = "job_subsidy", _("Job subsidy")
    TRAINING = "training", _("Training subsidy")
    LOAN_INTEREST = "loan_interest", _("Loan interest subsidy")
    STARTUP_AWARD = "startup_award", _("Returnee start-up award")
    TRANSPORT_SUBSIDY = "transport_subsidy", _("Cross-province transport subsidy")


# The four tiers the article's 12.68 M yuan counts (DOMAIN.md); the three components after them (issue 16)
# are reported beside that figure, never inside it.
TIER_COMPONENTS = (Component.HIRING_AWARD, Component.SOCIAL_INSURANCE, Component.JOB_SUBSIDY, Component.TRAINING)
# Components whose figures are Rule rows of a policy; the others' figures are fields of the Policy itself.
RULE_COMPONENTS = TIER_COMPONENTS
# Paid once per key over approved runs of every month (like the hiring award and training).
ONCE_ONLY_COMPONENTS = (Component.STARTUP_AWARD, Component.TRANSPORT_SUBSIDY)


class RunKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    ADJUSTMENT = "adjustment", _("Adjustment")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    CALCULATING = "calculating", _("Calculating")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


# Approved and paid runs are money decided: they and their lines never change again.
LOCKED_STATUSES = (RunStatus.APPROVED, RunStatus.PAID)
# A run in one of these states may be (re)calculated.
RECALCULABLE_STATUSES = (RunStatus.QUEUED, RunStatus.DRAFT, RunStatus.FAILED)
OPEN_STATUSES = (RunStatus.QUEUED, RunStatus.CALCULATING, RunStatus.DRAFT, RunStatus.SUBMITTED, RunStatus.FAILED)


class LineStatus(models.TextChoices):
    PAYABLE = "payable", _("Payable")
    WITHHELD = "withheld", _("Withheld")


class Flag(models.TextChoices):
    DUPLICATE_EMPLOYMENT = "duplicate_employment", _("Duplicate employment")
    SHARED_PHONE = "shared_phone", _("Shared phone number")
    HEADCOUNT_JUMP = "headcount_jump", _("Headcount jump")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
