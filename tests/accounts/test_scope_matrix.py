"""Models × roles × endpoints: every API list and detail endpoint (read off the routers, so a new one is
covered the day it is registered) and every list page of the menu (with its xlsx export), for two users
of every role in different areas, shows exactly the rows in the user's scope: none outside it, all inside.

What "in scope" means is written here a second time, in plain Python over the objects (AREAS), not read
from the models' SCOPE declarations, so a wrong path in a model fails this test. A model without an entry
in AREAS fails it too: a new model needs its scope decided here as well.

The same responses go, at the end of the module, to the attacker of tests/labor/test_masking.py: nothing
shown below the county may give an ID number away. The tests only read the county (what one writes, a token
or a download, is rolled back after it), so each user's answers are fetched once for all of them (`Answers`)."""

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import import_module

import openpyxl
import pytest
from django.apps import apps
from django.test import Client
from django.urls import resolve, reverse

from accounts.choices import COUNTY_ROLES, Role
from accounts.navigation import all_items, items_for
from accounts.permissions import SYSTEM
from core.pages import ScopedListView
from labor.models import Broker, Membership, Worker
from loans.services import repayment_record
from subsidies.choices import RunKind, RunStatus
from subsidies.models import SubsidyLine, SubsidyRun
from tests.conftest import api_for
from tests.exports import exported
from tests.factories import (
    BrandFactory,
    CooperationFundFactory,
    CooperativeFactory,
    DifficultyFactory,
    EastMarketSaleFactory,
    EnterpriseFactory,
    FollowUpFactory,
    IndustryOutputFactory,
    JobFairFactory,
    LiaisonFactory,
    LivestreamFactory,
    PayrollFactory,
    PlacementFactory,
    PostFactory,
    ProductionBaseFactory,
    ReferralFactory,
    ReturneeFactory,
    TrainingCompletionFactory,
    TrainingFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_user,
    township,
    wy_2026,
)
from tests.labor.outbound_factories import (
    EastPostFactory,
    OutboundPlacementFactory,
    OutboundReferralFactory,
    OutboundVisitFactory,
)
from tests.labor.test_masking import SHOWN_ID, html_records, json_records, rebuilt, xlsx_records
from tests.loans.factories import lent_loan, make_loan
from tests.once import built_once

pytestmark = pytest.mark.django_db

T = "township-wide"  # at this level the user sees the rows of their township
ALL, OWN, NOT_BROKERS, COUNTY_ADMINS = "everyone", "own", "everyone but brokers", "county administrators only"


def _worker_areas(w):
    return {"township": {w.village.township_id}, "village": {w.village_id},
            "cooperative": {m.cooperative_id for m in w.memberships.all()},
            "workshop": {p.workshop_id for p in w.placements.all()}}


def _workshop_areas(ws):
    return {"township": {ws.village.township_id}, "workshop": {ws.pk}}


def _placement_areas(p):
    worker = _worker_areas(p.worker)
    return {"township": {p.workshop.village.township_id}, "workshop": {p.workshop_id},
            "village": worker["village"], "cooperative": worker["cooperative"]}


def _about_worker_at(worker, workshop):
    areas = _worker_areas(worker)
    if workshop is not None:
        return {**areas, **_workshop_areas(workshop)}
    return areas


