"""FilterSet pieces every app's FilterSets (shared by its pages and its API) are built from.

- `FilterSet`: the base every app's FilterSet extends: a choice left empty reads "全部" (never "---------"),
  and a yes/no filter offers 全部/是/否 (never "未知").
- `ChoiceByName(kind, field_name=...)`: a filter on a township, village, workshop, enterprise, worker,
  cooperative, post… chosen by what people know it by (core.choices): a name or a part of one, a code, an
  id or a whole ID number, within the user's scope; suggestions come from `/choices/<kind>/`. It filters
  on the id; a name that is not in the user's scope is a form error (the page shows it and no rows, the
  API answers 400), never a silent empty list."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.permissions import SYSTEM

from . import choices

ALL = _("All")


class AllYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter's drop-down: 全部 (no choice), 是, 否; it reads the API's true/false as before."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", ALL), ("true", _("Yes")), ("false", _("No")))

    def format_value(self, value):
        # a list, as ChoiceWidget's: one option matches it ("" would be found in any string)
        return [{True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")]


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            # A form field built before (the API schema reads the class's filters) was copied with the
            # filter: built again, with the labels below and, for ChoiceByName, this request's user.
            if isinstance(filter_, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
                filter_.extra.setdefault("empty_label", ALL)
                filter_.__dict__.pop("_field", None)
            elif isinstance(filter_, django_filters.BooleanFilter):
                filter_.extra.setdefault("widget", AllYesNoSelect)
                filter_.__dict__.pop("_field", None)
            elif isinstance(filter_, ChoiceByName):
                filter_.__dict__.pop("_field", None)


class ChoiceInput(forms.TextInput):
    """A text box with its suggestions' <datalist> (filled by static/js/filter-choices.js)."""

    def __init__(self, kind: str, attrs=None):
        self.kind = kind
        super().__init__({"autocomplete": "off", "placeholder": ALL, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id') or name}-choices"
        widget_attrs["data-choices-url"] = reverse("core-choices", args=[self.kind])
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id') or name}-choices"
        return mark_safe(html + format_html('<datalist id="{}"></datalist>', list_id))


class ChoiceByNameField(forms.CharField):
    def __init__(self, *, kind: str, user=None, **kwargs):
        self.kind, self.user = kind, user
        kwargs.setdefault("widget", ChoiceInput(kind))
        kwargs.setdefault("max_length", choices.MAX_LENGTH)
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if self.user is None or not self.user.is_authenticated:
            raise ValidationError(_("Sign in to filter by name."), code="anonymous")
        return choices.resolve(choices.kind(self.kind), self.user, value)


class ChoiceByName(django_filters.Filter):
    """`ChoiceByName("township", field_name="village__township")`: the rows of the chosen township."""

    field_class = ChoiceByNameField

    def __init__(self, kind: str, *, field_name: str | None = None, **kwargs):
        self.kind = kind
        super().__init__(field_name=field_name or kind, **kwargs)

    @property
    def field(self):
        parent = getattr(self, "parent", None)
        if getattr(self, "_field_parent", None) is not parent:
            self.__dict__.pop("_field", None)  # built for another FilterSet (or none): not for this user
        if not hasattr(self, "_field"):
            self._field_parent = parent
            request = getattr(parent, "request", None)
            # Pages and the API pass their request: names resolve within its user's scope. A FilterSet built
            # in code without one filters a queryset its caller has scoped; names resolve county-wide.
            user = SYSTEM if request is None else getattr(request, "user", None)
            label = self._label if self._label is not None else choices.kind(self.kind).noun
            self._field = self.field_class(kind=self.kind, user=user, label=label, **self.extra)
        return self._field

    def filter(self, qs, value):
        if not value:
            return qs
        if len(value) == 1:
            return qs.filter(**{self.field_name: value[0]})
        return qs.filter(**{f"{self.field_name}__in": value})


def township_filter(path: str):
    """The rows of one township (`path` leads to it), chosen by name or code."""
    return ChoiceByName("township", field_name=path, label=_("township"))


def search_filter():
    return django_filters.CharFilter(method="filter_search", label=_("search"))


class SearchMixin:
    search_fields: tuple = ()

    def filter_search(self, queryset, name, value):
        # A term with no letter that has a case (Chinese names, digits of a phone) matches the same rows
        # with `contains`, and PostgreSQL then compares the column as it is instead of UPPER()ing every
        # row: searching 29,000 workers for 李 took 36 ms with UPPER(name) LIKE, 5 ms with name LIKE.
        lookup = "icontains" if value.upper() != value.lower() else "contains"
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__{lookup}": value})
        return queryset.filter(condition)
