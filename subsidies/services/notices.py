"""Recording that a run's public notice (公示) was posted in a township (or one of its villages)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict
from accounts.permissions import require

from ..models import RunNotice, SubsidyRun
from ..notices import NOTICE_STATUSES, notice_period


def notice_post(*, actor, run: SubsidyRun, township, posted_on, village=None, office: str = "",
                phone: str = "") -> RunNotice:
    """County staff, or the township's own officer, record the notice as posted on `posted_on`;
    its period ends five working days later (Monday–Friday). Once per run and place."""
    require(actor, "subsidies.notice.post", township,
            message=_("Only county staff and the township's officer record its public notice."))
    if SubsidyRun.objects.filter(pk=run.pk).values_list("status", flat=True).first() not in NOTICE_STATUSES:
        raise Conflict(_("Only a submitted, approved or paid run is publicly noticed."), code="run_not_noticeable")
    if village is not None and village.township_id != township.pk:
        raise ValidationError({"village": _("This village is not in the township.")})
    if posted_on is None:
        raise ValidationError({"posted_on": _("Enter the date the notice was posted.")})
    start, end = notice_period(posted_on)
    notice = RunNotice(run=run, township=township, village=village, posted_on=start, ends_on=end,
                       office=office, phone=phone, posted_by=actor if getattr(actor, "pk", None) else None)
    try:
        with transaction.atomic():
            notice.save()
            audit.record(actor, "subsidy_run.notice_post", run, {
                "notice": [None, f"{township.code}{'/' + village.code if village else ''}"],
                "posted_on": [None, f"{start:%Y-%m-%d}"], "ends_on": [None, f"{end:%Y-%m-%d}"]})
    except IntegrityError:
        raise Conflict(_("This notice has already been posted."), code="notice_posted") from None
    return notice
