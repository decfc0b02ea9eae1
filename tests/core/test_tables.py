"""core/tables.py renders list tables without the library's per-cell template and signature work; what a
user gets must be what django-tables2's own `{% render_table %}` gives, on every list page of the portal.

The comparison runs on the demo county (seed_demo at a small scale, so every list has rows, choices,
links, dates, masked ID numbers and the referral decision buttons) as the county and a township officer."""

import re
import tomllib
from pathlib import Path

import django_tables2
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template import RequestContext, Template
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core import tables
from core.pages import ScopedListView
from subsidies.models import SubsidyRun
from tests.once import built_once

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = Template("{% load django_tables2 %}{% render_table table %}")
LEAN = Template("{% load core_tables %}{% render_lean_table table %}")


def test_the_adapter_is_pinned_to_the_installed_django_tables2():
    """core/tables.py mirrors BoundRow of this one version: an upgrade fails here until it is re-checked
    (on another version the library's own rows are used, see test_fallback_is_the_same_html)."""
    assert django_tables2.__version__ == tables.SUPPORTED_VERSION
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"django-tables2=={tables.SUPPORTED_VERSION}" in dependencies
    assert tables.ADAPTED


def normalized(html: str) -> str:
    """Whitespace between tags and runs of it are not something a user sees; a CSRF token is masked
    afresh each time it is rendered."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def without_phone_additions(html: str) -> str:
    """The lean HTML less what it adds to the library's on purpose (issue 14): the key cells' `data-label`
    (phone cards), the `table-cards` container class, the sort arrows and `aria-sort` on sortable headers;
    tests/core/test_phone_browser.py checks that those show."""
    html = re.sub(r' data-label="[^"]*"', "", html)
    html = re.sub(r' aria-sort="[a-z]+"', "", html)
    html = re.sub(r'<span class="sort-arrow[^"]*" aria-hidden="true">[^<]*</span>', "", html)
    return html.replace(" table-cards", "")


def list_urls():
    """Every URL name served by a ScopedListView, with its path (lists of one run: the newest run)."""
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None)
                if view and issubclass(view, ScopedListView) and pattern.name:
                    found[prefix + pattern.name] = pattern

    walk(get_resolver().url_patterns)
    run = SubsidyRun.objects.order_by("-pk").first()
    urls = {}
    for name, pattern in found.items():
        converters = pattern.pattern.converters
        if not converters:
            urls[name] = reverse(name)
        elif list(converters) == ["pk"] and name == "subsidy-run-lines":
            urls[name] = reverse(name, kwargs={"pk": run.pk})
    return urls


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, lambda: call_command("seed_demo", scale=0.02, verbosity=0))


def rendered_both_ways(client, path):
    response = client.get(path)
    if response.status_code == 403:  # a list this role may not open (the audit log: county admins)
        return None, response
    assert response.status_code == 200, path
    view = response.context["view"]
    contexts = response.context
    page_context = (contexts if hasattr(contexts, "flatten") else contexts[0]).flatten()
    out = []
    for template in (LIBRARY, LEAN):
        table = view.get_table(**view.get_table_kwargs())  # a fresh table: rows counted from the start
        out.append(template.render(RequestContext(view.request, {**page_context, "table": table})))
    return out, response


class TestOnTheDemoCounty:
    """The demo county, seeded once for these tests (class scope: the tests after them build their own)."""

    def test_every_list_page_renders_as_the_library_does(self, demo, db):
        urls = list_urls()
        assert {"labor-worker-list", "labor-payroll-list", "subsidy-run-lines", "workshop-list"} <= set(urls)
        differing, rows, compared = [], 0, 0
        for username in ("admin", "township"):  # whole ID numbers and every list; masked, a township's rows
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            for _name, path in sorted(urls.items()):
                for query in ("", "?page=2"):
                    both, response = rendered_both_ways(client, path + query)
                    if both is None:
                        continue
                    library, lean = both
                    compared += 1
                    if normalized(library) != normalized(without_phone_additions(lean)):
                        differing.append((username, path + query))
                    rows += lean.count("<tr ")
                    # and the page itself shows the lean rows
                    body = normalized(lean).split("<tbody", 1)[1]
                    assert body in normalized(response.content.decode()), (username, path + query)
        assert differing == []
        assert compared > len(urls)  # both users, most lists
        assert rows > 200  # the comparison saw real rows, not empty tables


    def test_fallback_is_the_same_html(self, demo, db, monkeypatch):
        """On a django-tables2 other than the pinned one, rows come from the library's BoundRow.items()."""
        client = Client()
        client.force_login(get_user_model().objects.get(username="county"))
        path = reverse("labor-referral-list")
        (_, adapted), _ = rendered_both_ways(client, path)
        monkeypatch.setattr(tables, "ADAPTED", False)
        (library, fallback), _ = rendered_both_ways(client, path)
        assert "<form" in adapted  # the decision buttons (a TemplateColumn seeing the page's context) are there
        assert normalized(fallback) == normalized(adapted)
        assert normalized(without_phone_additions(adapted)) == normalized(library)
        assert "<tr " in fallback


    def test_cells_are_escaped(self, demo, db):
        """A worker's name is text, never markup, in the lean rows too."""
        from labor.models import Worker

        worker = Worker.objects.order_by("pk").first()
        Worker.objects.filter(pk=worker.pk).update(name="<b>李</b>")
        client = Client()
        client.force_login(get_user_model().objects.get(username="county"))
        html = client.get(reverse("labor-worker-list") + "?sort=name").content.decode()
        assert "&lt;b&gt;李&lt;/b&gt;" in html
        assert "<b>李</b>" not in html


    def test_a_models_own_display_method_is_honoured(self, demo, db, monkeypatch):
        """Choice labels are translated once per render only where get_FOO_display is Django's generated
        method; a model's own method is still called for every cell."""
        from labor.models import Worker

        client = Client()
        client.force_login(get_user_model().objects.get(username="county"))
        path = reverse("labor-worker-list")
        assert "脱贫人口" in client.get(path).content.decode()
        monkeypatch.setattr(Worker, "get_category_display", lambda self: f"自定义{self.pk}", raising=False)
        rows = client.get(path).content.decode().split("<tbody", 1)[1]
        shown = {int(pk) for pk in re.findall(r"自定义(\d+)", rows)}
        assert len(shown) >= 20 and shown <= set(Worker.objects.values_list("pk", flat=True))
        assert "脱贫人口" not in rows


def test_the_placements_list_reads_each_posts_workshop_with_its_rows(county_admin, django_assert_num_queries,
                                                                      django_assert_max_num_queries):
    """A post reads as "<workshop> · <title>": its workshop comes with the rows, not one query per row."""
    from tests.factories import PlacementFactory, PostFactory

    client = Client()
    client.force_login(county_admin)
    path = reverse("labor-placement-list")
    PlacementFactory(post=PostFactory())
    client.get(path)  # warm: sessions, caches
    with django_assert_max_num_queries(20) as one:
        client.get(path)
    for _ in range(6):
        PlacementFactory(post=PostFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(path).content.decode()
    assert html.count("测试帮扶车间") >= 14  # each row's workshop, and its post named by the workshop too
