"""The one export path: every list page's "下载Excel" becomes a `Download` that a worker builds.

The page's export action (`start`) records the list (its URL name and arguments), the query parameters
and the language, queues the task and redirects to the download's page: the request never builds the
file. The task (`build`) rebuilds the list exactly as the page does for the download's owner (the same
view class: its selector, FilterSet, table class and ordering, so scope and masking are the page's) and
streams it: `values_list()` of the paths the table's columns declare, `.iterator()`, and
accounts.xlsx.StreamingXlsx (a sheet written as rows come; openpyxl's write-only mode was 50x slower).

A table exports without model instances: each column's accessor is a field path; a foreign key is
written as the related object's text (looked up once per object), a field with choices as its label, a
`DateColumn` with a format in that format. A column class may define `export_format(table)` returning a
function of the raw value (masking, the age in place of a birth date), a table `value_<column>(value)`.
Anything else (a property, a method) needs an entry in the table's `export_columns`:
`{"column name": Export("field__path", format)}`, or several paths whose values `format` receives as a
tuple (`Export(("actor__username", "action"), format)`) for a cell made of more than one field.

A paper that is not a list (a run's report, its public notice, its payment sheets) takes the same path:
its app registers a `Paper` under the URL name of the page it is printed from (`register`), the page's
"Excel" calls `start_paper` (a Download for the user, queued, a redirect to its page), and the task calls
the paper's `write(download, path, progress)`, which reads for the download's owner (their scope and
masking) and writes the workbook; scope, progress, lease, expiry and 我的下载 are the same as a list's."""

import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import islice

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.utils import dateformat, timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from accounts import audit
from accounts.xlsx import Column, StreamingXlsx

from . import jobs, queue
from .models import Download, DownloadStatus, default_expiry

logger = logging.getLogger(__name__)

CHUNK = 2000  # rows fetched per round trip (a server-side cursor on PostgreSQL) and labels looked up per batch
PROGRESS_EVERY = 5000  # rows between progress writes (each also renews the lease)


def progress_every() -> int:
    return int(os.environ.get("WANYUAN_EXPORT_PROGRESS_EVERY") or PROGRESS_EVERY)


def _test_row_pause() -> float:
    """Tests only: WANYUAN_TEST_EXPORT_ROW_PAUSE=<seconds> slows every row down, so a test can watch the
    progress move. Unset (always, outside tests) it does nothing."""
    return float(os.environ.get("WANYUAN_TEST_EXPORT_ROW_PAUSE") or 0)
DROPPED_PARAMETERS = ("export", "page", "per_page")


@dataclass(frozen=True)
class Export:
    """How a column is exported when its accessor is not a field path: the path to read with
    `values_list()` and a function turning the raw value into the cell's value."""

    path: str | tuple[str, ...]  # a tuple: `format` gets the tuple of their values
    format: Callable | None = None
    format_none: bool = False  # also call `format` for an empty value (otherwise it stays an empty cell)


@dataclass
class ExportField:
    name: str
    header: str
    path: str
    format: Callable | None = None
    labels: type | None = None  # a related model: the raw value is its pk, written as str(object)
    format_none: bool = False


class _LeaseLost(Exception):
    pass


@dataclass(frozen=True)
class Paper:
    """An export that is not a list page. `name`: the URL name of the page it comes from (stored as the
    download's `list_name`, so "back to the list" leads to that page); `write(download=, path=, progress=)`
    writes the workbook at `path` for `download.owner` (raising Http404 / PermissionDenied as the page
    would) and returns the rows written; `progress(done, total=None)` reports progress (call it per row;
    `total` once known) and renews the lease. `filename(download)`: the file's name without its suffix."""

    name: str
    write: Callable
    filename: Callable


PAPERS: dict[str, Paper] = {}


def register(paper: Paper) -> None:
    """An app's papers, registered at app-ready time (core imports nothing above it)."""
    PAPERS[paper.name] = paper


# --- the page's side ----------------------------------------------------------------------------

