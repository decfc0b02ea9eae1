"""core.forms.WIDGETS writes the filter forms' text boxes and drop-downs in Python (issue 13); what a user
gets must be exactly what Django's own widget templates give, on every filter of every list."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.safestring import mark_safe

from core.forms import WIDGETS
from core.pages import ScopedListView

pytestmark = pytest.mark.django_db


def list_views():
    found = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None)
                if view and issubclass(view, ScopedListView) and getattr(view, "filterset_class", None):
                    found.append(view)

    walk(get_resolver().url_patterns)
    return found


def both_ways(form):
    """Every field of `form` as Django's renderer and as WIDGETS render it."""
    out = []
    for name in form.fields:
        form.renderer = get_default_renderer()
        django_html = str(form[name])
        form.renderer = WIDGETS
        out.append((name, django_html, str(form[name])))
    return out


def test_every_filter_of_every_list_renders_as_djangos_templates(county_admin, jiuyuan):
    views = list_views()
    assert len(views) > 20
    request = RequestFactory().get("/")
    request.user = county_admin
    compared, differing = 0, []
    for view in views:
        filterset_class = view.filterset_class
        names = list(filterset_class.base_filters)
        for data in ({}, {name: "1" for name in names}, {name: '旧院镇 <"&\'>' for name in names},
                     {name: "true" for name in names}, {name: "2025-12" for name in names}):
            filterset = filterset_class(data or None, queryset=filterset_class._meta.model.objects.none(),
                                        request=request)
            form = filterset.form
            form.is_valid()  # errors and cleaned values as the page has them
            for name, django_html, ours in both_ways(form):
                compared += 1
                if django_html != ours:
                    differing.append((view.__name__, name, data.get(name), django_html, ours))
    assert differing == []
    assert compared > 200


class Odd(forms.Form):
    """What no filter has today but a widget may carry: optgroups, flags, safe and quoted values, numbers."""

    grouped = forms.ChoiceField(choices=[("一", [(1, "甲"), ("2", mark_safe("<b>乙</b>"))]), ("", "无"),
                                         ("x\"y", "引号 & <尖括号>")], required=False)
    flagged = forms.CharField(widget=forms.TextInput(attrs={"required": True, "disabled": False, "data-n": 0,
                                                            "data-safe": mark_safe("<i>"), "title": 'a"b'}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 1}))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.SelectMultiple)
    boxes = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    yes = forms.NullBooleanField()
    text = forms.CharField(widget=forms.Textarea)


@pytest.mark.parametrize("data", [None, {"grouped": "2", "flagged": "<script>", "number": "12", "when": "2025-12-01",
                                         "hidden": "&", "many": ["a", "b"], "boxes": ["a"], "yes": "true",
                                         "text": "</textarea>"},
                                  {"grouped": 'x"y', "number": "x", "when": "no"}])
def test_unusual_widgets_render_as_djangos_templates(data):
    form = Odd(data)
    if data:
        form.is_valid()
    for name, django_html, ours in both_ways(form):
        assert ours == django_html, name
    assert "<optgroup" in str(form["grouped"])


def test_text_boxes_and_drop_downs_are_written_without_the_template_engine(monkeypatch):
    """The comparisons above would pass if every widget fell back to its template: this one fails then."""
    form = Odd({"grouped": "2", "flagged": "x"})
    form.renderer = WIDGETS
    warm = [str(form[name]) for name in ("grouped", "flagged", "number", "when", "hidden", "yes")]

    def no_templates(self, template_name):
        raise AssertionError(f"{template_name} rendered by the template engine")

    monkeypatch.setattr(type(WIDGETS), "get_template", no_templates)
    assert [str(form[name]) for name in ("grouped", "flagged", "number", "when", "hidden", "yes")] == warm