# label -> (areas(obj) -> {level: ids}, {narrow level: "own" (by the areas), T, or None (nothing)})
# or one of ALL / OWN / NOT_BROKERS for the models scoped otherwise.
OWN_ALL = {"village": "own", "cooperative": "own", "workshop": "own"}
TOWNSHIP_ALL = {"village": T, "cooperative": T, "workshop": T}
NO_NARROW = {"village": None, "cooperative": None, "workshop": None}  # brokers and operators see none
AREAS = {
    "regions.township": (lambda t: {"township": {t.pk}}, TOWNSHIP_ALL),
    "regions.village": (lambda v: {"township": {v.township_id}, "village": {v.pk}},
                        {"village": "own", "cooperative": None, "workshop": T}),
    "industries.enterprise": (lambda e: {"township": {e.township_id}}, TOWNSHIP_ALL),
    "industries.productionbase": (lambda b: {"township": {b.township_id}}, TOWNSHIP_ALL),
    "industries.livestream": (lambda s: {"township": {s.village.township_id}, "village": {s.village_id}},
                              {"village": "own", "cooperative": None, "workshop": T}),
    "industries.eastmarketsale": (lambda s: {"township": {s.enterprise.township_id}}, TOWNSHIP_ALL),
    "industries.cooperationfund": (lambda f: {"township": {f.township_id}}, TOWNSHIP_ALL),
    "industries.brand": ALL,
    "industries.industryoutput": ALL,
    "workshops.workshop": (_workshop_areas, {"village": T, "cooperative": T, "workshop": "own"}),
    "workshops.post": (lambda p: _workshop_areas(p.workshop), {"village": T, "cooperative": T, "workshop": "own"}),
    "workshops.liaison": (lambda x: _workshop_areas(x.workshop),
                          {"village": None, "cooperative": None, "workshop": "own"}),
    "workshops.difficulty": (lambda x: _workshop_areas(x.workshop),
                             {"village": None, "cooperative": None, "workshop": "own"}),
    "labor.worker": (_worker_areas, OWN_ALL),
    "labor.cooperative": (lambda c: {"township": {c.township_id}, "cooperative": {c.pk}},
                          {"village": T, "cooperative": "own", "workshop": T}),
    "labor.membership": (lambda m: {**_worker_areas(m.worker), "township": {m.cooperative.township_id},
                                    "cooperative": {m.cooperative_id}}, OWN_ALL),
    "labor.broker": (lambda b: {"township": {b.village.township_id}, "village": {b.village_id},
                                "cooperative": {b.cooperative_id},
                                "workshop": {p.workshop_id for p in b.placements.all()}}, OWN_ALL),
    "labor.placement": (_placement_areas, OWN_ALL),
    "labor.payroll": (lambda r: _placement_areas(r.placement), OWN_ALL),
    "labor.followup": (lambda f: _placement_areas(f.placement), OWN_ALL),
    "labor.referral": (lambda r: _about_worker_at(r.worker, r.post.workshop), OWN_ALL),
    "labor.jobfair": (lambda f: {"township": {f.township_id}}, TOWNSHIP_ALL),
    "labor.training": (lambda t: _workshop_areas(t.organizer_workshop), {"village": T, "cooperative": T,
                                                                         "workshop": "own"}),
    "labor.trainingcompletion": (lambda c: {**_worker_areas(c.worker),
                                            "workshop": {c.training.organizer_workshop_id}}, OWN_ALL),
    "labor.returnee": (lambda r: _worker_areas(r.worker), OWN_ALL),
    "labor.importjob": OWN,
    "labor.eastpost": ALL,  # east employers' posts: county-wide reference data
    "labor.outboundreferral": (lambda r: _worker_areas(r.worker), {"village": "own", "cooperative": "own",
                                                                   "workshop": None}),
    "labor.outboundplacement": (lambda p: _worker_areas(p.worker), {"village": "own", "cooperative": "own",
                                                                    "workshop": None}),
    "labor.outboundvisit": (lambda v: _worker_areas(v.placement.worker), {"village": "own", "cooperative": "own",
                                                                          "workshop": None}),
    "subsidies.subsidyrun": NOT_BROKERS,
    "subsidies.subsidyline": (lambda line: {**_about_worker_at(line.worker, line.workshop)}, OWN_ALL),
    "loans.loan": (lambda loan: {"township": {loan.township_id}}, NO_NARROW),
    "loans.repayment": (lambda r: {"township": {r.loan.township_id}}, NO_NARROW),
    "loans.loanpolicy": (lambda p: {"township": set()}, NO_NARROW),
    "accounts.apitoken": OWN,
    "accounts.auditevent": COUNTY_ADMINS,  # the audit log: county-wide, read by county admins alone
}
BROKERS_REFUSED = {"subsidies.subsidyrun", "subsidies.subsidyline"}  # "subsidies.run.view" excludes brokers
# The liaison station reads the outbound records and the places county-wide, nothing else of the programme
# (written here again, not read from accounts.scoping.STATION_MODELS); like brokers it reads no subsidy run.
STATION_READS = {"labor.outboundreferral", "labor.outboundplacement", "labor.outboundvisit", "labor.eastpost",
                 "regions.township", "regions.village"}


