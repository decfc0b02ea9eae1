"""The loan API: create within the limits, the workflow's actions answering 409 with a Chinese reason,
repayments, filters by name and status, scope, cursor pagination."""

from datetime import date

import pytest

from accounts.choices import Role
from loans.models import Loan
from tests.factories import EnterpriseFactory, VillageFactory, WorkerFactory, make_user

from .factories import lent_loan, make_loan

pytestmark = pytest.mark.django_db


def body(**extra):
    return {"lender_bank": "农业银行万源支行", "guarantee_fund": "万源市创业担保贷款担保基金", "amount": "150000.00",
            "term_months": 24, "annual_rate": "3.450", "subsidy_share": "100.00", "applied_on": "2025-01-10", **extra}


def test_apply_approve_disburse_repay_over_the_api(api, county_officer, jiuyuan):
    worker = WorkerFactory(village=VillageFactory(township=jiuyuan))
    client = api(county_officer)
    created = client.post("/api/v1/loans/", body(worker=worker.pk), format="json")
    assert created.status_code == 201, created.content
    assert (created.data["status"], created.data["kind"], created.data["township"], created.data["policy"]) == (
        "applied", "individual", jiuyuan.code, "WY-LOAN-2026")
    url = f"/api/v1/loans/{created.data['id']}/"
    refused = client.post(url + "disburse/", {"date": "2025-02-01"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "只有县级已审批的贷款才能登记放款。该贷款当前状态：已申请。"
    approved = client.post(url + "approve/", {"date": "2025-01-20"}, format="json")
    assert approved.status_code == 200 and approved.data["status"] == "approved"
    again = client.post(url + "approve/", {"date": "2025-01-21"}, format="json")
    assert again.status_code == 409 and "只有待审批的贷款申请才能审批通过" in again.json()["detail"]
    assert client.post(url + "write-off/", {"date": "2025-02-01", "reason": "x"},
                       format="json").status_code == 403  # county administrators only
    assert client.post(url + "disburse/", {"date": "2025-02-01"}, format="json").data["status"] == "disbursed"
    paid = client.post("/api/v1/loan-repayments/", {"loan": created.data["id"], "paid_on": "2025-03-01",
                                                    "principal": "6250.00", "interest": "431.25"}, format="json")
    assert paid.status_code == 201, paid.content
    loan = client.get(url).data
    assert (loan["status"], loan["principal_repaid"]) == ("repaying", "6250.00")
    too_much = client.post("/api/v1/loan-repayments/", {"loan": created.data["id"], "paid_on": "2025-04-01",
                                                        "principal": "150000.00"}, format="json")
    assert too_much.status_code == 400 and "principal" in too_much.json()["errors"]


def test_a_limit_is_a_400_naming_it(api, county_officer, jiuyuan):
    firm = EnterpriseFactory(township=jiuyuan)
    response = api(county_officer).post("/api/v1/loans/", body(enterprise=firm.pk, amount="3000000.01",
                                                                term_months=48), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "3,000,000.00" in errors["amount"][0] and "36" in errors["term_months"][0]
    assert not Loan.objects.exists()


def test_scope_filters_and_cursor_pages(api, county_officer, jiuyuan, taiping):
    here = make_loan(worker=WorkerFactory(name="王小明", village=VillageFactory(township=jiuyuan)))
    there = lent_loan(worker=WorkerFactory(name="李大山", village=VillageFactory(township=taiping)),
                      disbursed_on=date(2025, 1, 1))
    officer = make_user("api-loans-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    broker = make_user("api-loans-broker", Role.BROKER, village=VillageFactory(township=jiuyuan))
    assert [r["id"] for r in api(officer).get("/api/v1/loans/").data["results"]] == [here.pk]
    assert api(officer).get(f"/api/v1/loans/{there.pk}/").status_code == 404
    assert api(broker).get("/api/v1/loans/").data["results"] == []
    county = api(county_officer)
    assert [r["id"] for r in county.get("/api/v1/loans/?search=李大").data["results"]] == [there.pk]
    assert [r["id"] for r in county.get("/api/v1/loans/?overdue=1").data["results"]] == [there.pk]
    assert [r["id"] for r in county.get("/api/v1/loans/?status=applied").data["results"]] == [here.pk]
    first = county.get("/api/v1/loans/?page_size=1").json()
    assert len(first["results"]) == 1 and "cursor=" in first["next"]
    # a township officer may not record a repayment on another township's loan: the loan is not theirs
    refused = api(officer).post("/api/v1/loan-repayments/", {"loan": there.pk, "paid_on": "2025-03-01",
                                                             "principal": "1.00"}, format="json")
    assert refused.status_code == 400 and "loan" in refused.json()["errors"]
