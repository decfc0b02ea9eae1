"""Issue 14's smaller defects on the subsidy pages, as a county official meets them: labelled fields,
a locked policy shown locked before anything is typed, money and people written as people read them,
and the calculation's page telling the run's real state."""

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from accounts.choices import Role
from subsidies.choices import Component
from subsidies.models import Policy, SubsidyRun
from tests.factories import PlacementFactory, VillageFactory, certified_workshop, make_user, payroll_months

from .conftest import approve, calculate, months

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    """The fields of a page's <main> as a person meets them: each visible input, select and textarea
    with its label (a <label for=…> or the <label> around it), whether it is disabled, and its value."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.fields, self.label_for, self.labels = [], {}, {}
        self._open = []  # stack of (tag, attrs)
        self._label_text = []  # one list of text parts per open <label>
        self._in_main = False
        self._select = None
        self._option = None
        self._textarea = None
        self.feed(html)
        for field in self.fields:
            if not field["label"] and field["id"] in self.label_for:
                field["label"] = self.label_for[field["id"]]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        if tag == "label":
            self._label_text.append([])
            self._open.append((tag, {**attrs, "_fields": []}))
            return
        if tag in ("input", "select", "textarea"):
            field = {"tag": tag, "type": attrs.get("type", "text") if tag == "input" else tag,
                     "name": attrs.get("name"), "id": attrs.get("id"), "disabled": "disabled" in attrs,
                     "required": "required" in attrs, "value": attrs.get("value", ""), "checked": "checked" in attrs,
                     "label": "", "selected": []}
            self.fields.append(field)
            for open_tag, open_attrs in self._open:
                if open_tag == "label":
                    open_attrs["_fields"].append(field)
            if tag == "select":
                self._select = field
            if tag == "textarea":
                self._textarea = field
        if tag == "option" and self._select is not None:
            self._option = attrs.get("value", "")
            if "selected" in attrs:
                self._select["selected"].append(self._option)
        if tag not in VOID:
            self._open.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None
        while self._open:
            open_tag, attrs = self._open.pop()
            if open_tag == "label":
                text = " ".join("".join(self._label_text.pop()).split())
                if attrs.get("for"):
                    self.label_for[attrs["for"]] = text
                for field in attrs["_fields"]:
                    field["label"] = field["label"] or text
            if open_tag == tag:
                break

    def handle_data(self, data):
        for parts in self._label_text:
            parts.append(data)
        if self._textarea is not None:
            self._textarea["value"] += data

    def visible(self):
        return [f for f in self.fields if f["type"] not in UNLABELLED_TYPES]

    def unlabelled(self):
        return [f["name"] or f["id"] or f["tag"] for f in self.visible() if not f["label"]]

    def field(self, name):
        return next(f for f in self.fields if f["name"] == name)

    def posted(self) -> dict:
        """What a browser submits: every enabled named field (ticked boxes only, selected options)."""
        data = {}
        for f in self.fields:
            if f["disabled"] or not f["name"] or f["type"] in ("submit", "button", "reset", "image"):
                continue
            if f["type"] in ("checkbox", "radio"):
                if f["checked"]:
                    data.setdefault(f["name"], []).append(f["value"] or "on")
            elif f["tag"] == "select":
                data.setdefault(f["name"], []).extend(f["selected"])
            else:
                data.setdefault(f["name"], []).append(f["value"])
        return data


def page(client, url) -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    return body, Page(body)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def paid_under(county_admin, checker):
    """WY-2026 with an approved run for 2025-12 (one worker, in 旧院镇), so it is locked."""
    workshop = certified_workshop(on=date(2024, 1, 1))
    placement = PlacementFactory(workshop=workshop, start_date=date(2025, 1, 1),
                                 worker__category="poverty_alleviated")
    payroll_months(placement, months("2025-11", "2026-01"))
    return approve(calculate("2025-12"), county_admin, checker)


# --- labels ------------------------------------------------------------------------------------------

def test_every_field_on_the_subsidy_pages_has_a_visible_label(client, county_admin, checker, paid_under):
    submitted = calculate("2025-11")
    from subsidies import services

    services.run_submit(actor=checker, run=submitted)  # county_admin is then its checker: reject shows
    policy = Policy.objects.get(code="WY-2026")
    login(client, county_admin)
    urls = ["/subsidies/runs/", f"/subsidies/runs/{paid_under.pk}/", f"/subsidies/runs/{submitted.pk}/",
            f"/subsidies/runs/{paid_under.pk}/lines/", "/subsidies/policies/", f"/subsidies/policies/{policy.pk}/",
            f"/subsidies/policies/{policy.pk}/edit/", "/subsidies/policies/new/"]
    seen = set()
    for url in urls:
        _body, fields = page(client, url)
        assert fields.unlabelled() == [], url
        seen |= {f["name"] for f in fields.visible()}
    # the run pages' own forms were among them
    assert {"voucher", "paid_on", "reason", "posted_on", "office", "phone", "month"} <= seen


def test_mark_paid_asks_for_the_voucher_and_date_by_name_and_says_what_is_missing(client, county_admin, checker,
                                                                                  paid_under):
    login(client, county_admin)
    _body, fields = page(client, f"/subsidies/runs/{paid_under.pk}/")
    assert fields.field("voucher")["label"] == "付款凭证号" and fields.field("voucher")["required"]
    assert fields.field("paid_on")["label"] == "发放日期" and fields.field("paid_on")["required"]
    body = client.post(f"/subsidies/runs/{paid_under.pk}/mark-paid/", {"voucher": "", "paid_on": ""},
                       follow=True).content.decode()
    assert "付款凭证号：请填写付款凭证号。" in body and "发放日期：请按 YYYY-MM-DD 填写发放日期。" in body
    assert SubsidyRun.objects.get(pk=paid_under.pk).status == "approved"


# --- a locked policy -----------------------------------------------------------------------------------

def test_a_locked_policy_says_so_and_its_form_disables_what_may_not_change(client, county_admin, paid_under):
    policy = Policy.objects.get(code="WY-2026")
    login(client, county_admin)
    detail, _fields = page(client, f"/subsidies/policies/{policy.pk}/")
    reason = "2025-12 were approved"  # (English msgid) never shown: the page is Chinese
    assert reason not in detail
    assert 'id="policy-locked"' in detail and "2025-12" in detail
    assert "修改名称、文号或截止日期" in detail
    body, form = page(client, f"/subsidies/policies/{policy.pk}/edit/")
    assert 'id="policy-locked"' in body and "2025-12" in body
    locked = {f["name"] for f in form.visible() if f["disabled"]}
    open_ = {f["name"] for f in form.visible() if not f["disabled"]}
    assert {"code", "effective_from", "min_monthly_wage", "min_days", "min_age", "max_age",
            "job_subsidy-amount", "job_subsidy-enabled", "training-certificate_entry"} <= locked
    assert open_ == {"name", "document_number", "effective_to"}
    # What a browser posts from that form (no disabled field) saves the new name and nothing else.
    data = form.posted()
    data["name"] = ["万源市帮扶车间奖补政策（修订）"]
    response = client.post(f"/subsidies/policies/{policy.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    policy.refresh_from_db()
    assert policy.name == "万源市帮扶车间奖补政策（修订）" and policy.min_monthly_wage == Decimal("2000.00")
    assert policy.rules.get(component=Component.JOB_SUBSIDY).amount == Decimal("300.00")


def test_an_unlocked_policy_edits_every_field_and_says_nothing_of_a_lock(client, county_admin):
    policy = Policy.objects.get(code="WY-2026")
    login(client, county_admin)
    detail, _fields = page(client, f"/subsidies/policies/{policy.pk}/")
    assert 'id="policy-locked"' not in detail and ">编辑<" in detail
    body, form = page(client, f"/subsidies/policies/{policy.pk}/edit/")
    assert 'id="policy-locked"' not in body and not [f for f in form.visible() if f["disabled"]]


# --- the runs list -----------------------------------------------------------------------------------

def cells(body, table_id) -> list[list[str]]:
    """The text of each row's cells of the table with `table_id`."""

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.rows, self.inside, self.cell = [], False, None

        def handle_starttag(self, tag, attrs):
            if tag == "table" and dict(attrs).get("id") == table_id:
                self.inside = True
            elif self.inside and tag == "tr":
                self.rows.append([])
            elif self.inside and tag == "td":
                self.cell = []

        def handle_endtag(self, tag):
            if tag == "table":
                self.inside = False
            elif self.inside and tag == "td" and self.cell is not None:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Rows()
    parser.feed(body)
    return [row for row in parser.rows if row]


