from django.db import models
from django.utils.translation import gettext_lazy as _


class LoanStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved by the county")
    REJECTED = "rejected", _("Rejected")
    DISBURSED = "disbursed", _("Disbursed")
    REPAYING = "repaying", _("Repaying")
    REPAID = "repaid", _("Repaid")
    OVERDUE = "overdue", _("Overdue")
    WRITTEN_OFF = "written_off", _("Written off")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FIRM = "firm", _("Small firm")


# Statuses in which money is lent out: repayments are recorded, the schedule runs.
LENT = frozenset({LoanStatus.DISBURSED, LoanStatus.REPAYING, LoanStatus.OVERDUE})
# Statuses whose loans count as outstanding (lent and not closed).
OUTSTANDING = LENT
