"""Masked ID numbers stay masked (issue 11): for every role outside the county, fetch every API
endpoint, page and Excel export that carries workers and try to rebuild each worker's ID number
from what is shown — the visible characters of the mask, plus any birth date or age shown in the
same record, enumerating the hidden digits and keeping only numbers whose check character holds. A
number is rebuilt when exactly one candidate is left (or the number is shown whole). County roles
still see whole numbers."""

import functools
import io
import json
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from accounts.choices import Role
from labor import resident_id
from tests.exports import exported
from tests.factories import (
    BrokerFactory,
    CooperativeFactory,
    MembershipFactory,
    PayrollFactory,
    PlacementFactory,
    ReturneeFactory,
    TrainingCompletionFactory,
    TrainingFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_id_number,
    make_user,
)

pytestmark = pytest.mark.django_db
SHOWN_ID = re.compile(r"[0-9*]{17}[0-9X*]")
DATE = re.compile(r"((?:19|20)\d\d)[-/年.]?(\d\d)[-/月.]?(\d\d)")
SMALL_NUMBER = re.compile(r"(?<![\d.])(\d{1,3})(?![\d.])")

API = ["/api/v1/workers/", "/api/v1/memberships/", "/api/v1/placements/", "/api/v1/payroll/",
       "/api/v1/referrals/", "/api/v1/training-completions/", "/api/v1/returnees/", "/api/v1/follow-ups/",
       "/api/v1/subsidy-lines/"]
LISTS = ["/labor/workers/", "/labor/placements/", "/labor/payroll/", "/labor/referrals/", "/labor/memberships/",
         "/labor/training-completions/", "/labor/returnees/"]


# --- the attacker ---------------------------------------------------------------------------

@functools.cache
def _dates_between(first: date, last: date) -> tuple:
    return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


def candidates(shown: str, hints: list[str]) -> list[set[str]]:
    """For a shown (masked or whole) number and the texts of its record, one candidate set per
    hypothesis an attacker could make: no help, "this date is the birth date", "this number is the
    age" (exact, or reached this year)."""
    if "*" not in shown:
        return [{shown}]
    today = date.today()
    hypotheses = {_dates_between(date(1930, 1, 1), today)}
    joined = " ".join(hints)
    for year, month, day in set(DATE.findall(joined)):
        try:
            hypotheses.add((date(int(year), int(month), int(day)),))
        except ValueError:
            pass
    for number in set(SMALL_NUMBER.findall(joined)):
        age = int(number)
        if 10 <= age <= 100:
            hypotheses.add(_dates_between(date(today.year - age - 1, today.month, 1),
                                          date(today.year - age, today.month, min(today.day, 28))))
            hypotheses.add(_dates_between(date(today.year - age, 1, 1), date(today.year - age, 12, 31)))
    results = []
    for born_options in hypotheses:
        found = set()
        for born in born_options:
            digits = born.strftime("%Y%m%d")
            if any(s != "*" and s != d for s, d in zip(shown[6:14], digits, strict=True)):
                continue
            for sequence in _fill(shown[14:17]):
                first17 = _fill_fixed(shown[:6]) + digits + sequence
                if first17 is None:
                    continue
                check = resident_id.check_character(first17)
                if shown[17] in ("*", check):
                    found.add(first17 + check)
                if len(found) > 1:
                    break
            if len(found) > 1:
                break
        results.append(found)
    return results


def _fill(pattern: str):
    """Every way of filling the '*' of a short pattern with digits."""
    if "*" not in pattern:
        yield pattern
        return
    i = pattern.index("*")
    for digit in "0123456789":
        yield from _fill(pattern[:i] + digit + pattern[i + 1:])


def _fill_fixed(region: str):
    return region if "*" not in region else region.replace("*", "0")  # never masked here


def rebuilt(records: list[list[str]], numbers: set[str]) -> set[str]:
    """The true numbers an attacker pins down from `records` (each a list of texts shown together)."""
    found = set()
    for record in records:
        for text in record:
            for shown in SHOWN_ID.findall(text):
                for options in candidates(shown, record):
                    if len(options) == 1 and options <= numbers:
                        found |= options
    return found


# --- what each role is shown ----------------------------------------------------------------

