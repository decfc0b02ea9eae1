"""What brokers and townships do around placements: referrals, follow-up visits, job fairs,
returnees."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ReferralOutcome


class JobFair(models.Model):
    """A recruitment event (专场招聘) held by a township."""

    SCOPE = {"township": "township", "village": "@township", "cooperative": "@township", "workshop": "@township"}

    township = models.ForeignKey("regions.Township", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="job_fairs")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=100)
    workshops = models.ManyToManyField("workshops.Workshop", verbose_name=_("workshops taking part"), blank=True,
                                       related_name="job_fairs")
    attendees = models.PositiveIntegerField(_("attendees"), default=0)

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"


class Referral(models.Model):
    """A broker proposes a worker for a post; the workshop decides. A hired referral creates the placement."""

    SCOPE = {
        "township": "post__workshop__village__township",
        "workshop": "post__workshop",
        "village": "worker__village",
        "cooperative": "worker__memberships__cooperative",
    }

    broker = models.ForeignKey("labor.Broker", verbose_name=_("broker"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="referrals")
    worker = models.ForeignKey("labor.Worker", verbose_name=_("worker"), on_delete=models.PROTECT,
                               related_name="referrals")
    post = models.ForeignKey("workshops.Post", verbose_name=_("post"), on_delete=models.PROTECT,
                             related_name="referrals")
    job_fair = models.ForeignKey(JobFair, verbose_name=_("job fair"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="referrals")
    proposed_on = models.DateField(_("proposed on"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReferralOutcome.choices,
                               default=ReferralOutcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    placement = models.OneToOneField("labor.Placement", verbose_name=_("placement"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="referral")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ReferralOutcome.PENDING, decided_on__isnull=True)
                | (~Q(outcome=ReferralOutcome.PENDING) & Q(decided_on__isnull=False)),
                name="referral_decided_has_date",
                violation_error_message=_("A decided referral needs its decision date, a pending one has none."),
            ),
            models.UniqueConstraint(fields=["worker", "post"], condition=Q(outcome=ReferralOutcome.PENDING),
                                    name="referral_one_pending_per_worker_post",
                                    violation_error_message=_("This worker is already proposed for this post.")),
        ]

    def __str__(self):
        return f"{self.worker} → {self.post}"


class FollowUp(models.Model):
    """A broker's follow-up visit to a placed worker."""

    SCOPE = {
        "township": "placement__workshop__village__township",
        "workshop": "placement__workshop",
        "village": "placement__worker__village",
        "cooperative": "placement__worker__memberships__cooperative",
    }

    placement = models.ForeignKey("labor.Placement", verbose_name=_("placement"), on_delete=models.PROTECT,
                                  related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    still_employed = models.BooleanField(_("still employed"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.placement} {self.visited_on:%Y-%m-%d}"


class Returnee(models.Model):
    """A migrant worker back home (返乡), possibly with an enterprise they founded."""

    SCOPE = {
        "township": "worker__village__township",
        "village": "worker__village",
        "cooperative": "worker__memberships__cooperative",
        "workshop": "worker__placements__workshop",
    }

    worker = models.OneToOneField("labor.Worker", verbose_name=_("worker"), on_delete=models.PROTECT,
                                  related_name="return_record")
    returned_on = models.DateField(_("returned on"))
    enterprise = models.ForeignKey("industries.Enterprise", verbose_name=_("enterprise founded"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="founders")

    class Meta:
        verbose_name = _("returnee")
        verbose_name_plural = _("returnees")
        ordering = ["-returned_on", "-id"]

    def __str__(self):
        return str(self.worker)
