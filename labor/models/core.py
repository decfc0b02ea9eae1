from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .. import resident_id
from ..choices import CertificateLevel, PlacementSource, Sex, TrainingKind, WorkerCategory

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


def validate_resident_id(value):
    try:
        resident_id.parse(value)
    except resident_id.InvalidResidentId as exc:
        raise ValidationError(str(exc), code="invalid_id_number") from None


class Worker(models.Model):
    SCOPE = {
        "township": "village__township",
        "village": "village",
        "cooperative": "memberships__cooperative",
        "workshop": "placements__workshop",
    }

    id_number = models.CharField(_("ID number"), max_length=18, unique=True, validators=[validate_resident_id])
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    village = models.ForeignKey("regions.Village", verbose_name=_("village"), on_delete=models.PROTECT,
                                related_name="workers")
    category = models.CharField(_("category"), max_length=24, choices=WorkerCategory.choices,
                                default=WorkerCategory.GENERAL)
    returnee = models.BooleanField(_("returnee"), default=False)
    # Derived from the ID number on save; never typed.
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # An import applies only over rows unchanged since it checked them (labor.imports.services).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="worker_name_id")]  # the lists' order

    def __str__(self):
        return self.name

    def derive_from_id_number(self):
        parsed = resident_id.parse(self.id_number)
        self.id_number, self.sex, self.birth_date = parsed.number, parsed.sex, parsed.birth_date

    def clean_fields(self, exclude=None):
        if self.id_number:
            try:
                self.derive_from_id_number()
            except resident_id.InvalidResidentId:
                pass  # reported by the field validator
        super().clean_fields(exclude=exclude)

    @property
    def masked_id_number(self):
        return resident_id.mask(self.id_number)


class Cooperative(models.Model):
    """A township labour cooperative (劳务专业合作社)."""

    SCOPE = {"township": "township", "cooperative": "pk", "village": "@township", "workshop": "@township"}

    township = models.ForeignKey("regions.Township", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="cooperatives")
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["township", "name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    SCOPE = {"township": "cooperative__township", "cooperative": "cooperative", "village": "worker__village",
             "workshop": "worker__placements__workshop"}

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="memberships")
    cooperative = models.ForeignKey(Cooperative, verbose_name=_("cooperative"), on_delete=models.PROTECT,
                                    related_name="memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                                   name="membership_left_after_joined",
                                   violation_error_message=_("A member cannot leave before joining.")),
        ]

    def __str__(self):
        return f"{self.worker} @ {self.cooperative}"


class Broker(models.Model):
    """A village labour broker (村劳务经纪人), a portal user."""

    SCOPE = {"township": "village__township", "village": "village", "cooperative": "cooperative",
             "workshop": "placements__workshop"}

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                                related_name="broker")
    village = models.ForeignKey("regions.Village", verbose_name=_("village"), on_delete=models.PROTECT,
                                related_name="brokers")
    cooperative = models.ForeignKey(Cooperative, verbose_name=_("cooperative"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="brokers")

    class Meta:
        verbose_name = _("broker")
        verbose_name_plural = _("brokers")

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class Placement(models.Model):
    """A worker employed at a workshop from a start date to an end date; never deleted."""

    SCOPE = {
        "township": "workshop__village__township",
        "workshop": "workshop",
        "village": "worker__village",
        "cooperative": "worker__memberships__cooperative",
    }

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="placements")
    workshop = models.ForeignKey("workshops.Workshop", verbose_name=_("workshop"), on_delete=models.PROTECT,
                                 related_name="placements")
    post = models.ForeignKey("workshops.Post", verbose_name=_("post"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="placements")
    broker = models.ForeignKey(Broker, verbose_name=_("broker"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="placements")
    source = models.CharField(_("source"), max_length=16, choices=PlacementSource.choices,
                              default=PlacementSource.DIRECT)
    job_fair = models.ForeignKey("labor.JobFair", verbose_name=_("job fair"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="placements")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=200, blank=True)
    monthly_wage = models.DecimalField(_("agreed monthly wage"), **MONEY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "workshop"], condition=Q(end_date__isnull=True),
                                    name="placement_one_open_per_worker_workshop",
                                    violation_error_message=_(
                                        "This worker already has an open placement at this workshop.")),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="placement_ends_after_start",
                                   violation_error_message=_("A placement cannot end before it starts.")),
        ]
        indexes = [
            models.Index(fields=["workshop", "start_date"]),
            # A workshop's headcount (distinct workers open on a day, labor.selectors.headcount_on) read from
            # the index alone on PostgreSQL: the API's workshop list 22 -> 11 ms at scale 1.
            models.Index(fields=["workshop", "worker"], include=["start_date", "end_date"],
                         name="placement_headcount"),
        ]

    def __str__(self):
        return f"{self.worker} @ {self.workshop}"