def json_records(data) -> list[list[str]]:
    records = []

    def walk(value):
        if isinstance(value, dict):
            records.append([str(v) for v in value.values() if not isinstance(v, (dict, list))])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(data)
    return records


def html_records(html: str, *, whole_page: bool) -> list[list[str]]:
    text = re.sub(r"<[^>]+>", " ", html)
    if whole_page:
        return [[text]]
    return [[re.sub(r"<[^>]+>", " ", row)] for row in re.split(r"<tr[ >]", html)]


def xlsx_records(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[str(v) for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]


def everything_shown(user, workers, api, page) -> list[list[str]]:
    records = []
    client = api(user)
    for path in API:
        response = client.get(path)
        if response.status_code == 200:
            records += json_records(response.json())
    for worker in workers:
        response = client.get(f"/api/v1/workers/{worker.pk}/")
        if response.status_code == 200:
            records += json_records(response.json())
    if user.role == Role.PARTNER:
        return records  # partners have no pages
    browser = page(user)
    for path in LISTS:
        response = browser.get(path)
        if response.status_code == 200:
            records += html_records(response.content.decode(), whole_page=False)
            export = exported(browser, path, {"export": "xlsx"})  # the background export's file
            records += xlsx_records(export.content)
    for worker in workers:
        response = browser.get(f"/labor/workers/{worker.pk}/")
        if response.status_code == 200:
            records += html_records(response.content.decode(), whole_page=True)
        search = browser.get("/labor/", {"q": worker.name}, HTTP_HX_REQUEST="true")
        if search.status_code == 200:
            records += html_records(search.content.decode(), whole_page=True)
    return records


@pytest.fixture
def county(jiuyuan):
    """Workers of one village of 旧院, each with a record of every kind, at a workshop there."""
    village = VillageFactory(township=jiuyuan)
    workshop = WorkshopFactory(village=village)
    workers = [WorkerFactory(village=village, id_number=make_id_number(n, born=date(1960 + 3 * n, 1 + n % 12, 3 + n)),
                             born=date(1960 + 3 * n, 1 + n % 12, 3 + n)) for n in range(1, 13)]
    cooperative = CooperativeFactory(township=jiuyuan)
    training = TrainingFactory(organizer_workshop=workshop)
    for worker in workers:
        placement = PlacementFactory(worker=worker, workshop=workshop, start_date=date(2025, 1, 1))
        PayrollFactory(placement=placement, month=date(2025, 2, 1))
        MembershipFactory(worker=worker, cooperative=cooperative)
        TrainingCompletionFactory(worker=worker, training=training)
        ReturneeFactory(worker=worker)
    users = {
        "township_officer": make_user("jy-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan),
        "broker": BrokerFactory(user=make_user("jy-broker", Role.BROKER, village=village), village=village).user,
        "operator": make_user("jy-operator", Role.WORKSHOP_OPERATOR, township=jiuyuan, workshop=workshop),
        "partner": make_user("putuo", Role.PARTNER),
    }
    return workers, users


class TestTheAttackerFindsTheOldMask:
    def test_the_attacker_rebuilds_a_mask_shown_next_to_the_birth_date(self):
        """The check of the check: the attack above succeeds against what main showed before."""
        number = make_id_number(7, born=date(1980, 3, 9))
        assert rebuilt([[resident_id.mask(number), "1980-03-09"]], {number}) == {number}
        assert rebuilt([[number]], {number}) == {number}
        # The mask with the age reached this year is not enough.
        age = date.today().year - 1980
        assert rebuilt([[resident_id.mask(number), str(age), "男"]], {number}) == set()


@pytest.mark.parametrize("role", ["township_officer", "broker", "operator", "partner"])
def test_no_id_number_is_rebuilt_outside_the_county_roles(role, county, api, page):
    workers, users = county
    numbers = {w.id_number for w in workers}
    records = everything_shown(users[role], workers, api, page)
    shown = [text for record in records for text in record if SHOWN_ID.search(text)]
    assert shown, f"{role} was shown no worker at all: the test would prove nothing"
    assert rebuilt(records, numbers) == set()
    assert not any(w.birth_date.isoformat() in json.dumps(records, ensure_ascii=False) for w in workers)


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.COUNTY_OFFICER])
def test_county_roles_see_whole_numbers_and_birth_dates(role, county, api, page):
    workers, _users = county
    user = make_user(f"county-{role}", role)
    data = api(user).get(f"/api/v1/workers/{workers[0].pk}/").json()
    assert data["id_number"] == workers[0].id_number and data["birth_date"] == workers[0].birth_date.isoformat()
    listed = exported(page(user), "/labor/workers/", {"export": "xlsx"})
    assert {w.id_number for w in workers} <= {v for row in xlsx_records(listed.content) for v in row}


