"""The portal's form renderer (settings.FORM_RENDERER, core.forms.WidgetRenderer) writes the text boxes and
drop-downs in Python (issue 13); what a user gets must be exactly what Django's own widget templates give, on
every filter of every list and on every form page of the demo county."""

import re
from urllib.parse import urlsplit

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.safestring import mark_safe

from accounts.models import User
from core.forms import WidgetRenderer
from core.pages import ScopedListView
from tests.core.test_dead_ends import links_of, menu_urls, seed_demo_county
from tests.once import built_once

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


DJANGOS, OURS = DjangoTemplates(), WidgetRenderer()  # each loads its templates once


def both_ways(form):
    """Every field of `form` as Django's own renderer and as the portal's (WidgetRenderer) render it."""
    out = []
    for name in form.fields:
        form.renderer = DJANGOS
        django_html = str(form[name])
        form.renderer = OURS
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
    renderer = get_default_renderer()
    assert isinstance(renderer, WidgetRenderer) and form.renderer is renderer  # every form's, by default
    warm = [str(form[name]) for name in ("grouped", "flagged", "number", "when", "hidden", "yes")]

    def no_templates(self, template_name):
        raise AssertionError(f"{template_name} rendered by the template engine")

    monkeypatch.setattr(WidgetRenderer, "get_template", no_templates)
    assert [str(form[name]) for name in ("grouped", "flagged", "number", "when", "hidden", "yes")] == warm


# --- every form page of the demo county ---------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, seed_demo_county)


def form_pages(client, user) -> dict[str, str]:
    """{path: HTML} of the pages with a form to post: the create and edit pages the menu's lists and their
    first records link to, the records' own forms (the worker's page proposes and logs visits), the lists
    whose rows are decided on the page (referrals)."""
    pages, to_visit, seen = {}, [urlsplit(url).path for url in menu_urls(user)], set()
    lists = set(to_visit)
    while to_visit:
        path = to_visit.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        main = html.split("<main", 1)[-1].split("</main>", 1)[0]  # (every page's header posts the log-out)
        if re.search(r'<form[^>]*method="post"', main):
            pages[path] = html
        links = [urlsplit(link) for link in links_of(html, "http://testserver" + path)]
        local = [link.path for link in links if link.netloc == "testserver" and link.path != path]
        forms_linked = [p for p in local if p.endswith(("/new/", "/edit/"))]
        records = [p for p in local if re.fullmatch(r".*/\d+/", p)][:1] if path in lists else []
        to_visit += forms_linked + records
    return pages


def same_page(html: str) -> str:
    """A page without what differs between two requests for it (the CSRF tokens, the CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken"', html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


def sent_back(client, paths) -> dict[str, str]:
    """{path: HTML} of the create and edit forms among `paths` that, posted with bad input (a name with
    markup in it, every other field cleared), come back with their errors and what was typed."""
    answers = {}
    for path in paths:
        if path.endswith(("/new/", "/edit/")):
            response = client.post(path, {"name": '旧院 <"&\'>', "note": "</textarea>"})
            if response.status_code == 200:
                answers[path] = same_page(response.content.decode())
    return answers


@pytest.mark.parametrize("username", ["admin", "broker", "operator"])
def test_every_form_page_renders_as_djangos_templates(demo_county, db, username):
    """Each form page as it opens, and each create and edit form sent back with its errors."""
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    ours = form_pages(client, user)
    ours_sent_back = sent_back(client, ours)
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        assert not isinstance(get_default_renderer(), WidgetRenderer)
        djangos = {path: client.get(path).content.decode() for path in ours}
        djangos_sent_back = sent_back(client, ours)
    assert len(ours) >= 5, sorted(ours)
    assert any("<select" in html for html in ours.values())
    differing = [path for path in ours if same_page(ours[path]) != same_page(djangos[path])]
    assert differing == [], differing
    assert len(ours_sent_back) >= 2 and set(djangos_sent_back) == set(ours_sent_back)
    assert all("field-error" in html or "alert-danger" in html for html in ours_sent_back.values())
    assert [path for path in ours_sent_back if ours_sent_back[path] != djangos_sent_back[path]] == []