def test_the_runs_list_writes_yuan_with_separators_and_people_by_name(client, county_admin, paid_under,
                                                                      django_assert_max_num_queries):
    maker = paid_under.submitted_by
    maker.last_name, maker.first_name = "李", "四"
    maker.save()
    checker = paid_under.approved_by
    checker.first_name, checker.last_name = "Wang", "Wu"
    checker.save()
    SubsidyRun.objects.filter(pk=paid_under.pk).update(payable_total=Decimal("1234567.8"),
                                                       withheld_total=Decimal("-50"))
    login(client, county_admin)
    with django_assert_max_num_queries(12) as one:
        body = client.get("/subsidies/runs/").content.decode()
    row = next(r for r in cells(body, "subsidy-runs") if r[0] == str(paid_under.pk))
    assert "¥1,234,567.80" in row and "-¥50.00" in row
    assert "李四" in row and "Wang Wu" in row
    assert maker.username not in body.split('id="subsidy-runs"')[1]
    # More runs, each submitted and approved by someone else: the same number of queries.
    for month in ("2025-11", "2026-01"):
        approve(calculate(month), make_user(f"maker-{month}", Role.COUNTY_ADMIN, first_name="赵五"),
                make_user(f"checker-{month}", Role.COUNTY_ADMIN))
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get("/subsidies/runs/").content.decode()
    assert body.count("赵五") == 2


