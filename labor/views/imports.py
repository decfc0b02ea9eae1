"""Spreadsheet imports on pages: template download, upload, preview with every problem, then import
every valid row or nothing; a progress bar polls while a large file is worked on."""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from accounts.xlsx import Column, XlsxWriter
from core.errors import REFUSALS, add_form_errors, add_page_message
from core.pages import XLSX_TYPE, PermissionRequiredMixin
from core.queue import BackgroundUnavailable

from .. import filtersets, forms, selectors
from ..choices import ImportKind, ImportStatus
from ..imports import services as imports
from ..imports import workers
from ..imports.columns import COLUMNS
from ..imports.examples import example_row

PERMISSION = "labor.import.use"


class ImportUploadView(PermissionRequiredMixin, FormView):
    permission = PERMISSION
    form_class = forms.ImportUploadForm
    template_name = "labor/import_upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # ?status=preview&mine=true: the to-do's imports awaiting confirmation (issue 14)
        context["jobs"] = filtersets.ImportJobFilterSet(self.request.GET, request=self.request,
                                                        queryset=selectors.import_list(user=self.request.user)).qs[:20]
        context["kinds"] = ImportKind.choices
        return context

    def form_valid(self, form):
        try:
            job = imports.import_upload(actor=self.request.user, kind=form.cleaned_data["kind"],
                                        upload=form.cleaned_data["file"])
        except BackgroundUnavailable as exc:
            messages.error(self.request, exc.message)  # the job is stored, failed with the reason: retry it later
            job = selectors.import_list(user=self.request.user).first()
            return redirect("labor-import-detail", pk=job.pk) if job else redirect("labor-import-upload")
        except REFUSALS as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        return redirect("labor-import-detail", pk=job.pk)


class ImportDetailView(PermissionRequiredMixin, DetailView):
    permission = PERMISSION
    template_name = "labor/import_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return selectors.import_list(user=self.request.user)

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["labor/includes/import_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        context["working"] = job.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)
        context["deciding"] = job.status == ImportStatus.PREVIEW
        # Failed, or stuck (its worker died, or its message was lost): the page offers to check it again.
        context["retryable"] = bool(job.file) and imports.is_retryable(job)
        context["category_changes"] = workers.changes_category(job.updates) if job.kind == ImportKind.WORKERS else 0
        return context


class ImportConfirmView(PermissionRequiredMixin, View):
    permission = PERMISSION

    def post(self, request, pk):
        job = selectors.import_list(user=request.user).filter(pk=pk).first()
        if job is None:
            raise Http404
        choice = "valid" if request.POST.get("import_rows") == "valid" else "nothing"
        try:
            job = imports.import_confirm(actor=request.user, job=job, import_rows=choice,
                                         confirm_category=request.POST.get("confirm_category") == "1")
        except REFUSALS as exc:
            add_page_message(request, exc)
        else:
            if job.status == ImportStatus.DONE:
                messages.success(request, _("Imported: %(created)s new, %(updated)s updated.")
                                 % {"created": job.created_count, "updated": job.updated_count})
            elif job.status == ImportStatus.DISCARDED:
                messages.info(request, _("Nothing was imported."))
        return redirect(reverse("labor-import-detail", args=[pk]))


class ImportRetryView(PermissionRequiredMixin, View):
    """A failed or stuck import (its worker died, the data changed since the check, ...) is checked again."""

    permission = PERMISSION

    def post(self, request, pk):
        job = selectors.import_list(user=request.user).filter(pk=pk).first()
        if job is None:
            raise Http404
        try:
            imports.import_retry(actor=request.user, job=job)
        except REFUSALS as exc:
            add_page_message(request, exc)
        return redirect(reverse("labor-import-detail", args=[pk]))


class ImportTemplateView(PermissionRequiredMixin, View):
    """The template: Chinese headers and one example row."""

    permission = PERMISSION

    def get(self, request, kind):
        if kind not in ImportKind.values:
            raise Http404
        columns = COLUMNS[kind]
        buffer = io.BytesIO()
        with XlsxWriter(buffer) as writer:
            writer.sheet(str(ImportKind(kind).label), [Column(str(c.header), c.width) for c in columns],
                         [example_row(kind, request.user)])
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="import-{kind}-template.xlsx"'
        return response