def start(view):
    """The export action of a list view: a new Download for the user, queued; a redirect to its page.
    If the task queue is down the download is failed with the reason and the user reads it there."""
    request = view.request
    query = request.GET.copy()
    for name in DROPPED_PARAMETERS:
        query.pop(name, None)
    match = request.resolver_match
    view.get_queryset()  # the list's own checks first (a run outside the scope is a 404); it sets what a title needs
    title = str(view.title or view.export_name)
    try:
        download = request_download(owner=request.user, title=title, list_name=match.view_name,
                                    list_kwargs=dict(match.kwargs), query=query.urlencode(),
                                    language=translation.get_language() or settings.LANGUAGE_CODE)
    except queue.BackgroundUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("core-download-detail", pk=exc.download.pk)
    messages.info(request, _("The Excel file is being prepared; it will appear in My downloads."))
    return redirect("core-download-detail", pk=download.pk)


def start_paper(request, *, name: str, kwargs: dict, title: str, query: dict | None = None):
    """The "Excel" of a paper page (a registered `Paper`): a Download for the user, queued, and a redirect
    to its page. The page checks permission and scope first; the worker reads again as the owner."""
    if name not in PAPERS:
        raise ImproperlyConfigured(f"{name} is not a registered paper")
    params = QueryDict(mutable=True)
    for key, value in (query or {}).items():
        if value not in (None, ""):
            params[key] = str(value)
    try:
        download = request_download(owner=request.user, title=title, list_name=name, list_kwargs=kwargs,
                                    query=params.urlencode(),
                                    language=translation.get_language() or settings.LANGUAGE_CODE)
    except queue.BackgroundUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("core-download-detail", pk=exc.download.pk)
    messages.info(request, _("The Excel file is being prepared; it will appear in My downloads."))
    return redirect("core-download-detail", pk=download.pk)


def request_download(*, owner, title: str, list_name: str, list_kwargs=None, query: str = "",
                     language: str = "", enqueue: bool = True) -> Download:
    """Record a download and queue it once the row is committed. Raises BackgroundUnavailable, with
    the download failed and why, when the task queue is down."""
    download = None
    try:
        with transaction.atomic():
            download = Download.objects.create(owner=owner, title=title[:200], list_name=list_name,
                                               list_kwargs=list_kwargs or {}, query=query,
                                               language=language or settings.LANGUAGE_CODE)
            # a file of personal data leaves the portal: who asked for which list with which filters
            audit.record(owner, "download.request", download, {"list_name": [None, list_name], "query": [None, query]})
            if enqueue:
                _queue_on_commit(download.pk)
    except queue.BackgroundUnavailable as exc:
        exc.download = download  # failed, with the reason, by the queue's on_unavailable
        raise
    return download


def retry(*, actor, download: Download) -> Download:
    """A failed download again, from the start (same list, same parameters, a new expiry)."""
    if download.owner_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():  # on commit: queued; BackgroundUnavailable (and failed again) if the queue is down
        updated = Download.objects.filter(pk=download.pk, status=DownloadStatus.FAILED).update(
            status=DownloadStatus.QUEUED, error="", rows_done=0, rows_total=0, attempts=0, finished_at=None,
            created_at=timezone.now(), expires_at=default_expiry(),
            **jobs.released())
        if updated:
            audit.record(actor, "download.retry", download, {"status": [DownloadStatus.FAILED, DownloadStatus.QUEUED]})
            _queue_on_commit(download.pk)
    download.refresh_from_db()
    return download


def _queue_on_commit(pk: int) -> None:
    from .tasks import export_download

    def unavailable(reason):
        Download.objects.filter(pk=pk, status=DownloadStatus.QUEUED).update(status=DownloadStatus.FAILED,
                                                                             error=reason)

    transaction.on_commit(lambda: queue.send(export_download, pk, on_unavailable=unavailable))


# --- the worker's side --------------------------------------------------------------------------

