"""Page form bases. Forms check the input; the views hand `cleaned_data` to the services to save."""

from pathlib import Path

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from accounts.scoping import related_choices


def limit_related_choices(form, user, county_wide_relations=None):
    """Every relation a form offers (single or multiple choice) lists only what `user` may pick: the same
    rule the API applies (accounts.scoping.related_choices), so a page never offers another township's rows."""
    county_wide_relations = county_wide_relations or {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField too
            field.queryset = related_choices(field.queryset, user,
                                             county_wide_for=county_wide_relations.get(name, frozenset()))


class ScopedModelForm(forms.ModelForm):
    # {field name: roles that pick from the whole county there}; empty: every relation follows the scope.
    county_wide_relations: dict = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        limit_related_choices(self, user, self.county_wide_relations)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)


class WidgetRenderer(DjangoTemplates):
    """The portal's form renderer (settings.FORM_RENDERER): Django's, with its text-like `<input>` and
    `<select>` widget templates written out in Python (issue 13: a form rendered field by field went through
    three template includes a field and one more per option). The HTML is the templates' own, character for
    character (tests/core/test_widget_renderer.py compares them on every filter of every list and every form
    page); a template an app overrides, and every other widget, is rendered by the template as before."""

    INPUT = "django/forms/widgets/input.html"
    INPUTS = frozenset({INPUT, *(f"django/forms/widgets/{kind}.html" for kind in (
        "text", "number", "email", "url", "password", "search", "tel", "date", "datetime", "time", "hidden"))})
    SELECT = "django/forms/widgets/select.html"
    OPTION = "django/forms/widgets/select_option.html"

    def __init__(self):
        super().__init__()
        self._own = {}  # template name -> whether Django's own file renders it (no app overrides it)

    def _is_djangos(self, template_name) -> bool:
        found = self._own.get(template_name)
        if found is None:
            origin = self.get_template(template_name).origin.name
            found = self._own[template_name] = str(origin).startswith(_DJANGO_WIDGETS)
        return found

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and self._is_djangos(template_name):
            if template_name in self.INPUTS and (template_name == self.INPUT or self._is_djangos(self.INPUT)):
                html = self._input(widget)
                if html is not None:
                    return html
            elif template_name == self.SELECT:
                html = self._select(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request=request)

    @staticmethod
    def _text(value):
        """`{{ value }}` of a plain string (or a lazy one); None for anything the template would localize."""
        if isinstance(value, str) or isinstance(value, Promise):
            return conditional_escape(value)
        return None

    @staticmethod
    def _formatted(value):
        """`{{ value|stringformat:'s' }}`."""
        shown = stringformat(value, "s")
        return conditional_escape(mark_safe(shown) if isinstance(value, SafeData) else shown)  # noqa: S308

    @classmethod
    def _attrs(cls, attrs) -> str | None:
        """django/forms/widgets/attrs.html."""
        if "items" in attrs:  # the template's `attrs.items` would read that key, not the dict's items()
            return None
        parts = []
        for name, value in attrs.items():
            if value is not False:
                shown = cls._text(name)
                if shown is None:
                    return None
                parts.append(f" {shown}" if value is True else f' {shown}="{cls._formatted(value)}"')
        return "".join(parts)

    def _input(self, widget):
        kind, name = self._text(widget.get("type")), self._text(widget.get("name"))
        attrs = self._attrs(widget.get("attrs") or {})
        if kind is None or name is None or attrs is None:
            return None
        value = widget.get("value")
        shown = "" if value is None else f' value="{self._formatted(value)}"'
        return f'<input type="{kind}" name="{name}"{shown}{attrs}>'

    def _select(self, widget):
        name = self._text(widget.get("name"))
        attrs = self._attrs(widget.get("attrs") or {})
        if name is None or attrs is None or not self._is_djangos(self.OPTION):
            return None
        parts = [f'<select name="{name}"{attrs}>']
        for group_name, group_choices, _group_index in widget.get("optgroups") or ():
            if group_name:
                label = self._text(group_name)
                if label is None:
                    return None
                parts.append(f'\n  <optgroup label="{label}">')
            for option in group_choices:
                if option.get("template_name") != self.OPTION:
                    return None
                label, option_attrs = self._text(option.get("label")), self._attrs(option.get("attrs") or {})
                if label is None or option_attrs is None:
                    return None
                parts.append(f'\n  <option value="{self._formatted(option.get("value"))}"{option_attrs}>{label}'
                             f'</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)


_DJANGO_WIDGETS = str(Path(forms.__file__).resolve().parent / "templates" / "django" / "forms" / "widgets")
