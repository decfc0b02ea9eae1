"""我的下载: the user's Excel exports (core.exports), their progress and their files. A file is only
ever served here, to its owner; /media/ is not served."""

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import exports, queue
from .models import Download, DownloadStatus
from .pages import requires

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LISTED = 100


def _own(request, pk) -> Download:
    return get_object_or_404(Download.objects.filter(owner=request.user, expires_at__gt=timezone.now()), pk=pk)


@never_cache
@requires("core.download.view")
def download_list(request):
    downloads = Download.objects.filter(owner=request.user, expires_at__gt=timezone.now())[:LISTED]
    return render(request, "core/download_list.html", {"downloads": downloads})


@never_cache
@requires("core.download.view")
def download_detail(request, pk):
    download = _own(request, pk)
    return render(request, "core/download_detail.html", {"download": download, "rows_text": rows_text(download),
                                                          "list_url": _list_url(download)})


@never_cache
@requires("core.download.view")
def download_status(request, pk):
    download = _own(request, pk)
    return JsonResponse({
        "status": download.status, "status_display": download.get_status_display(),
        "rows_done": download.rows_done, "rows_total": download.rows_total, "percent": download.percent,
        "rows_text": rows_text(download), "error": download.error, "finished": download.finished,
        "file_url": reverse("core-download-file", args=[download.pk]) if download.status == DownloadStatus.DONE
        else None,
    })


@never_cache
@requires("core.download.view")
def download_file(request, pk):
    download = _own(request, pk)
    if download.status != DownloadStatus.DONE or not download.file:
        raise Http404
    try:
        stream = download.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stream, as_attachment=True, filename=download.filename, content_type=XLSX_TYPE)


@requires("core.download.view")
@require_POST
def download_retry(request, pk):
    download = _own(request, pk)
    if download.status != DownloadStatus.FAILED:
        messages.info(request, _("Only a failed download can be retried."))
        return redirect("core-download-detail", pk=download.pk)
    try:
        exports.retry(actor=request.user, download=download)
        messages.info(request, _("The Excel file is being prepared again."))
    except queue.BackgroundUnavailable as exc:
        messages.error(request, exc.message)
    return redirect("core-download-detail", pk=download.pk)


def rows_text(download) -> str:
    return _("%(done)s of %(total)s rows written") % {"done": intcomma(download.rows_done),
                                                       "total": intcomma(download.rows_total)}


def _list_url(download):
    try:
        return exports.list_url(download)
    except Exception:  # a list renamed since: the download itself is still fine
        return ""