def _levels(user):
    narrow = {level: getattr(user, f"{level}_id") for level in ("workshop", "village", "cooperative")}
    narrow = {level: value for level, value in narrow.items() if value}
    return narrow or {"township": user.township_id}


def refused(user, label) -> bool:
    """The whole endpoint is closed to the user (403), not merely limited to their scope."""
    if AREAS[label] == COUNTY_ADMINS:
        return user.role != Role.COUNTY_ADMIN
    return user.role in (Role.BROKER, Role.LIAISON_STATION) and label in BROKERS_REFUSED


def sees(user, obj) -> bool:
    label = obj._meta.label_lower
    rule = AREAS[label]
    if refused(user, label):
        return False
    if rule == OWN:
        owner = getattr(obj, "user_id", None) or getattr(obj, "created_by_id", None)
        return owner == user.pk
    if user.role == Role.BROKER and label in BROKERS_REFUSED:
        return False
    if rule in (ALL, NOT_BROKERS, COUNTY_ADMINS):
        return True
    if user.role == Role.LIAISON_STATION:
        return label in STATION_READS
    if user.role in COUNTY_ROLES or (user.role == Role.PARTNER and not user.township_id):
        return True
    areas_of, narrow = rule
    areas = areas_of(obj)
    for level, value in _levels(user).items():
        how = "own" if level == "township" else narrow[level]
        if how == "own" and value in areas.get(level, set()):
            return True
        if how == T and user.township_id in areas["township"]:
            return True
    return False


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """Two townships, two villages in the first and one in the second, a cooperative and a workshop in
    each, people living in one township and working in the other, and every record about them; built
    once per module (tests.once)."""
    yield from built_once(django_db_blocker, lambda: _build_county(township("511781102"), township("511781100")))


