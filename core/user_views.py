"""Accounts in the portal: county administrators list, create, edit (role and scope), deactivate,
reactivate users and reset their passwords; a township officer does the same for the brokers of their
own township (accounts.services decides, audits and refuses; outside what the actor manages is a 404).

In core, not accounts: pages build on core's bases, and core sits above accounts. The scope's models
(townships, villages, cooperatives, workshops) are reached through the User model's relations, so core
imports no domain app."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import services
from accounts.choices import Role
from accounts.models import User
from accounts.signals import account_created

from .errors import REFUSALS, add_form_errors, add_page_message
from .pages import requires

PERMISSION = "accounts.broker.manage"  # county administrators, and township officers for their brokers
PER_PAGE = 50


def _related(field: str):
    return User._meta.get_field(field).related_model


class UserForm(forms.Form):
    """A user's name, role and the scope levels that role needs (only those are shown)."""

    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=gettext_lazy("role"))
    township = forms.ModelChoiceField(label=gettext_lazy("township"), queryset=None, required=False)
    village = forms.ModelChoiceField(label=gettext_lazy("village"), queryset=None, required=False)
    cooperative = forms.ModelChoiceField(label=gettext_lazy("cooperative"), queryset=None, required=False)
    workshop = forms.ModelChoiceField(label=gettext_lazy("workshop"), queryset=None, required=False)

    REQUIRED = {"township": {Role.TOWNSHIP_OFFICER}, "village": {Role.BROKER}, "workshop": {Role.WORKSHOP_OPERATOR}}

    def __init__(self, *args, actor, role, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.editing = actor, editing
        self.fields["role"].choices = [(r.value, r.label) for r in services.manageable_roles(actor)]
        for name in ("username", "first_name", "phone", "role"):
            self.fields[name].widget.attrs["class"] = "form-select" if name == "role" else "form-control"
        if editing is not None:
            del self.fields["username"]
        township = None if actor.is_county else actor.township_id
        querysets = {
            "township": _related("township").objects.order_by("name"),
            "village": _related("village").objects.select_related("township").order_by("township__name", "name"),
            "cooperative": _related("cooperative").objects.order_by("name"),
            "workshop": _related("workshop").objects.order_by("name"),
        }
        if township:
            querysets["township"] = querysets["township"].filter(pk=township)
            querysets["village"] = querysets["village"].filter(township_id=township)
            querysets["cooperative"] = querysets["cooperative"].filter(township_id=township)
            querysets["workshop"] = querysets["workshop"].filter(village__township_id=township)
        needed = services.ROLE_SCOPE_FIELDS.get(role, ())
        for name in services.SCOPE_FIELDS:
            if name not in needed:
                del self.fields[name]
                continue
            field = self.fields[name]
            field.queryset = querysets[name]
            field.required = role in self.REQUIRED.get(name, ())
            field.widget.attrs["class"] = "form-select"
            if name == "village":
                field.label_from_instance = lambda v: f"{v.township.name} {v.name}"


def _role_of(request, user=None) -> str:
    allowed = [r.value for r in services.manageable_roles(request.user)]
    for value in (request.POST.get("role"), request.GET.get("role"), getattr(user, "role", None)):
        if value in allowed:
            return value
    return allowed[0] if allowed else ""


def _managed(request, pk) -> User:
    user = (services.manageable_users(request.user)
            .select_related("township", "village", "cooperative", "workshop").filter(pk=pk).first())
    if user is None:
        raise Http404
    return user


def _scope(data) -> dict:
    return {name: data[name] for name in services.SCOPE_FIELDS if name in data}


def _form_page(request, form, context):
    template = "core/users/form_fields.html" if request.headers.get("HX-Request") else "core/users/form.html"
    return render(request, template, {"form": form, **context})


@requires(PERMISSION)
def user_list(request):
    users = (services.manageable_users(request.user)
             .select_related("township", "village", "cooperative", "workshop").order_by("username", "id"))
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query) | Q(phone=query))
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    active = request.GET.get("active", "")
    if active in ("1", "0"):
        users = users.filter(is_active=active == "1")
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/users/list.html", {
        "page": page, "users": page.object_list, "query": query, "role": role, "active": active,
        "roles": services.manageable_roles(request.user)})


@requires(PERMISSION)
def user_create(request):
    role = _role_of(request)
    form = UserForm(request.POST if request.method == "POST" else None, actor=request.user, role=role,
                    initial={"role": role, **request.GET.dict()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # created with a temporary password, changed at the first login
                user = services.user_create(actor=request.user, username=data["username"], role=data["role"],
                                            first_name=data["first_name"], phone=data["phone"], **_scope(data))
                account_created.send(sender=User, actor=request.user, user=user)
                password = services.user_reset_password(actor=request.user, user=user)
        except REFUSALS as exc:
            add_form_errors(form, exc)
        else:
            return render(request, "core/users/password.html", {"target": user, "password": password,
                                                                "created": True})
    return _form_page(request, form, {"title": _("New user"), "action": reverse("core-user-create")})


@requires(PERMISSION)
def user_update(request, pk):
    target = _managed(request, pk)
    role = _role_of(request, target)
    initial = {"first_name": target.first_name, "phone": target.phone, "role": role,
               **{name: getattr(target, f"{name}_id") for name in services.SCOPE_FIELDS}}
    form = UserForm(request.POST if request.method == "POST" else None, actor=request.user, role=role,
                    editing=target, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(actor=request.user, user=target, role=data["role"], first_name=data["first_name"],
                                 phone=data["phone"], **_scope(data))
        except REFUSALS as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("core-user-update", pk=target.pk)
    return _form_page(request, form, {"title": target.username, "target": target,
                                      "action": reverse("core-user-update", args=[target.pk])})


def _action(service, done_message):
    @require_POST
    def view(request, pk):
        target = _managed(request, pk)
        try:
            service(actor=request.user, user=target)
        except REFUSALS as exc:
            add_page_message(request, exc)
        else:
            messages.success(request, done_message())
        return redirect("core-user-update", pk=target.pk)
    return requires(PERMISSION)(view)


user_deactivate = _action(services.user_deactivate, lambda: _("The account is deactivated: it can no longer sign in."))
user_reactivate = _action(services.user_reactivate, lambda: _("The account is active again."))


@requires(PERMISSION)
@require_POST
def user_reset_password(request, pk):
    target = _managed(request, pk)
    try:
        password = services.user_reset_password(actor=request.user, user=target)
    except REFUSALS as exc:
        add_page_message(request, exc)
        return redirect("core-user-update", pk=target.pk)
    return render(request, "core/users/password.html", {"target": target, "password": password})