def test_others_get_the_age_and_no_birth_date(county, api, page):
    workers, users = county
    worker = workers[0]
    data = api(users["township_officer"]).get(f"/api/v1/workers/{worker.pk}/").json()
    assert data["birth_date"] is None and data["age"] == date.today().year - worker.birth_date.year
    assert data["id_number"] == resident_id.mask(worker.id_number)
    html = page(users["broker"]).get(f"/labor/workers/{worker.pk}/").content.decode()
    assert 'id="age"' in html and "年龄" in html and worker.birth_date.strftime("%Y-%m-%d") not in html


class TestNoOracleOverTheMask:
    def test_a_substring_of_an_id_number_finds_nobody(self, county, api, page):
        workers, users = county
        worker = workers[0]
        birth = worker.id_number[6:14]
        client = api(users["township_officer"])
        assert client.get("/api/v1/workers/", {"search": birth}).json()["count"] == 0
        assert client.get("/api/v1/workers/", {"search": worker.id_number}).json()["count"] == 1  # a whole number
        assert client.get("/api/v1/workers/", {"ordering": "birth_date"}).json()["results"][0]["birth_date"] is None

    def test_masked_columns_cannot_be_sorted(self, county, page):
        workers, users = county
        html = page(users["township_officer"]).get("/labor/workers/", {"sort": "id_number"}).content.decode()
        names = re.findall(r'href="/labor/workers/\d+/">([^<]+)<', html)
        assert names == sorted(names)  # still in name order, not by ID number (birth date)
        assert 'href="?sort=name"' in html  # sortable columns have such links; the masked ones none
        assert 'href="?sort=id_number"' not in html and 'href="?sort=birth_date"' not in html


class TestDuplicateIdNumbers:
    """A number registered in another area: the answer says only that it is registered in the county."""

    COUNTY_ANSWER = "该身份证号已在本县登记；请向乡镇劳务服务站咨询。"

    def test_create_over_the_api_and_the_page(self, county, api, page, taiping):
        workers, users = county
        elsewhere = WorkerFactory(name="太平工人", village=VillageFactory(township=taiping))
        broker = users["broker"]
        response = api(broker).post("/api/v1/workers/", {"id_number": elsewhere.id_number, "name": "冒名",
                                                         "village": broker.village.code}, format="json")
        assert response.status_code == 409 and response.json()["detail"] == self.COUNTY_ANSWER
        assert "太平" not in response.content.decode()
        # A number of their own area: they may be told plainly (they can find that worker).
        mine = api(broker).post("/api/v1/workers/", {"id_number": workers[0].id_number, "name": "重复",
                                                     "village": broker.village.code}, format="json")
        assert mine.status_code == 409 and mine.json()["detail"] != self.COUNTY_ANSWER
        form = page(broker).post("/labor/workers/new/", {"id_number": elsewhere.id_number, "name": "冒名",
                                                          "village": broker.village.pk, "category": "general"})
        body = form.content.decode()
        assert self.COUNTY_ANSWER in body and "太平工人" not in body

    def test_the_id_check_page(self, county, page, taiping):
        workers, users = county
        elsewhere = WorkerFactory(village=VillageFactory(township=taiping))
        client = page(users["broker"])
        outside = client.get("/labor/workers/check-id/", {"id_number": elsewhere.id_number}).content.decode()
        assert self.COUNTY_ANSWER in outside and elsewhere.name not in outside
        inside = client.get("/labor/workers/check-id/", {"id_number": workers[0].id_number}).content.decode()
        assert "已登记" in inside and self.COUNTY_ANSWER not in inside
