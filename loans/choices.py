from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LoanStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("loan status", "Applied")
    APPROVED = "approved", pgettext_lazy("loan status", "Approved by the county")
    REJECTED = "rejected", pgettext_lazy("loan status", "Rejected")
    DISBURSED = "disbursed", pgettext_lazy("loan status", "Disbursed")
    REPAYING = "repaying", pgettext_lazy("loan status", "Repaying")
    REPAID = "repaid", pgettext_lazy("loan status", "Repaid")
    OVERDUE = "overdue", pgettext_lazy("loan status", "Overdue")
    WRITTEN_OFF = "written_off", pgettext_lazy("loan status", "Written off")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FIRM = "firm", _("Small firm")


# Statuses in which money is lent out: repayments are recorded, the schedule runs.
LENT = frozenset({LoanStatus.DISBURSED, LoanStatus.REPAYING, LoanStatus.OVERDUE})
# Statuses whose loans count as outstanding (lent and not closed).
OUTSTANDING = LENT
