"""The loan pages as an official uses them: the list filtered by name and by overdue (the to-do's link),
its Excel, a loan's page with its repayments and history, the forms and the workflow's refusals, and
the limits page county administrators edit."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import AuditEvent
from loans import rules, selectors
from loans.models import Loan, LoanPolicy
from tests.exports import exported, sheet_rows
from tests.factories import VillageFactory, WorkerFactory, make_user

from .factories import lent_loan, make_loan

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_filters_by_name_and_overdue_and_exports_what_it_shows(county_officer, jiuyuan, taiping):
    make_loan(worker=WorkerFactory(name="王小明", village=VillageFactory(township=jiuyuan)))
    today = timezone.localdate()
    disbursed = rules.add_months(today, -3)
    late = lent_loan(worker=WorkerFactory(name="李大山", village=VillageFactory(township=taiping)),
                     disbursed_on=disbursed, applied_on=disbursed - timedelta(days=10))
    client = login(county_officer)
    page = client.get("/loans/?search=李大").content.decode()
    assert "李大山" in page and "王小明" not in page
    overdue_url = reverse("loan-list") + "?" + selectors.OVERDUE_LIST_QUERY
    page = client.get(overdue_url).content.decode()
    assert "李大山" in page and "王小明" not in page
    rows = sheet_rows(exported(client, "/loans/", {"search": "李大", "export": "xlsx"}).content)
    assert len(rows) == 2 and "李大山" in rows[1] and late.pk in rows[1]


def test_an_official_applies_and_the_county_decides_on_the_pages(county_officer, jiuyuan):
    worker = WorkerFactory(village=VillageFactory(township=jiuyuan))
    officer = make_user("page-loans-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    client = login(officer)
    form = {"worker": worker.id_number, "lender_bank": "农商银行", "guarantee_fund": "担保基金",
            "amount": "250000", "term_months": "24", "annual_rate": "3.45", "subsidy_share": "100",
            "applied_on": "2025-01-10"}
    refused = client.post("/loans/new/", form)
    assert refused.status_code == 200
    assert "个人最多可贷 200,000.00 元" in refused.content.decode()
    created = client.post("/loans/new/", {**form, "amount": "200000"})
    loan = Loan.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/loans/{loan.pk}/"
    detail = client.get(f"/loans/{loan.pk}/").content.decode()
    assert "已申请" in detail and "审批通过" not in detail  # the township officer does not approve
    assert client.get(f"/loans/{loan.pk}/approve/").status_code == 403
    county = login(county_officer)
    assert f"/loans/{loan.pk}/approve/" in county.get(f"/loans/{loan.pk}/").content.decode()
    refused = county.post(f"/loans/{loan.pk}/disburse/", {"date": "2025-02-01"})
    assert "只有县级已审批的贷款才能登记放款" in refused.content.decode()
    assert county.post(f"/loans/{loan.pk}/approve/", {"date": "2025-01-20"}).status_code == 302
    assert county.post(f"/loans/{loan.pk}/disburse/", {"date": "2025-02-01"}).status_code == 302
    today = timezone.localdate().isoformat()
    assert f'type="date" name="paid_on" value="{today}"' in client.get(f"/loans/{loan.pk}/").content.decode()
    repaid = client.post(f"/loans/{loan.pk}/repayments/new/", {"paid_on": "2025-03-01", "principal": "8333.33",
                                                                "interest": "575.00", "note": "第1期"})
    assert repaid.status_code == 302
    detail = client.get(f"/loans/{loan.pk}/").content.decode()
    assert "还款中" in detail and "8,333.33" in detail and "第1期" in detail
    assert "191,666.67" in detail  # outstanding
    for label in ("审批通过", "已放款", "还款中"):
        assert label in detail  # the history


def test_county_admins_edit_the_limits(county_admin, county_officer):
    policy = LoanPolicy.objects.get(code="WY-LOAN-2026")
    assert login(county_officer).get(f"/loans/policies/{policy.pk}/edit/").status_code == 403
    assert "WY-LOAN-2026" in login(county_officer).get("/loans/policies/").content.decode()
    client = login(county_admin)
    data = {"code": policy.code, "name": policy.name, "document_number": policy.document_number,
            "effective_from": "2024-01-01", "effective_to": "", "individual_max": "300000.00",
            "firm_max": "3000000.00", "max_term_months": "36"}
    assert client.post(f"/loans/policies/{policy.pk}/edit/", data).status_code == 302
    policy.refresh_from_db()
    assert str(policy.individual_max) == "300000.00"
    assert AuditEvent.objects.get(action="loan_policy.update").changes == {
        "individual_max": ["200000.00", "300000.00"]}
    assert make_loan(amount="250000.00").amount == 250000


def test_brokers_and_operators_have_no_loans_menu_and_see_no_loan(jiuyuan):
    broker = make_user("page-loans-broker", Role.BROKER, village=VillageFactory(township=jiuyuan))
    loan = make_loan(worker=WorkerFactory(village=broker.village), applied_on=date(2025, 1, 10))
    client = login(broker)
    assert "/loans/" not in client.get("/").content.decode()
    assert client.get(f"/loans/{loan.pk}/").status_code == 404