def rebuild(download: Download):
    """(view, table, queryset) of the download's list as its owner sees it with its parameters."""
    path = reverse(download.list_name, kwargs=download.list_kwargs or None)
    match = resolve(path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not hasattr(view_class, "export_xlsx"):
        raise ImproperlyConfigured(f"{download.list_name} is not a list page that exports")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(download.query)
    request.user = download.owner
    request.resolver_match = match
    request.LANGUAGE_CODE = translation.get_language()
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    roles = getattr(view, "roles", None)
    if roles is not None and download.owner.role not in roles:
        raise PermissionDenied
    filterset_class = view.get_filterset_class()
    kwargs = view.get_filterset_kwargs(filterset_class)
    kwargs["data"] = request.GET  # bound even without parameters, like the page's export link
    filterset = filterset_class(**kwargs)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    from django_tables2 import RequestConfig

    table = view.get_table_class()(queryset, **view.get_table_kwargs())
    RequestConfig(request, paginate=False).configure(table)  # the page's ?sort=
    return view, table, table.data.data


def export_fields(table, queryset) -> list[ExportField]:
    """The table's exported columns (as `as_values()` picks them), each with a path and a formatter."""
    overrides = getattr(table, "export_columns", {}) or {}
    model = queryset.model
    annotations = set(queryset.query.annotations)
    fields = []
    for bound in table.columns:
        column = bound.column
        if column.exclude_from_export:
            continue
        name, header = bound.name, str(bound.header)
        if name in overrides:
            spec = overrides[name]
            fields.append(ExportField(name, header, spec.path, spec.format, format_none=spec.format_none))
            continue
        path = str(bound.accessor).replace(".", "__")
        field = _field_at(model, path)
        formatter, labels = None, None
        if field is None and path not in annotations:
            raise ImproperlyConfigured(f"{type(table).__name__}.{name}: {path} is neither a field nor an annotation; "
                                       f"give the table an export_columns entry")
        if hasattr(column, "export_format"):
            formatter = column.export_format(table)
        elif field is not None and (field.many_to_many or field.one_to_many):
            raise ImproperlyConfigured(f"{type(table).__name__}.{name}: a to-many path needs an export_columns entry")
        elif field is not None and field.is_relation:
            labels = field.related_model
        elif field is not None and field.choices:
            formatter = _choices(field)
        elif _is_formatted_date(column):
            formatter = _date_format(column)
        elif _is_boolean(column):
            yes, no = column.yesno[0], column.yesno[1]
            formatter = lambda value, yes=yes, no=no: yes if value else no  # noqa: E731
        table_value = _table_value(table, name)
        if table_value is not None:
            formatter = _chain(formatter, table_value)
        fields.append(ExportField(name, header, path, formatter, labels))
    return fields


def rows(fields: list[ExportField], queryset):
    """The cells of every row, streamed: values_list over a server-side cursor, labels of related
    objects looked up once per object, a batch at a time."""
    flat, spans = [], []
    for f in fields:
        paths = f.path if isinstance(f.path, tuple) else (f.path,)
        spans.append((len(flat), len(paths)) if isinstance(f.path, tuple) else (len(flat), None))
        flat.extend(paths)
    values = queryset.prefetch_related(None).values_list(*flat)
    iterator = values.iterator(chunk_size=CHUNK)
    if len(flat) != len(fields):  # a cell made of several fields gets their values as one tuple
        iterator = (tuple(raw[start] if n is None else raw[start:start + n] for start, n in spans)
                    for raw in iterator)
    labelled = [(i, f.labels) for i, f in enumerate(fields) if f.labels is not None]
    caches = {i: {None: ""} for i, _model in labelled}
    formatters = [(i, f.format, f.format_none) for i, f in enumerate(fields) if f.format is not None]
    while True:
        batch = list(islice(iterator, CHUNK))
        if not batch:
            return
        for i, model in labelled:
            cache = caches[i]
            missing = {row[i] for row in batch} - cache.keys()
            if missing:
                found = model._base_manager.in_bulk(missing)
                cache.update({pk: str(found[pk]) if pk in found else "" for pk in missing})
        for row in batch:
            if not labelled and not formatters:
                yield row
                continue
            row = list(row)
            for i, _model in labelled:
                row[i] = caches[i][row[i]]
            for i, formatter, format_none in formatters:
                if format_none or row[i] is not None:
                    row[i] = formatter(row[i])
            yield row


def build(*, download_id: int) -> Download:
    """Build a queued download (or one whose worker died) under a lease renewed with the progress; a
    delivery that finds it done, failed or held by a live worker does nothing."""
    claimable = Q(status=DownloadStatus.QUEUED) | (
        Q(status=DownloadStatus.RUNNING, attempts__lt=jobs.MAX_ATTEMPTS) & jobs.lapsed())
    download = Download.objects.select_related("owner").get(pk=download_id)
    token = jobs.claim(Download.objects.filter(claimable, pk=download_id), status=DownloadStatus.RUNNING,
                       error="", rows_done=0)
    if token is None:
        download.refresh_from_db()
        return download
    mine = Download.objects.filter(pk=download_id, lease_token=token)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        every, pause = progress_every(), _test_row_pause()

        def progress(done, total=None):
            if total is not None:
                mine.update(rows_total=total)
            if pause:
                time.sleep(pause)
            if done and done % every == 0 and not mine.update(rows_done=done, lease_expires_at=jobs.lease_until()):
                raise _LeaseLost  # swept or taken over: stop writing a file nobody will get

        paper = PAPERS.get(download.list_name)
        with translation.override(download.language or settings.LANGUAGE_CODE):
            if paper is not None:
                jobs.test_pause(lambda: Download.objects.get(pk=download_id))
                written = paper.write(download=download, path=path, progress=progress)
                export_name = paper.filename(download)
            else:
                view, table, queryset = rebuild(download)
                fields = export_fields(table, queryset)
                total = queryset.count()
                mine.update(rows_total=total)
                jobs.test_pause(lambda: Download.objects.get(pk=download_id))
                written = StreamingXlsx(path).write(download.title or view.export_name,
                                                    [Column(f.header, 18) for f in fields], rows(fields, queryset),
                                                    on_row=progress)
                export_name = view.export_name
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with open(path, "rb") as stream:
            download.file.save(f"{export_name}-{stamp}-{download.pk}.xlsx", File(stream), save=False)
        if not mine.update(status=DownloadStatus.DONE, file=download.file.name, file_size=os.path.getsize(path),
                           rows_done=written, rows_total=written, finished_at=timezone.now(), **jobs.released()):
            download.file.delete(save=False)
    except _LeaseLost:
        logger.warning("download %s: the lease was lost; stopped", download_id)
    except Exception as exc:
        logger.exception("download %s failed", download_id)
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The export failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:1500]}
        mine.update(status=DownloadStatus.FAILED, error=reason, finished_at=timezone.now(), **jobs.released())
    finally:
        os.unlink(path)
    download.refresh_from_db()
    return download