def _build_county(t1, t2):
    v1a, v1b = VillageFactory(township=t1, name="一村"), VillageFactory(township=t1, name="二村")
    v2 = VillageFactory(township=t2, name="太平村")
    c1, c2 = CooperativeFactory(township=t1), CooperativeFactory(township=t2)
    e1, e2 = EnterpriseFactory(township=t1), EnterpriseFactory(township=t2)
    w1, w2 = WorkshopFactory(village=v1a, enterprise=e1), WorkshopFactory(village=v2, enterprise=e2)
    people = {
        "a": WorkerFactory(village=v1a), "b": WorkerFactory(village=v1b), "c": WorkerFactory(village=v1a),
        "d": WorkerFactory(village=v2), "e": WorkerFactory(village=v1b),
    }
    a, b, c, d, e = people.values()
    Membership.objects.create(worker=b, cooperative=c1, joined_on=date(2024, 1, 1))
    Membership.objects.create(worker=c, cooperative=c1, joined_on=date(2023, 1, 1), left_on=date(2023, 6, 1))
    Membership.objects.create(worker=c, cooperative=c1, joined_on=date(2024, 1, 1))  # twice: still one row each
    Membership.objects.create(worker=d, cooperative=c2, joined_on=date(2024, 1, 1))
    users = {
        "county admin": make_user("m-admin", Role.COUNTY_ADMIN),
        "county officer": make_user("m-county", Role.COUNTY_OFFICER),
        "township officer 1": make_user("m-to1", Role.TOWNSHIP_OFFICER, township=t1),
        "township officer 2": make_user("m-to2", Role.TOWNSHIP_OFFICER, township=t2),
        "village broker 1": make_user("m-bv1", Role.BROKER, village=v1a),
        "village broker 2": make_user("m-bv2", Role.BROKER, village=v2),
        "cooperative broker 1": make_user("m-bc1", Role.BROKER, village=v1b, cooperative=c1),
        "cooperative broker 2": make_user("m-bc2", Role.BROKER, village=v2, cooperative=c2),
        "operator 1": make_user("m-op1", Role.WORKSHOP_OPERATOR, workshop=w1),
        "operator 2": make_user("m-op2", Role.WORKSHOP_OPERATOR, workshop=w2),
        "partner of a township 1": make_user("m-pt1", Role.PARTNER, township=t1),
        "partner of a township 2": make_user("m-pt2", Role.PARTNER, township=t2),
        "partner county-wide": make_user("m-pc", Role.PARTNER),
        "liaison station": make_user("m-station", Role.LIAISON_STATION),
    }
    brokers = {key: Broker.objects.create(user=u, village=u.village, cooperative=u.cooperative)
               for key, u in users.items() if u.role == Role.BROKER}
    placements = {
        "a": PlacementFactory(worker=a, workshop=w1, broker=brokers["village broker 1"]),
        "b": PlacementFactory(worker=b, workshop=w1, broker=brokers["cooperative broker 1"]),
        "d": PlacementFactory(worker=d, workshop=w2),
        "e": PlacementFactory(worker=e, workshop=w2),  # lives in township 1, works in township 2
    }
    for placement in placements.values():
        PayrollFactory(placement=placement)
    FollowUpFactory(placement=placements["a"])
    FollowUpFactory(placement=placements["e"])
    p1, p2 = PostFactory(workshop=w1), PostFactory(workshop=w2)
    ReferralFactory(worker=c, post=p1, broker=brokers["cooperative broker 1"])
    ReferralFactory(worker=d, post=p2)
    ReferralFactory(worker=e, post=p2)
    tr1, tr2 = TrainingFactory(organizer_workshop=w1), TrainingFactory(organizer_workshop=w2)
    TrainingCompletionFactory(training=tr1, worker=a)
    TrainingCompletionFactory(training=tr2, worker=c)
    TrainingCompletionFactory(training=tr2, worker=d)
    JobFairFactory(township=t1), JobFairFactory(township=t2)
    ReturneeFactory(worker=c), ReturneeFactory(worker=d)
    LiaisonFactory(workshop=w1), LiaisonFactory(workshop=w2)
    DifficultyFactory(workshop=w1), DifficultyFactory(workshop=w2)
    ProductionBaseFactory(township=t1), ProductionBaseFactory(township=t2)
    LivestreamFactory(village=v1a), LivestreamFactory(village=v2)
    EastMarketSaleFactory(enterprise=e1), EastMarketSaleFactory(enterprise=e2)
    CooperationFundFactory(township=t1), CooperationFundFactory(township=t2)
    BrandFactory(), IndustryOutputFactory()
    east_post = EastPostFactory()
    OutboundReferralFactory(worker=b, east_post=east_post, broker=brokers["cooperative broker 1"])
    OutboundReferralFactory(worker=d, east_post=east_post)
    # c lives in township 1 (a member of c1), d in township 2
    outbound = [OutboundPlacementFactory(worker=c, east_post=east_post),
                OutboundPlacementFactory(worker=d, east_post=east_post)]
    OutboundVisitFactory(placement=outbound[0]), OutboundVisitFactory(placement=outbound[1])
    first_loan = lent_loan(worker=a, disbursed_on=date(2025, 1, 1))  # township 1; brokers and operators see none
    repayment_record(actor=SYSTEM, loan=first_loan, paid_on=date(2025, 2, 1), principal=Decimal("1000.00"))
    make_loan(worker=None, enterprise=e2)  # township 2
    run = SubsidyRun.objects.create(month=date(2025, 1, 1), policy=wy_2026(), kind=RunKind.REGULAR,
                                    status=RunStatus.APPROVED)
    SubsidyLine.objects.bulk_create([
        SubsidyLine(run=run, worker=p.worker, workshop=p.workshop, placement=p, component="post",
                    amount=Decimal("200.00"), reason="matrix") for p in placements.values()
    ])
    return users


