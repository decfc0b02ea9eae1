from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import status
from .pages import requires


@never_cache
@requires("core.system_status.view")
def system_status(request):
    """系统状态, for county administrators: is the beat alive, what waits in the queues, which jobs
    run or failed, when the last backup finished."""
    return render(request, "core/system_status.html", {
        "beat": status.beat_status(), "queues": status.queue_lengths(), "jobs": status.job_counts(),
        "backup": status.last_backup(), "broker": bool(settings.CELERY_BROKER_URL),
    })
