"""Beat tasks of the core app."""

from celery import shared_task

from . import jobs, sweeper


@shared_task
def sweep_expired_leases() -> dict:
    """Every minute (beat): jobs whose worker died end `failed`, with a reason, ready to retry."""
    return sweeper.sweep()


@shared_task(**jobs.TASK_OPTIONS)
def export_download(self, download_id: int) -> str:
    """A list page's "下载Excel": rebuild the list for the download's owner and stream it to a file."""
    from . import exports

    download = exports.build(download_id=download_id)
    jobs.retry_while_held(self, download)
    return download.status


@shared_task
def prune_expired_downloads() -> int:
    """Hourly (beat): downloads past their 7 days are deleted with their files."""
    from . import exports

    return exports.prune_expired()