def routes():
    """(prefix, model served, lookup field) of every route of the API's routers."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.api.urls")
        except ModuleNotFoundError:
            continue
        router = getattr(module, "router", None)
        for prefix, viewset, _basename in (router.registry if router else ()):
            found.append((prefix, viewset.serializer_class.Meta.model, getattr(viewset, "lookup_field", "pk")))
    return found


@dataclass
class Answers:
    """What the county's users were answered, by user, client kind and request, shared by the module's tests."""
    seen: dict = field(default_factory=dict)

    def client(self, who, user, kind):
        """This test's client of `kind` ("api": a token of its own; "page": a session), answering from memory
        what it was asked before in the module."""
        if kind == "api":
            client = api_for(user)
        else:
            client = Client()
            client.force_login(user)
        return Remembering(client, self.seen, (who, kind))


@dataclass
class Remembering:
    client: object
    seen: dict
    key: tuple

    def _once(self, what, fetch):
        key = (*self.key, *what)
        if key not in self.seen:
            self.seen[key] = fetch()
        return self.seen[key]

    def get(self, url, data=None, **extra):
        return self._once(("get", url, repr(data), repr(sorted(extra.items()))),
                          lambda: self.client.get(url, data, **extra))

    def exported(self, url, params):
        """tests.exports.exported: the file the background export writes."""
        return self._once(("export", url, repr(params)), lambda: exported(self.client, url, params))


@pytest.fixture(scope="module")
def answers(county):
    return Answers()


def test_the_routers_are_enumerated_and_every_model_they_serve_has_a_decided_scope():
    served = {model._meta.label_lower for _prefix, model, _lookup in routes()}
    assert {"labor.worker", "subsidies.subsidyline", "workshops.liaison", "regions.township"} <= served
    assert served - set(AREAS) == set(), "decide these models' scope in AREAS"


def _all_pages(client, url):
    """Every row of a paginated API list (page numbers or cursors alike)."""
    rows, separator = [], "&" if "?" in url else "?"
    url = f"{url}{separator}page_size=500"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        rows += body["results"]
        url = body.get("next")
    return rows


USERS = ["county admin", "county officer", "township officer 1", "township officer 2", "village broker 1",
         "village broker 2", "cooperative broker 1", "cooperative broker 2", "operator 1", "operator 2",
         "partner of a township 1", "partner of a township 2", "partner county-wide", "liaison station"]


@pytest.mark.parametrize("who", USERS)
def test_every_api_list_and_detail_shows_exactly_the_users_scope(county, answers, who):
    user = county[who]
    client = answers.client(who, user, "api")
    checked = 0
    for prefix, model, lookup in routes():
        label = model._meta.label_lower
        everything = list(model._default_manager.all())
        if label == "regions.township":  # the 31 units: those of the matrix and a third
            everything = [t for t in everything if t.code in ("511781102", "511781100", "511781101")]
        key = "id" if lookup == "pk" else lookup  # townships and villages are addressed by their code
        expected = {getattr(obj, lookup) for obj in everything if sees(user, obj)}
        closed = refused(user, label)
        if closed:
            assert client.get(f"/api/v1/{prefix}/").status_code in (403, 404), prefix
        else:
            got = [row[key] for row in _all_pages(client, f"/api/v1/{prefix}/")]
            if label == "regions.township":
                got = [code for code in got if code in {t.code for t in everything}]
            assert len(got) == len(set(got)), f"{prefix}: a row shown twice"
            assert set(got) - expected == set(), f"{prefix}: {who} sees rows outside their scope"
            assert expected - set(got) == set(), f"{prefix}: {who} misses rows in their scope"
        for obj in everything:
            status = client.get(f"/api/v1/{prefix}/{getattr(obj, lookup)}/").status_code
            if getattr(obj, lookup) in expected:
                assert status == 200, (prefix, obj.pk, status)
            else:
                assert status in ((403, 404) if closed else (404,)), (prefix, obj.pk, status)
        checked += 1
    # one run's lines, the route beside the routers
    run = SubsidyRun.objects.get()
    if user.role in (Role.BROKER, Role.LIAISON_STATION):
        assert client.get(f"/api/v1/subsidy-runs/{run.pk}/lines/").status_code in (403, 404)
    else:
        got = {row["id"] for row in _all_pages(client, f"/api/v1/subsidy-runs/{run.pk}/lines/")}
        assert got == {line.pk for line in SubsidyLine.objects.all() if sees(user, line)}
    assert checked >= 25


def test_the_matrix_tells_the_users_apart(county):
    """The data is such that every narrow scope sees something and misses something."""
    workers = list(apps.get_model("labor", "Worker").objects.all())
    for who in USERS:
        user = county[who]
        seen = [w for w in workers if sees(user, w)]
        if user.role in COUNTY_ROLES or who == "partner county-wide":
            assert len(seen) == len(workers)
        elif user.role == Role.LIAISON_STATION:  # no worker list: the outbound records only
            assert seen == [], who
        else:
            assert 0 < len(seen) < len(workers), who


def _table_rows(html: str) -> int:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    assert body, "a list page without a table"
    rows = re.findall(r"<tr\b.*?</tr>", body.group(1), re.S)
    if len(rows) == 1 and "colspan" in rows[0]:
        return 0  # the table's "nothing here" row
    return len(rows)


@pytest.mark.parametrize("who", USERS)
def test_every_list_page_of_the_menu_and_its_export_shows_exactly_the_users_scope(county, answers, who):
    user = county[who]
    client = answers.client(who, user, "page")
    mine = {link["url_name"] for entry in items_for(user) for link in entry.get("children", [entry])}
    listed = 0
    for item in all_items():
        url = reverse(item.url_name)
        view = getattr(resolve(url).func, "view_class", None)
        if item.url_name not in mine:
            if user.role == Role.BROKER and item.url_name.startswith("subsidy-"):
                assert client.get(url).status_code in (403, 404), url
            continue
        if not (view and issubclass(view, ScopedListView)) or item.url_name == "accounts-audit":
            # (the audit log is county-wide and grows with this test's own requests: see test_audit_browser.py)
            # (the liaison station's home is its outbound list: "/" sends it there)
            assert client.get(url, follow=True).status_code == 200, url
            continue
        model = view.selector(user=county["county admin"]).model
        expected = sum(1 for obj in model._default_manager.all() if sees(user, obj))
        page = client.get(url)
        assert page.status_code == 200, url
        assert _table_rows(page.content.decode()) == min(expected, view.table_pagination["per_page"]), (url, who)
        export = client.exported(url, {"export": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True).worksheets[0]
        assert sum(1 for _ in sheet.iter_rows()) - 1 == expected, (url, who)
        listed += 1
    assert listed >= (4 if user.role == Role.LIAISON_STATION else 5), who  # the station: its four east lists


def test_brokers_may_not_read_subsidy_runs_lines_or_reports(county):
    broker = county["cooperative broker 1"]
    run = SubsidyRun.objects.get()
    api, page = api_for(broker), Client()
    page.force_login(broker)
    assert SubsidyLine.objects.filter(worker__village=broker.village).exists()  # there is something to hide
    for url in ("/api/v1/subsidy-runs/", f"/api/v1/subsidy-runs/{run.pk}/", "/api/v1/subsidy-lines/",
                f"/api/v1/subsidy-runs/{run.pk}/lines/", f"/api/v1/subsidy-runs/{run.pk}/report/"):
        assert api.get(url).status_code in (403, 404), url
    for name, args in (("subsidy-run-list", ()), ("subsidy-run-detail", (run.pk,)),
                       ("subsidy-run-lines", (run.pk,))):
        assert page.get(reverse(name, args=args)).status_code in (403, 404), name


def test_the_township_wide_level_is_the_users_township_only(county, jiuyuan):
    """A broker's posts and trainings are their township's, never the county's (no fallback beyond)."""
    broker = county["village broker 1"]
    posts = {row["id"] for row in _all_pages(api_for(broker), "/api/v1/posts/")}
    assert posts == set(apps.get_model("workshops", "Post").objects.filter(
        workshop__village__township=jiuyuan).values_list("pk", flat=True))
    assert township("511781100").pk != jiuyuan.pk


