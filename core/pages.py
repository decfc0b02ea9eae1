"""Building blocks for server-rendered pages, so every app lists, filters, exports, scopes and
refuses the same way: the app's selector gives the scoped queryset, its FilterSet (the one the API
uses) filters it, a django-tables2 table shows it, and `?export=xlsx` downloads the filtered list.

Every page names the permission it needs (`permission = "labor.import.use"`, asked through
accounts.permissions), or says it is open to every signed-in user (`SIGNED_IN`: their scope still
applies) or to anyone (`PUBLIC`). Registry pages (a list, a detail page, create and edit forms saved
through services) are declared per model as subclasses of the Record* views below."""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.permissions import can, require

from . import counts, exports
from .errors import REFUSALS, add_form_errors

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Declared instead of a permission name: every signed-in user (whose scope the selectors apply).
SIGNED_IN = "signed-in"
# Declared instead of a permission name: anyone, signed in or not.
PUBLIC = "public"


def check(user, permission, obj=None) -> None:
    """Raise PermissionDenied unless `user` may use a page declaring `permission`."""
    if permission is None:
        raise ImproperlyConfigured("a page must declare a permission, SIGNED_IN or PUBLIC")
    if permission in (SIGNED_IN, PUBLIC):
        return
    require(user, permission, obj)


class PermissionRequiredMixin(LoginRequiredMixin):
    """A signed-in user holding the view's `permission` (accounts.permissions), else 403."""

    permission: str | None = None

    def get_permission(self) -> str | None:
        return self.permission

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            check(request.user, self.get_permission())
        return super().dispatch(request, *args, **kwargs)


