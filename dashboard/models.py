"""Pre-aggregated monthly facts the dashboard reads instead of the whole payroll and every paid line.

`PayrollFact` (a month's payslips and wages in one workshop) and `PeopleFact` (a month's
distinct people paid, county-wide and per township) are kept by dashboard.facts from `labor_payroll`:
database triggers (added by this app's migration, on PostgreSQL and SQLite alike) log every month a
write touches in `PayrollChange`, and the next read recomputes just those months. `PaidFact` adds up the
payable lines of a paid run (paid is final: its lines never change), filled the first time the run is
read paid. Nothing here is written by hand; the facts can be rebuilt at any time (`facts.rebuild()`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

NOT_SHOWN = {"village": None, "cooperative": None, "workshop": None}  # the dashboard has no such readers


class PayrollChange(models.Model):
    """A month whose payroll changed since its facts were computed (written by triggers only)."""

    SCOPE = {"township": None, **NOT_SHOWN}
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("payroll change")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class PayrollFact(models.Model):
    SCOPE = {"township": "workshop__village__township", **NOT_SHOWN}
    month = models.DateField(_("month"))
    workshop = models.ForeignKey("workshops.Workshop", on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False)
    payslips = models.PositiveIntegerField(_("payslips"))
    wages = models.DecimalField(_("wages paid"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("payroll fact")
        constraints = [models.UniqueConstraint(fields=["month", "workshop"], name="payroll_fact_month_workshop")]

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.workshop_id}: {self.payslips} · {self.wages}"


class PeopleFact(models.Model):
    """Distinct people paid in a month: `township` null for the whole county."""

    SCOPE = {"township": "township", **NOT_SHOWN}
    month = models.DateField(_("month"))
    township = models.ForeignKey("regions.Township", on_delete=models.CASCADE, null=True, related_name="+",
                                 db_constraint=False)
    people = models.PositiveIntegerField(_("people paid"))

    class Meta:
        verbose_name = _("people fact")
        constraints = [
            models.UniqueConstraint(fields=["month", "township"], name="people_fact_month_township"),
            models.UniqueConstraint(fields=["month"], condition=models.Q(township__isnull=True),
                                    name="people_fact_month_county"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.township_id or 'county'}: {self.people}"


class PaidRun(models.Model):
    """A paid run whose payable lines are added up in PaidFact."""

    SCOPE = {"township": None, **NOT_SHOWN}
    run = models.OneToOneField("subsidies.SubsidyRun", on_delete=models.CASCADE, primary_key=True,
                               related_name="dashboard_facts")

    class Meta:
        verbose_name = _("paid run")

    def __str__(self):
        return str(self.run_id)


class PaidFact(models.Model):
    """A paid run's payable lines added up by component, workshop and township; lines without a workshop
    (loan interest, start-up awards, transport subsidies) count under their township, workshop null."""

    SCOPE = {"township": "township", **NOT_SHOWN}
    paid_run = models.ForeignKey(PaidRun, on_delete=models.CASCADE, related_name="facts")
    month = models.DateField(_("month"))
    component = models.CharField(_("component"), max_length=24)
    workshop = models.ForeignKey("workshops.Workshop", on_delete=models.CASCADE, related_name="+", null=True,
                                 db_constraint=False)
    township = models.ForeignKey("regions.Township", on_delete=models.CASCADE, related_name="+", null=True,
                                 db_constraint=False)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("paid fact")
        indexes = [models.Index(fields=["month"], name="paid_fact_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.component} · {self.workshop_id}: {self.amount}"


class WorkChange(models.Model):
    """A worker whose placements, or what they are counted by (workshop's township and industry, post
    reserved, worker's category), changed since their work spells were computed (written by triggers only)."""

    SCOPE = {"township": None, **NOT_SHOWN}
    worker = models.BigIntegerField(_("worker"))

    class Meta:
        verbose_name = _("work change")

    def __str__(self):
        return str(self.worker)


class WorkSpell(models.Model):
    """Days a worker was in work, as the dashboard counts people in work on a day (dashboard.facts keeps
    them from `labor_placement`). For each kind, a worker's placements in the same group (the county, a
    township, an industry, a township's industry) are merged into spells that share no day, so the
    people in work in a group on a day are its spells covering that day: `COUNT(*)`, no DISTINCT and no
    join. `reserved` rows are placements, not merged: an assisted worker (ASSISTED_CATEGORIES) on a
    reserved post, counted per township like the township table's "reserved places filled"."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("county")
        TOWNSHIP = "township", _("township")
        INDUSTRY = "industry", _("industry")
        TOWNSHIP_INDUSTRY = "township_industry", _("township and industry")
        RESERVED = "reserved", _("reserved place filled")

    SCOPE = {"township": "township", **NOT_SHOWN}
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    township = models.ForeignKey("regions.Township", on_delete=models.CASCADE, null=True, related_name="+",
                                 db_constraint=False)
    industry = models.CharField(_("industry"), max_length=16, blank=True)
    worker = models.BigIntegerField(_("worker"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True)

    class Meta:
        verbose_name = _("work spell")
        indexes = [
            models.Index(fields=["kind", "township", "industry", "start_date", "end_date"], name="work_spell_count"),
            models.Index(fields=["worker"], name="work_spell_worker"),
        ]

    def __str__(self):
        return f"{self.kind} · {self.township_id} · {self.industry} · {self.worker}: {self.start_date}–{self.end_date}"
