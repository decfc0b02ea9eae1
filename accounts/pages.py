"""Building blocks for server-rendered pages, so every app lists, filters, exports and scopes the
same way: the app's selector gives the scoped queryset, its FilterSet (the one the API uses) filters
it, a django-tables2 table shows it, and `?export=xlsx` downloads the filtered list."""

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .xlsx import XlsxWriter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, build) -> HttpResponse:
    """`build(writer)` fills an XlsxWriter; the result is sent as a download."""
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        build(writer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class RoleRequiredMixin(LoginRequiredMixin):
    """Pages only some roles may use; `roles = None` lets every logged-in user in."""

    roles: frozenset | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.roles is not None and request.user.role not in self.roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedListView(RoleRequiredMixin, SingleTableMixin, FilterView):
    selector = None  # a function (*, user) -> QuerySet, from the app's selectors
    template_name = "includes/list.html"
    paginate_by = 50
    export_name = "export"
    title = ""

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        context["export_query"] = query.urlencode()
        return context

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def export_xlsx(self):
        """A background export (core.exports): the Download is queued, the user sent to its page."""
        from core import exports

        return exports.start(self)


class ScopedDetailView(RoleRequiredMixin, DetailView):
    """A detail page whose object comes through the selector: outside the scope is a 404."""

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)