def requires(permission: str):
    """For function views: sign-in required, then `permission` (or SIGNED_IN); the name is kept on
    the view as `.permission` so the URLconf can be checked."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            check(request.user, permission)
            return view(request, *args, **kwargs)

        wrapped = login_required(checked)
        wrapped.permission = permission
        return wrapped

    return decorate


def public(view):
    """Marks a function view open to anyone (no sign-in)."""
    view.permission = PUBLIC
    return view


# A list's count is kept this long per (list, user and scope, filters), so paging and sorting through a big
# list counts its rows once (issue 13); counts under COUNT_CACHE_MIN_ROWS are cheap and never kept.
COUNT_CACHE_SECONDS = 60
# Not part of what a list counts: the page, its size, the order, an export request.
NOT_COUNTED = ("page", "per_page", "sort", "export")


def count_cache_key(request, user) -> str:
    query = request.GET.copy()
    for name in NOT_COUNTED:
        query.pop(name, None)
    match = request.resolver_match
    scope = (user.pk, user.role, *(getattr(user, f"{level}_id", None)
                                   for level in ("township", "village", "cooperative", "workshop")))
    raw = repr((match.view_name if match else request.path, sorted((match.kwargs if match else {}).items()),
                scope, sorted(query.lists())))
    return "list-count:" + hashlib.sha256(raw.encode()).hexdigest()


def deferred_join(sliced: QuerySet) -> list:
    """The rows of a sliced queryset read as a "deferred join": first the page's primary keys (the same
    filters and order, without the tables select_related joins, so OFFSET skips index entries instead of
    joined rows, and the planner sees the list's own filter and order alone), then those rows with their
    relations. CachedCountPaginator reads a list of LIST_DEFERRED_JOIN_MIN_ROWS rows or more this way.
    At scale 1: page 100 of the payroll joined 5,000 rows to throw 4,950 away (115 ms), now an index
    scan of 5,000 entries and 50 joined rows (8 + 8 ms); a run's first page of lines was planned as a scan
    of the primary key filtering out 69,848 other runs' lines (63 ms), its keys now come from the
    (run, id) index (0.1 ms). A queryset this cannot rewrite as-is (DISTINCT, GROUP BY, a UNION) is read
    as it is."""
    query = sliced.query
    if query.distinct or query.combinator or query.group_by is not None or query.high_mark is None:
        return list(sliced)
    low, high = query.low_mark, query.high_mark
    whole = sliced._chain()
    whole.query.clear_limits()
    keys = list(whole.values_list("pk", flat=True)[low:high])
    found = {row.pk: row for row in whole.filter(pk__in=keys)}
    return [found[key] for key in keys if key in found]


class CachedCountPaginator(Paginator):
    """Django's paginator whose count comes from an exact fast counter when one is registered for the list
    and can answer its filters (core.counts: never stale, never cached), else from the cache when the same
    list was counted for the same user and filters in the last COUNT_CACHE_SECONDS; `cached` says whether
    this page's count did."""

    def __init__(self, object_list, per_page, *args, count_key: str | None = None, **kwargs):
        self.count_key = count_key
        self.cached = False
        super().__init__(object_list, per_page, *args, **kwargs)

    @cached_property
    def count(self):
        queryset = self._queryset()
        exact = counts.exact_count(queryset) if queryset is not None else None
        if exact is not None:
            return exact
        found = self._cache("get", self.count_key) if self.count_key else None
        if found is not None:
            self.cached = True
            return found
        counted = len(self.object_list)
        if self.count_key and counted >= getattr(settings, "LIST_COUNT_CACHE_MIN_ROWS", 1000):
            self._cache("set", self.count_key, counted, COUNT_CACHE_SECONDS)
        return counted

    def page(self, number):
        self._ties_by_key()
        page = super().page(number)
        rows = page.object_list
        sliced = getattr(rows, "data", None)  # django-tables2's BoundRows over the sliced queryset
        if isinstance(sliced, QuerySet) and self.count >= getattr(settings, "LIST_DEFERRED_JOIN_MIN_ROWS", 1000):
            rows.data = deferred_join(sliced)
        return page

    def _ties_by_key(self):
        """A list sorted by a column is sorted by primary key within equal values, so its pages neither
        repeat nor skip a row: PostgreSQL returns ties in any order, and a page's key query (deferred_join)
        may order them otherwise than the next page's does."""
        table, queryset = getattr(self.object_list, "table", None), self._queryset()
        if table is None or not table.order_by or queryset is None:
            return
        ordering = list(queryset.query.order_by)
        if ordering and not any(str(field).lstrip("-") in ("pk", "id") for field in ordering):
            self.object_list.data.data = queryset.order_by(*ordering, "pk")

    def _queryset(self) -> QuerySet | None:
        """The list's queryset: the object list itself, or under django-tables2's BoundRows and TableQuerysetData."""
        rows = self.object_list
        queryset = rows if isinstance(rows, QuerySet) else getattr(getattr(rows, "data", None), "data", None)
        return queryset if isinstance(queryset, QuerySet) else None

    @staticmethod
    def _cache(method, *args):
        # The cache down (Redis stopped) costs a COUNT, never the page.
        try:
            return getattr(cache, method)(*args)
        except Exception as exc:  # noqa: BLE001 - any backend's connection error
            logger.warning("list count cache unavailable: %s", exc)
            return None


class ScopedListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    selector = None  # a function (*, user) -> QuerySet, from the app's selectors
    template_name = "includes/list.html"
    # The table paginates (one COUNT, kept for a minute: CachedCountPaginator); ListView's own paginate_by
    # would count the same rows a second time.
    table_pagination = {"per_page": 50}
    export_name = "export"
    title = ""
    # Buttons above the list, each shown to whom the permission allows: {context name: (URL name, permission)},
    # e.g. {"create_url": ("east-post-create", "labor.east_post.write")}.
    links: dict[str, tuple[str, str]] = {}

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    paginator_class = CachedCountPaginator

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        if isinstance(paginate, dict) and issubclass(paginate.get("paginator_class", object), CachedCountPaginator):
            paginate = {**paginate, "count_key": count_cache_key(self.request, self.request.user)}
        return paginate

    def get_context_data(self, **kwargs):
        from . import saved_filters

        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context.update({name: reverse(url_name) for name, (url_name, permission) in self.links.items()
                        if can(self.request.user, permission)})
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        context["export_query"] = query.urlencode()
        table = context.get("table")
        paginator = getattr(table, "paginator", None)
        if paginator is not None:
            context["row_count"] = paginator.count
            context["row_count_cached"] = getattr(paginator, "cached", False)
        match = self.request.resolver_match
        if match is not None and self.request.user.is_authenticated:
            context["saved_filters"] = [(saved, saved_filters.url_of(saved)) for saved in saved_filters.for_list(
                self.request.user, match.view_name, match.kwargs)]
            context["saved_filter_query"] = saved_filters.clean_query(self.request.GET)
        return context

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def export_xlsx(self):
        """A background export (core.exports): the Download is queued and the user sent to its page;
        the request never builds the file."""
        return exports.start(self)


