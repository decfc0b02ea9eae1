"""A spreadsheet import: the uploaded file, its row-by-row report, and what became of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs import LeasedJob

from ..choices import ImportKind, ImportStatus


class ImportJob(LeasedJob):
    # Reports are the uploader's own (selectors.import_list); no area path is declared.
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices,
                              default=ImportStatus.VALIDATING)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)  # [{"row", "column", "message"}]
    error = models.TextField(_("error"), blank=True)
    # The check's preview of rows that change records already registered (labor.imports.values.Checked.updates).
    updates = models.JSONField(_("updates"), default=list, blank=True)
    # When the check read the database: rows changed after it make the apply refuse (never backwards).
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)

    # A worker holds a checking or importing job's lease (core.jobs); the sweeper fails it if the worker dies.
    LEASE_STATUSES = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.filename

    @property
    def progress(self) -> int:
        return min(100, round(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0
