"""Registry pages built the same way for every model of industries and workshops: a list (the
shared ScopedListView), a detail page, and create/edit forms whose save goes through the service.
A `Resource` names the pieces; `Resource.urls()` gives its four routes."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.choices import COUNTY_ROLES, Role
from accounts.exceptions import Conflict
from accounts.pages import RoleRequiredMixin, ScopedDetailView, ScopedListView

OFFICIALS = COUNTY_ROLES | {Role.TOWNSHIP_OFFICER}


def add_service_errors(form, exc: ValidationError):
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def display_value(obj, model_field):
    if model_field.choices:
        return getattr(obj, f"get_{model_field.name}_display")()
    value = getattr(obj, model_field.name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else value


@dataclass
class Resource:
    name: str  # URL name prefix: "<name>-list", "<name>-detail", "<name>-create", "<name>-update"
    route: str  # e.g. "industries/enterprises"
    title: str
    selector: object
    filterset: type
    table: type
    form: type
    create_service: object
    update_service: object | None  # None: records that are only ever added (no edit page)
    instance_arg: str
    write_roles: frozenset = OFFICIALS
    list_view: type | None = None  # a ResourceListView subclass, when the list needs more
    detail_view: type | None = None
    exclude_from_detail: tuple = field(default=())
    # Other lists filtered to this object, linked from its page: (title, list URL name, query parameter).
    # Links, not embedded rows: each list applies the viewer's scope itself.
    related: tuple = field(default=())

    def can_write(self, user) -> bool:
        return user.is_authenticated and user.role in self.write_roles

    def can_edit(self, user) -> bool:
        return self.update_service is not None and self.can_write(user)

    def urls(self):
        detail = self.detail_view or type(f"{self.name}DetailView", (ResourceDetailView,), {
            "resource": self, "selector": staticmethod(self.selector)})
        routes = [
            path(f"{self.route}/", type(f"{self.name}ListView", (self.list_view or ResourceListView,), {
                "resource": self, "selector": staticmethod(self.selector), "filterset_class": self.filterset,
                "table_class": self.table, "title": self.title, "export_name": self.name,
            }).as_view(), name=f"{self.name}-list"),
            path(f"{self.route}/new/", type(f"{self.name}CreateView", (ResourceCreateView,), {
                "resource": self, "roles": self.write_roles, "form_class": self.form,
            }).as_view(), name=f"{self.name}-create"),
            path(f"{self.route}/<int:pk>/", detail.as_view(), name=f"{self.name}-detail"),
        ]
        if self.update_service is not None:
            routes.append(path(f"{self.route}/<int:pk>/edit/", type(f"{self.name}UpdateView", (ResourceUpdateView,), {
                "resource": self, "roles": self.write_roles, "form_class": self.form,
            }).as_view(), name=f"{self.name}-update"))
        return routes


class ResourceListView(ScopedListView):
    resource: Resource = None
    template_name = "industries/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.resource.can_write(self.request.user):
            # A list filtered to one parent (?cooperative=7) adds new rows to that parent.
            prefill = {name: value for name, value in self.request.GET.items()
                       if name in self.resource.form.base_fields and value}
            context["create_url"] = reverse(f"{self.resource.name}-create") + (
                f"?{urlencode(prefill)}" if prefill else "")
        return context


class ResourceDetailView(ScopedDetailView):
    resource: Resource = None
    template_name = "industries/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["rows"] = [
            (f.verbose_name, display_value(obj, f)) for f in obj._meta.concrete_fields
            if f.name != "id" and f.name not in self.resource.exclude_from_detail
        ]
        context["list_url"] = reverse(f"{self.resource.name}-list")
        context["list_title"] = self.resource.title
        context["related"] = [(title, f"{reverse(url_name)}?{urlencode({param: obj.pk})}")
                              for title, url_name, param in self.resource.related]
        if self.resource.can_edit(self.request.user):
            context["edit_url"] = reverse(f"{self.resource.name}-update", args=[obj.pk])
        return context


class ServiceFormView(RoleRequiredMixin, FormView):
    """The form checks the input, the service saves it; a service's refusal is shown on the form."""

    template_name = "industries/form.html"
    resource: Resource = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except Conflict as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse(f"{self.resource.name}-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.page_title()
        context["cancel_url"] = reverse(f"{self.resource.name}-list")
        return context


class ResourceCreateView(ServiceFormView):
    def get_initial(self):
        # A link such as "add a member" from a cooperative's page (?cooperative=7) fills that field in.
        return {name: value for name, value in self.request.GET.items() if name in self.resource.form.base_fields}

    def page_title(self):
        return _("New %(thing)s") % {"thing": self.resource.form._meta.model._meta.verbose_name}

    def save(self, form):
        return self.resource.create_service(actor=self.request.user, **form.cleaned_data)


class ResourceUpdateView(ServiceFormView):
    @cached_property
    def target(self):
        return self._get()

    def _get(self):
        try:
            return self.resource.selector(user=self.request.user).get(pk=self.kwargs["pk"])
        except self.resource.form._meta.model.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        # The form edits its own copy: the service then sees what really changed.
        return {**super().get_form_kwargs(), "instance": self._get()}

    def page_title(self):
        return _("Edit %(thing)s") % {"thing": self.target}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse(f"{self.resource.name}-detail", args=[self.target.pk])
        return context

    def save(self, form):
        return self.resource.update_service(actor=self.request.user, **{self.resource.instance_arg: self.target},
                                            **form.cleaned_data)
