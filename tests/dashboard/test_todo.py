"""Each role's home and to-do (issue 14): every count is computed by hand from the small county built
here, the link beside it opens a list of exactly that many rows, `GET /api/v1/me/todo/` answers the
same items, and neither the homes nor the API need more queries as the data grows.

Months are counted back from today (M0 is this month, M1 the last, ...), since the to-do is about now."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from dashboard import facts
from labor.choices import ImportStatus
from labor.models import ImportJob
from subsidies.choices import RunStatus
from subsidies.models import SubsidyRun
from tests.factories import (
    BrokerFactory,
    DifficultyFactory,
    PlacementFactory,
    PostFactory,
    ReferralFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    certified_workshop,
    make_user,
    payroll_months,
    wy_2026,
)
from tests.loans.factories import lent_loan


def month(k: int, today: date | None = None) -> date:
    """The first day of the month k months before today's (M0 = this month)."""
    first = (today or date.today()).replace(day=1)
    for _ in range(k):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def last_day(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


# What each role's to-do shows, in the registry's order, for the county `todo_county` builds.
EXPECTED = {
    Role.COUNTY_ADMIN: {"workshops_awaiting_certification": 3, "referrals_awaiting_decision": 4,
                        "open_difficulties": 3, "runs_awaiting_approval": 1, "runs_awaiting_payment": 2,
                        "months_without_approved_run": 2, "imports_awaiting_confirmation": 1,
                        "overdue_loans": 1},
    Role.COUNTY_OFFICER: {"workshops_awaiting_certification": 3, "referrals_awaiting_decision": 4,
                          "open_difficulties": 3, "months_without_approved_run": 2,
                          "imports_awaiting_confirmation": 0, "overdue_loans": 1},
    Role.TOWNSHIP_OFFICER: {"workshops_awaiting_certification": 2, "referrals_awaiting_decision": 3,
                            "open_difficulties": 2, "imports_awaiting_confirmation": 0},
    Role.BROKER: {"my_referrals_awaiting_decision": 2, "imports_awaiting_confirmation": 1},
    Role.WORKSHOP_OPERATOR: {"referrals_awaiting_decision": 2, "placements_without_payroll": 2,
                             "open_difficulties": 1, "imports_awaiting_confirmation": 1},
    Role.PARTNER: {"workshops_awaiting_certification": 3},
}
# The broker's village: people registered there, placements started there this month, and all the
# broker's own referrals (2 pending, 1 hired) against 4 referrals of the village's people in all.
BROKER_HOME = {"workers": 5, "placements": 1, "my_referrals": 3}


def build_county(jiuyuan, taiping, *, tag: str = ""):
    """旧院镇 (two villages) and 太平镇. Returns the users, one per role. `tag` builds a second,
    disjoint batch of the same shape (for the query-count tests) without users."""
    today = date.today()
    home, other, tp_village = (VillageFactory(township=jiuyuan), VillageFactory(township=jiuyuan),
                               VillageFactory(township=taiping))
    # Workshops: the operator's (certified), another certified one in 旧院, a revoked one; awaiting
    # certification: two in 旧院, one in 太平.
    mine = certified_workshop(village=home, name=f"茶叶帮扶车间{tag}")
    jy_other = certified_workshop(village=other)
    certified_workshop(village=other, revoked_on=date(2025, 6, 1))
    WorkshopFactory(village=home), WorkshopFactory(village=other), WorkshopFactory(village=tp_village)
    tp_workshop = certified_workshop(village=tp_village)
    post_mine, post_other, post_tp = (PostFactory(workshop=mine), PostFactory(workshop=jy_other),
                                      PostFactory(workshop=tp_workshop))

    users = {}
    if not tag:
        users = {
            Role.COUNTY_ADMIN: make_user("todo-admin", Role.COUNTY_ADMIN),
            Role.COUNTY_OFFICER: make_user("todo-county", Role.COUNTY_OFFICER),
            Role.TOWNSHIP_OFFICER: make_user("todo-township", Role.TOWNSHIP_OFFICER, township=jiuyuan),
            Role.BROKER: make_user("todo-broker", Role.BROKER, village=home),
            Role.WORKSHOP_OPERATOR: make_user("todo-operator", Role.WORKSHOP_OPERATOR, township=jiuyuan,
                                              workshop=mine),
            Role.PARTNER: make_user("todo-partner", Role.PARTNER),
        }
        broker = BrokerFactory(user=users[Role.BROKER])
        colleague = BrokerFactory(user=make_user("todo-broker-2", Role.BROKER, village=home))
    else:
        broker = colleague = None

    # Referrals pending: the broker's two (at the operator's workshop and at the other 旧院 one), a
    # colleague's at the operator's, one in 太平; decided: the broker's hired one, a colleague's declined.
    decided = today - timedelta(days=3)
    ReferralFactory(worker=WorkerFactory(village=home), post=post_mine, broker=broker)
    ReferralFactory(worker=WorkerFactory(village=home), post=post_other, broker=broker)
    ReferralFactory(worker=WorkerFactory(village=home), post=post_mine, broker=colleague)
    ReferralFactory(worker=WorkerFactory(village=tp_village), post=post_tp)
    ReferralFactory(worker=WorkerFactory(village=home), post=post_other, broker=broker, outcome="hired",
                    decided_on=decided)
    ReferralFactory(worker=WorkerFactory(village=other), post=post_other, broker=colleague, outcome="declined",
                    decided_on=decided)

    # Difficulties open: one at the operator's workshop (another resolved), one at the other 旧院
    # workshop, one in 太平.
    DifficultyFactory(workshop=mine)
    DifficultyFactory(workshop=mine, status="resolved", resolved_on=date(2025, 5, 1), resolution="已解决")
    DifficultyFactory(workshop=jy_other)
    DifficultyFactory(workshop=tp_workshop)

    # Placements at the operator's workshop. Last month (M1) a1 has payroll; a2 (payroll for M2, M3 only)
    # and a3 (started in M1) have none: 2 missing. a4 ended before M1, a5 started this month: not missing.
    a1 = PlacementFactory(worker=WorkerFactory(village=other), workshop=mine, start_date=month(6, today))
    a2 = PlacementFactory(worker=WorkerFactory(village=other), workshop=mine, start_date=month(3, today))
    PlacementFactory(worker=WorkerFactory(village=other), workshop=mine, start_date=month(1, today) + timedelta(days=9))
    PlacementFactory(worker=WorkerFactory(village=other), workshop=mine, start_date=month(6, today),
                     end_date=last_day(month(2, today)))
    # The broker's village: one placement started this month (a5); one elsewhere in 旧院 this month too.
    PlacementFactory(worker=WorkerFactory(village=home), workshop=mine, start_date=month(0, today))
    PlacementFactory(worker=WorkerFactory(village=other), workshop=jy_other, start_date=month(0, today))
    # Guarantee loans: one disbursed three months ago and never repaid (its first instalment is two
    # months late: overdue), one disbursed this month (nothing due yet).
    lent_loan(worker=WorkerFactory(village=other), disbursed_on=month(3, today), applied_on=month(4, today))
    lent_loan(worker=WorkerFactory(village=tp_village), disbursed_on=month(0, today), applied_on=month(1, today))
    if not tag:
        payroll_months(a1, [month(k, today) for k in (1, 2, 3, 4)])
        payroll_months(a2, [month(k, today) for k in (2, 3)])
        # Runs (county-wide): M2 submitted, M3 approved, M4 paid, M5 approved (no payroll): the months
        # with payroll but no approved run are M1 and M2.
        policy = wy_2026()
        for k, status in ((2, RunStatus.SUBMITTED), (3, RunStatus.APPROVED), (4, RunStatus.PAID),
                          (5, RunStatus.APPROVED)):
            paid = {"voucher": "PZ-1", "paid_on": today} if status == RunStatus.PAID else {}
            SubsidyRun.objects.create(month=month(k, today), policy=policy, status=status, **paid)
        # Imports checked and waiting: the operator's, the broker's and the administrator's; one done.
        for role, status in ((Role.WORKSHOP_OPERATOR, ImportStatus.PREVIEW), (Role.BROKER, ImportStatus.PREVIEW),
                             (Role.COUNTY_ADMIN, ImportStatus.PREVIEW), (Role.WORKSHOP_OPERATOR, ImportStatus.DONE)):
            ImportJob.objects.create(kind="workers", status=status, filename=f"{role}-{status}.xlsx",
                                     created_by=users[role])
    else:
        # the same shape again: payroll in months that already have some, imports of nobody above
        payroll_months(a1, [month(k, today) for k in (1, 2)])
    return users


@pytest.fixture
def todo_county(jiuyuan, taiping):
    return build_county(jiuyuan, taiping)


def table_rows(html: str) -> int:
    """Rows of the list page's table (its "no rows" line is not a row)."""
    body = html[html.index("<tbody"):]
    body = body[:body.index("</tbody>")]
    return sum(1 for row in re.findall(r"<tr[ >].*?</tr>", body, re.S) if "colspan" not in row)


def rows_behind(client, url: str) -> int:
    """How many rows the page at `url` lists: a table's rows, the runs page's months without a run, or
    the import page's imports."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    if url.endswith("#gap-months"):
        return html.count("data-gap=")
    if url.startswith("/labor/imports/"):
        listed = html[html.index("<h2"):]
        return len(re.findall(r'href="/labor/imports/\d+/"', listed))
    return table_rows(html)


def shown(html: str) -> dict:
    return {key: int(count.replace(",", "")) for key, count in
            re.findall(r'data-todo-count="(\w+)">([\d,]+)<', html)}


def links(html: str) -> dict:
    return {key: url.replace("&amp;", "&") for url, key in re.findall(r'href="([^"]+)" data-todo="(\w+)"', html)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_roles_home_shows_its_to_do_and_each_link_lists_exactly_that_many_rows(client, todo_county, role):
    user = todo_county[role]
    client.force_login(user)
    html = client.get("/").content.decode()
    assert shown(html) == EXPECTED[role]
    assert list(shown(html)) == list(EXPECTED[role])  # the registry's order
    assert 'id="todo"' in html and "待办" in html
    for key, url in links(html).items():
        assert rows_behind(client, url) == EXPECTED[role][key], (key, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_api_returns_the_same_items_with_chinese_labels(api, todo_county, role):
    response = api(todo_county[role]).get("/api/v1/me/todo/")
    assert response.status_code == 200
    items = response.json()["items"]
    assert {entry["key"]: entry["count"] for entry in items} == EXPECTED[role]
    assert [entry["key"] for entry in items] == list(EXPECTED[role])
    assert all(re.search(r"[\u4e00-\u9fff]", entry["label"]) for entry in items)
    assert all(entry["url"].startswith("/") for entry in items)


@pytest.mark.django_db
def test_the_api_needs_a_sign_in_and_is_documented(client, api, county_admin):
    assert client.get("/api/v1/me/todo/").status_code == 401
    schema = api(county_admin).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/me/todo/"]["get"]
    assert operation["operationId"] == "me_todo"
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/Todo")
    item = schema["components"]["schemas"]["TodoItem"]
    assert set(item["required"]) == {"key", "label", "count", "url"}


@pytest.mark.django_db
def test_labels_and_links_say_which_month_has_no_payroll(client, todo_county):
    client.force_login(todo_county[Role.WORKSHOP_OPERATOR])
    html = client.get("/").content.decode()
    last = f"{month(1):%Y-%m}"
    assert links(html)["placements_without_payroll"] == f"/labor/placements/?payroll_missing={last}"
    assert f"{last} 未报工资的就业记录" in html


@pytest.mark.django_db
def test_the_brokers_home_is_their_village_with_big_buttons_and_their_own_referrals(client, todo_county):
    broker = todo_county[Role.BROKER]
    client.force_login(broker)
    html = client.get("/").content.decode()
    assert "我的村" in html and broker.village.name in html
    assert 'id="dashboard-choice"' not in html  # not the county dashboard
    for button, url in (("home-register", "/labor/workers/new/"), ("home-propose", "/labor/workers/")):
        tag = re.search(rf'<a class="([^"]+)" id="{button}" href="([^"]+)"', html)
        assert "btn-lg" in tag.group(1) and tag.group(2) == url
    assert ">登记人员<" in html and ">推荐上岗<" in html
    counts = dict(re.findall(r'data-home-count="(\w+)">(\d+)<', html))
    assert {key: int(value) for key, value in counts.items()} == {
        "workers": BROKER_HOME["workers"], "placements": BROKER_HOME["placements"]}
    cards = dict((key, url.replace("&amp;", "&")) for url, key in re.findall(r'href="([^"]+)" data-home="(\w+)"', html))
    assert rows_behind(client, cards["workers"]) == BROKER_HOME["workers"]
    assert rows_behind(client, cards["placements"]) == BROKER_HOME["placements"]
    mine = re.search(r'id="home-my-referrals" href="([^"]+)"', html).group(1)
    assert rows_behind(client, mine) == BROKER_HOME["my_referrals"]
    # the village's list holds the colleague's referrals too: "mine" is not the village's
    assert rows_behind(client, "/labor/referrals/") == 4
    # 我的村 in the menu (labor-home) links to the same "mine" list
    assert 'href="/labor/referrals/?mine=true"' in client.get("/labor/").content.decode()


@pytest.mark.django_db
def test_the_operators_home_is_their_workshop_with_its_certification(client, todo_county):
    operator = todo_county[Role.WORKSHOP_OPERATOR]
    client.force_login(operator)
    html = client.get("/").content.decode()
    assert "我的车间" in html and "茶叶帮扶车间" in html
    assert 'data-status="certified"' in html and "已认定" in html
    assert "自 2025-01-01 起已认定" in html
    assert "今日在岗 4 人；认定需至少 10 人" in html  # a1, a2, a3 and a5 are open today, a4 has ended
    assert f'href="/workshops/{operator.workshop_id}/"' in html


@pytest.mark.django_db
def test_the_partners_home_leads_to_the_api(client, todo_county):
    client.force_login(todo_county[Role.PARTNER])
    html = client.get("/").content.decode()
    assert 'href="/api/docs/"' in html and 'href="/api/schema/"' in html
    assert 'id="dashboard-choice"' not in html


def test_an_item_is_one_registered_function(monkeypatch):
    from dashboard import todo

    calls = []

    def overdue_loans(user, today):
        calls.append(today)
        return todo.Item("overdue_loans", "逾期贷款", 7, "/loans/?overdue=true")

    monkeypatch.setattr(todo, "SOURCES", [])
    todo.item(overdue_loans)
    assert todo.items_for(object(), today=date(2026, 12, 1)) == [
        todo.Item("overdue_loans", "逾期贷款", 7, "/loans/?overdue=true")]
    assert calls == [date(2026, 12, 1)]


# --- query counts: pinned, and the same whatever the data size ----------------------------------

# Measured with this data (the county roles' homes include the dashboard's board, computed per request
# in these tests); the to-do adds one COUNT per item (two for the months without a run).
# The county and township homes show the board: issue 16's cards add three (loans outstanding on two days,
# workers in the east).
HOME_QUERIES = {Role.COUNTY_ADMIN: 39, Role.COUNTY_OFFICER: 37, Role.TOWNSHIP_OFFICER: 35, Role.BROKER: 10,
                Role.WORKSHOP_OPERATOR: 9, Role.PARTNER: 3}
TODO_QUERIES = {Role.COUNTY_ADMIN: 11, Role.COUNTY_OFFICER: 9, Role.TOWNSHIP_OFFICER: 6, Role.BROKER: 4,
                Role.WORKSHOP_OPERATOR: 6, Role.PARTNER: 3}


def queries(get, url) -> int:
    facts.refresh_all()  # the new payroll and placements into the dashboard's facts, as any earlier request does
    with CaptureQueriesContext(connection) as captured:
        assert get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_homes_and_the_api_need_the_same_few_queries_as_the_data_grows(client, api, jiuyuan, taiping):
    users = build_county(jiuyuan, taiping)
    before = {}
    for role, user in users.items():
        client.force_login(user)
        before[role] = (queries(client.get, "/"), queries(api(user).get, "/api/v1/me/todo/"))
    build_county(jiuyuan, taiping, tag="-2")
    build_county(jiuyuan, taiping, tag="-3")
    for role, user in users.items():
        client.force_login(user)
        after = (queries(client.get, "/"), queries(api(user).get, "/api/v1/me/todo/"))
        assert after == before[role], role
        assert after[0] <= HOME_QUERIES[role] and after[1] <= TODO_QUERIES[role], (role, after)


@pytest.mark.django_db
def test_approving_a_run_changes_the_home_at_once(client, todo_county):
    """Nothing on the home is kept from one request to the next: the approver's next page counts again
    (the month leaves "months with payroll but no approved run", the run moves from awaiting approval to
    awaiting payment)."""
    from subsidies.services.workflow import run_approve

    admin = todo_county[Role.COUNTY_ADMIN]
    client.force_login(admin)
    before = shown(client.get("/").content.decode())
    run_approve(actor=admin, run=SubsidyRun.objects.get(month=month(2), status=RunStatus.SUBMITTED))
    after = shown(client.get("/").content.decode())
    assert after["months_without_approved_run"] == before["months_without_approved_run"] - 1 == 1
    assert after["runs_awaiting_approval"] == before["runs_awaiting_approval"] - 1
    assert after["runs_awaiting_payment"] == before["runs_awaiting_payment"] + 1