def prune_expired(now=None) -> int:
    """Beat: delete downloads past their expiry, and their files. Returns how many."""
    now = now or timezone.now()
    count = 0
    for download in Download.objects.filter(expires_at__lt=now).exclude(status=DownloadStatus.RUNNING).iterator():
        if download.file:
            download.file.delete(save=False)
        download.delete()
        count += 1
    return count


# --- helpers ------------------------------------------------------------------------------------

def _field_at(model, path: str):
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    return field


def _choices(field):
    labels = {value: str(label) for value, label in field.flatchoices}
    return lambda value: labels.get(value, value)


def _is_formatted_date(column) -> bool:
    from django_tables2.columns import DateColumn

    return isinstance(column, DateColumn) and "SHORT_DATE_FORMAT" not in column.template_code


def _date_format(column):
    template = column.template_code
    fmt = template.split('date:"', 1)[1].split('"', 1)[0]

    @lru_cache(maxsize=4096)  # a list repeats its dates (a payroll month on every row)
    def format_date(value):
        if isinstance(value, date | datetime):
            return dateformat.format(timezone.localtime(value) if isinstance(value, datetime) else value, fmt)
        return value

    return format_date


def _is_boolean(column) -> bool:
    from django_tables2.columns import BooleanColumn

    return isinstance(column, BooleanColumn)


def _table_value(table, name):
    method = getattr(table, f"value_{name}", None)
    if method is not None:
        return lambda value: method(value=value)
    method = getattr(table, f"render_{name}", None)
    if method is not None:
        return lambda value: strip_tags(str(method(value=value)))
    return None


def _chain(first, second):
    if first is None:
        return second
    return lambda value: second(first(value))


def list_url(download: Download) -> str:
    """The list page the download was made from, with its parameters."""
    url = reverse(download.list_name, kwargs=download.list_kwargs or None)
    return f"{url}?{download.query}" if download.query else url

