"""No response below the county gives away an ID number: for every non-county user of the scope matrix,
every API list and detail of every routed endpoint (enumerated, so new ones are covered), every list page
of their menu with its xlsx export, and the worker pages are collected; every string that looks like a
masked or whole ID number and every date or age shown beside it goes to the attacker of
tests/labor/test_masking.py, which must pin down no true number. No whole number and no birth date
(non-county roles are shown the age by birth year) may appear at all."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import COUNTY_ROLES
from accounts.navigation import items_for
from labor.models import Worker
from tests.accounts.test_scope_matrix import USERS, county, routes  # noqa: F401  (county: the fixture)
from tests.conftest import api_for
from tests.exports import exported
from tests.labor.test_masking import SHOWN_ID, html_records, json_records, rebuilt, xlsx_records

pytestmark = pytest.mark.django_db
BELOW_COUNTY = [who for who in USERS if not who.startswith("county")]


def _shown(user) -> tuple[list[list[str]], list[str]]:
    """(records for the attacker, raw texts) of everything `user` is shown."""
    records, raw = [], []
    api = api_for(user)
    for prefix, model, lookup in routes():
        response = api.get(f"/api/v1/{prefix}/", {"page_size": 500})
        if response.status_code != 200:
            continue
        records += json_records(response.json())
        raw.append(response.content.decode())
        for obj in model._default_manager.all()[:60]:
            detail = api.get(f"/api/v1/{prefix}/{getattr(obj, lookup)}/")
            if detail.status_code == 200:
                records += json_records(detail.json())
                raw.append(detail.content.decode())
    page = Client()
    page.force_login(user)
    for entry in items_for(user):
        for link in entry.get("children", [entry]):
            response = page.get(link["url"])
            if response.status_code != 200:
                continue
            html = response.content.decode()
            records += html_records(html, whole_page=False)
            raw.append(html)
            if 'id="export-xlsx"' in html:  # the list's 下载Excel: the file its background export writes
                rows = xlsx_records(exported(page, link["url"], {"export": "xlsx"}).content)
                records += rows
                raw += [" ".join(row) for row in rows]
    for worker in Worker.objects.all():
        response = page.get(reverse("labor-worker-detail", args=[worker.pk]))
        if response.status_code == 200:
            html = response.content.decode()
            records += html_records(html, whole_page=True)
            raw.append(html)
    # the attacker works record by record: the same record shown twice, or one without an ID number, adds nothing
    unique = dict.fromkeys(tuple(r) for r in records if any(SHOWN_ID.search(text) for text in r))
    return [list(r) for r in unique], raw


@pytest.mark.parametrize("who", BELOW_COUNTY)
def test_no_id_number_can_be_rebuilt_from_anything_shown_below_the_county(county, who):  # noqa: F811
    user = county[who]
    assert user.role not in COUNTY_ROLES
    workers = list(Worker.objects.all())
    numbers = {w.id_number for w in workers}
    records, raw = _shown(user)
    assert records, "no masked number was collected: the attack would prove nothing"
    text = "\n".join(raw)
    assert [n for n in numbers if n in text] == [], "a whole ID number is shown"
    births = {f"{w.birth_date:%Y-%m-%d}" for w in workers} | {f"{w.birth_date:%Y%m%d}" for w in workers}
    assert [b for b in births if b in text.replace("/", "-")] == [], "a birth date is shown"
    assert rebuilt(records, numbers) == set()


def test_the_attack_works_on_what_the_county_is_shown(county):  # noqa: F811
    """The same collection for a county officer finds the whole numbers: the attacker is not blind."""
    records, raw = _shown(county["county officer"])
    numbers = set(Worker.objects.values_list("id_number", flat=True))
    assert rebuilt(records, numbers) == numbers
