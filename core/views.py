from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import status

# accounts.choices.Role.COUNTY_ADMIN: core sits below accounts and imports no app, so it names the role.
COUNTY_ADMIN = "county_admin"


@never_cache
@login_required
def system_status(request):
    """系统状态, for county administrators: is the beat alive, what waits in the queues, which jobs
    run or failed, when the last backup finished."""
    if getattr(request.user, "role", None) != COUNTY_ADMIN:
        raise PermissionDenied
    return render(request, "core/system_status.html", {
        "beat": status.beat_status(), "queues": status.queue_lengths(), "jobs": status.job_counts(),
        "backup": status.last_backup(), "broker": bool(settings.CELERY_BROKER_URL),
    })