class Payroll(models.Model):
    """A placement's month: days worked, wage paid, employer's social insurance paid."""

    SCOPE = {
        "township": "placement__workshop__village__township",
        "workshop": "placement__workshop",
        "village": "placement__worker__village",
        "cooperative": "placement__worker__memberships__cooperative",
    }

    placement = models.ForeignKey(Placement, verbose_name=_("placement"), on_delete=models.PROTECT,
                                  related_name="payroll")
    month = models.DateField(_("month"), help_text=_("the first day of the month"))
    days_worked = models.PositiveSmallIntegerField(_("days worked"), validators=[MaxValueValidator(31)])
    wage_paid = models.DecimalField(_("wage paid"), **MONEY)
    employer_social_insurance = models.DecimalField(_("employer's social insurance"), default=Decimal("0"), **MONEY)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payroll row")
        verbose_name_plural = _("payroll")
        # placement_id, not placement: "placement" would sort by Placement's own ordering, joining and sorting
        # a whole month on every page; the index below serves this order and month filters.
        ordering = ["-month", "placement_id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="payroll_unique_placement_month",
                                    violation_error_message=_("This placement already has payroll for this month.")),
            models.CheckConstraint(condition=Q(month__day=1), name="payroll_month_first_day",
                                   violation_error_message=_("A payroll month is stored as its first day.")),
            models.CheckConstraint(condition=Q(days_worked__lte=31), name="payroll_days_at_most_31",
                                   violation_error_message=_("A month has at most 31 days.")),
        ]
        indexes = [models.Index(fields=["-month", "placement"], name="payroll_month_placement")]

    def __str__(self):
        return f"{self.placement} {self.month:%Y-%m}"


class Training(models.Model):
    SCOPE = {
        "township": "organizer_workshop__village__township",
        "workshop": "organizer_workshop",
        "village": "@township",
        "cooperative": "@township",
    }

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    organizer_workshop = models.ForeignKey("workshops.Workshop", verbose_name=_("organizer workshop"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="trainings")
    organizer_enterprise = models.ForeignKey("industries.Enterprise", verbose_name=_("organizer enterprise"),
                                             null=True, blank=True, on_delete=models.PROTECT, related_name="trainings")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="training_ends_after_start",
                                   violation_error_message=_("A training cannot end before it starts.")),
        ]

    def __str__(self):
        return self.name


class TrainingCompletion(models.Model):
    SCOPE = {
        "township": "worker__village__township",
        "workshop": "training__organizer_workshop",
        "village": "worker__village",
        "cooperative": "worker__memberships__cooperative",
    }

    training = models.ForeignKey(Training, verbose_name=_("training"), on_delete=models.PROTECT,
                                 related_name="completions")
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.PROTECT,
                               related_name="training_completions")
    certificate_level = models.CharField(_("certificate level"), max_length=16, choices=CertificateLevel.choices,
                                         default=CertificateLevel.NONE)
    completed_on = models.DateField(_("completed on"))

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        constraints = [
            models.UniqueConstraint(fields=["training", "worker"], name="completion_unique_worker_training",
                                    violation_error_message=_("This worker has already completed this training.")),
        ]

    def __str__(self):
        return f"{self.worker} · {self.training}"