class ScopedDetailView(PermissionRequiredMixin, DetailView):
    """A detail page whose object comes through the selector: outside the scope is a 404."""

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


def display_value(obj, model_field):
    if model_field.choices:
        return getattr(obj, f"get_{model_field.name}_display")()
    value = getattr(obj, model_field.name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else value


class Record:
    """What the four registry pages of one model share; a model's pages subclass its Record mixin
    and the Record* view they are (e.g. `class EnterpriseListView(EnterpriseRecord, RecordListView)`).

    URL names are "<record_name>-list", "-detail", "-create" and "-update"."""

    record_name = ""
    title = ""
    selector = None
    form_class = None
    write_permission: str | None = None  # creating and editing
    editable = True  # False: records that are only ever added (no edit page)

    def may_write(self, user) -> bool:
        return can(user, self.write_permission)

    def may_edit(self, user) -> bool:
        return self.editable and self.may_write(user)


class RecordListView(Record, ScopedListView):
    permission = SIGNED_IN  # every signed-in user reads the list of their scope
    template_name = "industries/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.may_write(self.request.user):
            # A list filtered to one parent (?cooperative=7) adds new rows to that parent.
            prefill = {name: value for name, value in self.request.GET.items()
                       if name in self.form_class.base_fields and value}
            context["create_url"] = reverse(f"{self.record_name}-create") + (
                f"?{urlencode(prefill)}" if prefill else "")
        return context


class RecordDetailView(Record, ScopedDetailView):
    permission = SIGNED_IN
    template_name = "industries/detail.html"
    exclude_from_detail: tuple = ()
    # Other lists filtered to this object, linked from its page: (title, list URL name, query parameter).
    # Links, not embedded rows: each list applies the viewer's scope itself.
    related: tuple = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["rows"] = [
            (f.verbose_name, display_value(obj, f)) for f in obj._meta.concrete_fields
            if f.name != "id" and f.name not in self.exclude_from_detail
        ]
        context["list_url"] = reverse(f"{self.record_name}-list")
        context["list_title"] = self.title
        context["related"] = [(title, f"{reverse(url_name)}?{urlencode({param: obj.pk})}")
                              for title, url_name, param in self.related]
        if self.may_edit(self.request.user):
            context["edit_url"] = reverse(f"{self.record_name}-update", args=[obj.pk])
        return context


class ServiceFormView(PermissionRequiredMixin, FormView):
    """The form checks the input, the service saves it; a service's refusal is shown on the form."""

    template_name = "industries/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except REFUSALS as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.get_success_url())


class RecordFormView(Record, ServiceFormView):
    def get_permission(self):
        return self.write_permission

    def get_success_url(self):
        return reverse(f"{self.record_name}-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.page_title()
        context["cancel_url"] = reverse(f"{self.record_name}-list")
        return context


class RecordCreateView(RecordFormView):
    create_service = None  # (*, actor, **cleaned_data) -> the new object

    def get_initial(self):
        # A link such as "add a member" from a cooperative's page (?cooperative=7) fills that field in.
        return {name: value for name, value in self.request.GET.items() if name in self.form_class.base_fields}

    def page_title(self):
        return _("New %(thing)s") % {"thing": self.form_class._meta.model._meta.verbose_name}

    def save(self, form):
        return type(self).create_service(actor=self.request.user, **form.cleaned_data)


class RecordUpdateView(RecordFormView):
    update_service = None  # (*, actor, <instance_arg>=obj, **cleaned_data) -> the object
    instance_arg = ""

    @cached_property
    def target(self):
        return self._get()

    def _get(self):
        try:
            return type(self).selector(user=self.request.user).get(pk=self.kwargs["pk"])
        except self.form_class._meta.model.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        # The form edits its own copy: the service then sees what really changed.
        return {**super().get_form_kwargs(), "instance": self._get()}

    def page_title(self):
        return _("Edit %(thing)s") % {"thing": self.target}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse(f"{self.record_name}-detail", args=[self.target.pk])
        return context

    def save(self, form):
        return type(self).update_service(actor=self.request.user, **{self.instance_arg: self.target},
                                         **form.cleaned_data)
