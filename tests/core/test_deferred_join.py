"""A big list reads its page in two steps (core.pages.deferred_join: the page's keys, then those rows);
what a user sees must be exactly what the one-query page showed: the same rows in the same order on the
first, a middle and the last page, sorted and filtered, as the county and as a township officer."""

import difflib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pages import deferred_join
from labor.models import Payroll, Worker
from subsidies.models import SubsidyRun
from tests.once import built_once


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, lambda: call_command("seed_demo", scale=0.02, verbosity=0))


def without_tokens(html: bytes) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html.decode())
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", html)


def pages():
    run = SubsidyRun.objects.order_by("-month").values_list("pk", flat=True).first()
    lines = reverse("subsidy-run-lines", kwargs={"pk": run}) if run else None
    found = [
        ("county", reverse("labor-payroll-list"), {}),
        ("county", reverse("labor-payroll-list"), {"sort": "-wage_paid"}),
        ("township", reverse("labor-payroll-list"), {}),
        ("county", reverse("labor-worker-list"), {}),
        ("county", reverse("labor-worker-list"), {"sort": "-name"}),
        ("township", reverse("labor-worker-list"), {"search": "李"}),
    ]
    if lines:
        found.append(("county", lines, {}))
    return found


def test_every_page_shows_the_rows_the_single_query_showed(demo, db, settings):
    users = get_user_model().objects
    checked = 0
    for username, path, query in pages():
        client = Client()
        client.force_login(users.get(username=username))
        settings.LIST_DEFERRED_JOIN_MIN_ROWS = 10**9  # off: the page as one query
        first = client.get(path, query)
        assert first.status_code == 200, (path, query)
        count = first.context["row_count"]
        last = max(1, -(-count // 50))
        for page in sorted({1, 2, last // 2 or 1, last}):
            settings.LIST_DEFERRED_JOIN_MIN_ROWS = 10**9
            one_query = client.get(path, {**query, "page": page})
            settings.LIST_DEFERRED_JOIN_MIN_ROWS = 0
            with CaptureQueriesContext(connection) as queries:
                two_steps = client.get(path, {**query, "page": page})
            assert two_steps.status_code == one_query.status_code == 200
            changed = [line for line in difflib.unified_diff(without_tokens(one_query.content).splitlines(),
                                                             without_tokens(two_steps.content).splitlines(),
                                                             lineterm="", n=0)]
            assert not changed, (path, query, page, changed[:12])
            keys_first = [captured for captured in queries.captured_queries
                          if re.match(r'SELECT "\w+"\."id" AS "pk" FROM', captured["sql"])]
            assert keys_first, (path, query, page, "the page's keys were not read first")
            checked += 1
    assert checked >= 14


def test_a_distinct_queryset_is_read_as_it_is(demo, db):
    workers = Worker.objects.filter(placements__isnull=False).distinct().order_by("name", "pk")
    assert list(deferred_join(workers[5:15])) == list(workers[5:15])


def test_the_keys_keep_the_lists_order_with_its_relations(demo, db):
    payroll = Payroll.objects.select_related("placement__worker").order_by("-month", "placement")
    page = payroll[60:110]
    rows = deferred_join(page)
    assert [row.pk for row in rows] == list(payroll.values_list("pk", flat=True)[60:110])
    with CaptureQueriesContext(connection) as queries:
        names = [row.placement.worker.name for row in rows]  # already joined: no query per row
    assert len(queries) == 0 and all(names)
