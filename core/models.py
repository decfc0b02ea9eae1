"""Models of the core app: the background Excel export of a list page (我的下载) and the filters people
save on a list page (常用筛选)."""

import os
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .jobs import LeasedJob

DOWNLOAD_KEEP_DAYS = 7


def download_path(instance, filename: str) -> str:
    # Under MEDIA_ROOT/downloads/, never served as /media/: only the owner's download view reads it.
    return f"downloads/{instance.owner_id}/{filename}"


def default_expiry():
    return timezone.now() + timedelta(days=DOWNLOAD_KEEP_DAYS)


class DownloadStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Download(LeasedJob):
    """One "下载Excel" of a list page: the list (its URL name and arguments) and the query parameters
    the user had, rebuilt for its owner and streamed to a file by a worker; kept 7 days."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="downloads")
    title = models.CharField(_("title"), max_length=200)
    list_name = models.CharField(_("list"), max_length=100)
    list_kwargs = models.JSONField(_("list arguments"), default=dict, blank=True)
    query = models.TextField(_("query parameters"), blank=True, default="")
    language = models.CharField(_("language"), max_length=16, blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=DownloadStatus.choices,
                              default=DownloadStatus.QUEUED)
    error = models.TextField(_("reason"), blank=True, default="")
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=download_path, blank=True, max_length=300)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry, db_index=True)

    LEASE_STATUSES = (DownloadStatus.RUNNING,)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_download_owner_idx")]

    def __str__(self):
        return f"{self.title} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == DownloadStatus.DONE:
            return 100
        return min(100, int(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def filename(self) -> str:
        return os.path.basename(self.file.name) if self.file else ""

    @property
    def finished(self) -> bool:
        return self.status in (DownloadStatus.DONE, DownloadStatus.FAILED)


class SavedFilter(models.Model):
    """A list page's filters saved under a name by one user, to reopen the list filtered that way; only its
    owner ever lists, opens or deletes it (accounts.scoping.UNSCOPED: a user's own)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="saved_filters")
    list_name = models.CharField(_("list"), max_length=100)  # the list page's URL name
    list_kwargs = models.JSONField(_("list arguments"), default=dict, blank=True)
    name = models.CharField(_("name"), max_length=50)
    query = models.TextField(_("query parameters"), blank=True, default="")
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "list_name", "list_kwargs", "name"],
                                               name="core_saved_filter_unique_name")]

    def __str__(self):
        return self.name
