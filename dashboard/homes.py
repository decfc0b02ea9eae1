"""What each role's home page shows besides its to-do (issue 14): a broker's village (我的村) and a
workshop operator's workshop. A fixed number of queries each, whatever the data size; every figure
links to the list page filtered to exactly the rows it counts."""

from django.utils import timezone

from core.months import month_end, month_start
from labor import selectors as labor
from workshops import selectors as workshops

from .todo import link


def broker_home(user, today=None) -> dict:
    """The broker's village: its workers, this month's placements there, the broker's own referrals."""
    today = today or timezone.localdate()
    first, last = month_start(today), month_end(today)
    placements = labor.placement_list(user=user).filter(start_date__gte=first, start_date__lte=last)
    return {
        "village": user.village,
        "month": first,
        "workers_count": labor.worker_list(user=user).count(),
        "workers_url": link("labor-worker-list"),
        "placements_count": placements.count(),
        "placements_url": link("labor-placement-list", started_from=f"{first:%Y-%m-%d}",
                               started_to=f"{last:%Y-%m-%d}"),
        "summary": labor.broker_summary(user=user),
        "recent": labor.recent_referrals(user=user, limit=5),
        "my_referrals_url": link("labor-referral-list", mine="true"),
    }


def operator_home(user, today=None) -> dict:
    """The operator's workshop: its certification state (the latest decision), headcount and criteria."""
    workshop = workshops.workshop_list(user=user).filter(pk=user.workshop_id).first()
    latest = workshops.certification_history(workshop=workshop).first() if workshop is not None else None
    return {
        "workshop": workshop,
        "latest_certification": latest,
        "criteria": workshops.criteria_thresholds(),
        "payroll_url": link("labor-payroll-list", workshop=workshop.pk) if workshop is not None else "",
    }