def test_the_run_page_writes_its_tables_in_yuan_and_people_by_name(client, county_admin, paid_under):
    maker = paid_under.submitted_by
    maker.last_name, maker.first_name = "李", "四"
    maker.save()
    body = login(client, county_admin).get(f"/subsidies/runs/{paid_under.pk}/").content.decode()
    assert "李四 ·" in body
    township_rows = cells(body, "township-totals")
    assert any(cell.startswith("¥") for row in township_rows for cell in row[1:])


# --- the calculation's page ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_finished_calculation_says_it_is_finished_and_shows_the_result(client):
    # transaction=True: the calculation task runs (in process) when the request commits, as with make run.
    admin = make_user("county-admin", Role.COUNTY_ADMIN)
    workshop = certified_workshop(on=date(2024, 1, 1), village=VillageFactory())
    payroll_months(PlacementFactory(workshop=workshop, worker__category="poverty_alleviated"),
                   months("2025-01", "2025-01"))
    login(client, admin)
    response = client.post("/subsidies/runs/new/", {"month": "2025-01"}, follow=True)
    body = response.content.decode()
    run = SubsidyRun.objects.get(month=date(2025, 1, 1))
    assert run.status == "draft"
    assert "已开始计算" not in body
    assert "2025-01 的奖补已完成计算：共 " in body and "应发 ¥" in body
    assert 'data-calculation="done"' in body and "已完成计算（" in body
    assert 'hx-trigger="every 2s"' not in body  # nothing left to wait for


def test_a_queued_calculation_says_queued_and_the_page_refreshes_itself(client, county_admin, paid_under):
    # In a test transaction the task is never sent: the run stays queued, as with a busy worker.
    login(client, county_admin)
    body = client.post("/subsidies/runs/new/", {"month": "2026-01"}, follow=True).content.decode()
    assert SubsidyRun.objects.get(month=date(2026, 1, 1)).status == "queued"
    assert "已开始计算" not in body and "2026-01 的奖补计算排队中。" in body
    assert 'data-calculation="queued"' in body and 'hx-trigger="every 2s"' in body
    assert "排队中</strong>：等待开始计算。" in body


def test_a_failed_calculation_says_failed_and_why(client, county_admin, paid_under):
    run = calculate("2026-01")
    SubsidyRun.objects.filter(pk=run.pk).update(status="failed", error="工资数据缺失")
    body = login(client, county_admin).get(f"/subsidies/runs/{run.pk}/").content.decode()
    assert "计算失败：</strong> 工资数据缺失" in body and 'hx-trigger="every 2s"' not in body
