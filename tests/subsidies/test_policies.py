"""Policy versions, edited in the portal by county admins; paid months keep the figures they were paid by."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import AuditEvent
from subsidies.choices import Component
from subsidies.models import Policy
from tests.factories import PlacementFactory, WorkerFactory, certified_workshop, payroll_months

from .conftest import approve, calculate, lines_of, months
from .test_views import login

pytestmark = pytest.mark.django_db

D = Decimal


def form_data(policy_fields: dict, job_subsidy="300.00") -> dict:
    """What the form posts: the WY-2026 rules as the page pre-fills them, with one amount changed."""
    data = {"min_monthly_wage": "2000.00", "min_days": "15", "min_age": "16", "max_age": "65",
            "name": "万源市就业帮扶车间奖补政策", "document_number": "", "effective_to": "", **policy_fields,
            "hiring_award-enabled": "on", "hiring_award-amount": "1000.00",
            "hiring_award-yearly_workshop_cap": "50000.00", "hiring_award-qualifying_month": "6",
            "social_insurance-enabled": "on", "social_insurance-monthly_cap": "600.00",
            "social_insurance-month_limit": "36",
            "job_subsidy-enabled": "on", "job_subsidy-amount": job_subsidy, "job_subsidy-month_limit": "12",
            "training-enabled": "on", "training-certificate_none": "300.00", "training-certificate_entry": "1000.00",
            "training-certificate_intermediate": "1500.00", "training-certificate_advanced": "2000.00"}
    lists = {"hiring_award-eligible_categories": ["poverty_alleviated", "monitored"],
             "social_insurance-eligible_categories": ["poverty_alleviated", "monitored", "hard_to_employ"],
             "job_subsidy-eligible_categories": ["poverty_alleviated", "monitored"]}
    return {**data, **lists}


def job_subsidy(run):
    return [line.amount for line in lines_of(run, component=Component.JOB_SUBSIDY)]


@pytest.fixture
def worker_paid_monthly():
    workshop = certified_workshop(on=date(2024, 1, 1))
    placement = PlacementFactory(worker=WorkerFactory(category="poverty_alleviated"), workshop=workshop,
                                 start_date=date(2025, 1, 1))
    payroll_months(placement, months("2025-11", "2026-02"))
    return placement


def test_the_form_prefills_the_policy_in_force(client, county_admin):
    body = login(client, county_admin).get("/subsidies/policies/new/").content.decode()
    assert 'value="300.00"' in body and 'value="50000.00"' in body and "万源市就业帮扶车间奖补政策" in body


def test_a_new_version_applies_from_its_month_and_closes_the_old_one(client, county_admin, checker,
                                                                      worker_paid_monthly):
    approve(calculate("2025-12"), county_admin, checker)
    response = login(client, county_admin).post("/subsidies/policies/new/", form_data(
        {"code": "WY-2026-B", "effective_from": "2026-01-01"}, job_subsidy="400.00"))
    assert response.status_code == 302, response.content.decode()
    newer = Policy.objects.get(code="WY-2026-B")
    assert Policy.objects.get(code="WY-2026").effective_to == date(2025, 12, 31)
    assert job_subsidy(calculate("2026-01")) == [D("400.00")]
    assert calculate("2026-01").policy == newer
    assert job_subsidy(calculate("2025-11")) == [D("300.00")]  # an earlier month keeps its policy
    assert AuditEvent.objects.filter(action="subsidy_policy.create", object_id=str(newer.pk)).exists()
    assert AuditEvent.objects.filter(action="subsidy_policy.update", changes__effective_to__1="2025-12-31").exists()


def test_the_figures_of_a_policy_paid_under_never_change(client, county_admin, checker, worker_paid_monthly):
    approve(calculate("2025-12"), county_admin, checker)
    policy = Policy.objects.get(code="WY-2026")
    response = login(client, county_admin).post(f"/subsidies/policies/{policy.pk}/edit/", form_data(
        {"code": "WY-2026", "effective_from": "2024-01-01"}, job_subsidy="999.00"))
    assert response.status_code == 200
    assert "2025-12" in response.content.decode()  # the message names the approved month
    assert policy.rules.get(component=Component.JOB_SUBSIDY).amount == D("300.00")
    assert not AuditEvent.objects.filter(action="subsidy_policy.update").exists()


def test_a_paid_policy_may_be_renamed_but_must_still_cover_its_months(client, county_admin, checker,
                                                                      worker_paid_monthly):
    approve(calculate("2025-12"), county_admin, checker)
    policy = Policy.objects.get(code="WY-2026")
    url = f"/subsidies/policies/{policy.pk}/edit/"
    login(client, county_admin)
    too_early = client.post(url, form_data({"code": "WY-2026", "effective_from": "2024-01-01",
                                            "effective_to": "2025-11-30"}))
    assert too_early.status_code == 200 and Policy.objects.get(pk=policy.pk).effective_to is None
    renamed = client.post(url, form_data({"code": "WY-2026", "effective_from": "2024-01-01", "name": "新名称"}))
    assert renamed.status_code == 302 and Policy.objects.get(pk=policy.pk).name == "新名称"


def test_an_unpaid_policy_can_be_corrected(client, county_admin, worker_paid_monthly):
    policy = Policy.objects.get(code="WY-2026")
    calculate("2025-12")  # a draft only: nothing has been paid under the policy yet
    response = login(client, county_admin).post(f"/subsidies/policies/{policy.pk}/edit/", form_data(
        {"code": "WY-2026", "effective_from": "2024-01-01"}, job_subsidy="350.00"))
    assert response.status_code == 302
    assert job_subsidy(calculate("2025-12")) == [D("350.00")]


@pytest.mark.parametrize("fields, message", [
    ({"code": "X", "effective_from": "2023-06-01"}, "WY-2026"),  # overlaps the policy in force
    ({"code": "X", "effective_from": "2026-01-15"}, "第一天"),  # not the first of a month
    ({"code": "WY-2026", "effective_from": "2027-01-01"}, "已存在"),  # a code already used
])
def test_bad_versions_are_refused_and_change_nothing(client, county_admin, fields, message):
    response = login(client, county_admin).post("/subsidies/policies/new/", form_data(fields))
    assert response.status_code == 200 and message in response.content.decode()
    assert list(Policy.objects.values_list("code", "effective_to")) == [("WY-2026", None)]


def test_county_staff_read_policies_and_only_admins_edit(client, county_officer, township_officer):
    policy = Policy.objects.get(code="WY-2026")
    login(client, county_officer)
    assert "WY-2026" in client.get("/subsidies/policies/").content.decode()
    detail = client.get(f"/subsidies/policies/{policy.pk}/").content.decode()
    assert "300.00" in detail and "脱贫人口、防返贫监测对象" in detail
    assert client.get("/subsidies/policies/new/").status_code == 403
    assert client.post(f"/subsidies/policies/{policy.pk}/edit/", form_data(
        {"code": "WY-2026", "effective_from": "2024-01-01"}, job_subsidy="1.00")).status_code == 403
    login(client, township_officer)
    assert client.get("/subsidies/policies/").status_code == 403
    assert policy.rules.get(component=Component.JOB_SUBSIDY).amount == D("300.00")