# --- no ID number can be rebuilt from anything shown below the county -----------------------------------
# For every non-county user: every API list and detail of every routed endpoint, every list page of their
# menu with its xlsx export, and the worker pages are collected; every string that looks like a masked or
# whole ID number and every date or age shown beside it goes to the attacker of tests/labor/test_masking.py,
# which must pin down no true number. No whole number and no birth date (non-county roles are shown the age
# by birth year) may appear at all.

BELOW_COUNTY = [who for who in USERS if not who.startswith("county")]


def _shown(answers, who, user) -> tuple[list[list[str]], list[str]]:
    """(records for the attacker, raw texts) of everything `user` is shown."""
    records, raw = [], []
    api = answers.client(who, user, "api")
    for prefix, model, lookup in routes():
        response = api.get(f"/api/v1/{prefix}/?page_size=500")
        if response.status_code != 200:
            continue
        records += json_records(response.json())
        raw.append(response.content.decode())
        for obj in model._default_manager.all()[:60]:
            detail = api.get(f"/api/v1/{prefix}/{getattr(obj, lookup)}/")
            if detail.status_code == 200:
                records += json_records(detail.json())
                raw.append(detail.content.decode())
    page = answers.client(who, user, "page")
    for entry in items_for(user):
        for link in entry.get("children", [entry]):
            response = page.get(link["url"])
            if response.status_code != 200:
                continue
            html = response.content.decode()
            records += html_records(html, whole_page=False)
            raw.append(html)
            if 'id="export-xlsx"' in html:  # the list's 下载Excel: the file its background export writes
                rows = xlsx_records(page.exported(link["url"], {"export": "xlsx"}).content)
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
def test_no_id_number_can_be_rebuilt_from_anything_shown_below_the_county(county, answers, who):
    user = county[who]
    assert user.role not in COUNTY_ROLES
    workers = list(Worker.objects.all())
    numbers = {w.id_number for w in workers}
    records, raw = _shown(answers, who, user)
    assert records, "no masked number was collected: the attack would prove nothing"
    text = "\n".join(raw)
    assert [n for n in numbers if n in text] == [], "a whole ID number is shown"
    births = {f"{w.birth_date:%Y-%m-%d}" for w in workers} | {f"{w.birth_date:%Y%m%d}" for w in workers}
    assert [b for b in births if b in text.replace("/", "-")] == [], "a birth date is shown"
    assert rebuilt(records, numbers) == set()


def test_the_attack_works_on_what_the_county_is_shown(county, answers):
    """The same collection for a county officer finds the whole numbers: the attacker is not blind."""
    records, raw = _shown(answers, "county officer", county["county officer"])
    numbers = set(Worker.objects.values_list("id_number", flat=True))
    assert rebuilt(records, numbers) == numbers
