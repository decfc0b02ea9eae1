"""The loan workflow as the services enforce it: limits named in refusals, the one transition table,
repayments moving the status, the overdue rule and the to-do count, scope, audit."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import Role
from accounts.exceptions import Conflict
from accounts.models import AuditEvent
from accounts.permissions import SYSTEM
from loans import rules, selectors, services
from loans.models import Loan, LoanPolicy
from tests.factories import EnterpriseFactory, VillageFactory, WorkerFactory, make_user

from .factories import lent_loan, make_loan

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_default_limits_are_loaded_and_a_refusal_names_them(jiuyuan):
    policy = LoanPolicy.objects.get(code="WY-LOAN-2026")
    assert (policy.individual_max, policy.firm_max, policy.max_term_months) == (D("200000.00"), D("3000000.00"), 36)
    with pytest.raises(ValidationError) as refused:
        make_loan(amount="200000.01")
    assert refused.value.message_dict["amount"] == [
        "超过个人创业担保贷款上限：按政策 WY-LOAN-2026，个人最多可贷 200,000.00 元。"]
    with pytest.raises(ValidationError) as refused:
        make_loan(worker=None, enterprise=EnterpriseFactory(township=jiuyuan), amount="3000000.01", term_months=37)
    assert "3,000,000.00" in refused.value.message_dict["amount"][0]
    assert "36 个月" in refused.value.message_dict["term_months"][0]
    firm = make_loan(worker=None, enterprise=EnterpriseFactory(township=jiuyuan), amount="3000000.00",
                     term_months=36)
    assert firm.kind == "firm" and firm.township == jiuyuan
    assert not Loan.objects.exclude(pk=firm.pk).exists()


def test_an_application_takes_the_borrowers_township_and_is_audited(jiuyuan):
    worker = WorkerFactory(village=VillageFactory(township=jiuyuan))
    loan = make_loan(worker=worker)
    assert loan.township == jiuyuan and loan.status == "applied" and loan.policy.code == "WY-LOAN-2026"
    event = AuditEvent.objects.get(action="loan.create", object_id=str(loan.pk))
    assert event.changes["amount"] == [None, "100000.00"] and event.changes["township"] == [None, jiuyuan.pk]


def test_the_workflow_refuses_every_move_from_the_wrong_status_with_a_chinese_reason():
    loan = make_loan()
    with pytest.raises(Conflict) as refused:
        services.loan_disburse(actor=SYSTEM, loan=loan, on=date(2025, 2, 1))
    assert refused.value.message == "只有县级已审批的贷款才能登记放款。该贷款当前状态：已申请。"
    with pytest.raises(Conflict):
        services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 2, 1), principal=D("1"))
    with pytest.raises(Conflict, match="只有逾期的贷款才能核销"):
        services.loan_write_off(actor=SYSTEM, loan=loan, on=date(2025, 2, 1), reason="x")
    services.loan_approve(actor=SYSTEM, loan=loan, on=date(2025, 1, 15))
    with pytest.raises(Conflict, match="只有待审批的贷款申请才能审批通过"):
        services.loan_approve(actor=SYSTEM, loan=loan, on=date(2025, 1, 16))
    with pytest.raises(Conflict, match="只有尚未审批的申请可以修改"):
        services.loan_update(actor=SYSTEM, loan=loan, amount=D("1000"))
    with pytest.raises(ValidationError):
        services.loan_disburse(actor=SYSTEM, loan=loan, on=date(2025, 1, 14))  # before the approval
    services.loan_disburse(actor=SYSTEM, loan=loan, on=date(2025, 2, 1))
    loan.refresh_from_db()
    assert loan.status == "disbursed" and loan.instalments.count() == 12
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(loan.pk), object_type="loans.loan")
            .order_by("id")] == ["loan.create", "loan.approve", "loan.disburse"]
    assert AuditEvent.objects.get(action="loan.approve").changes == {
        "status": ["applied", "approved"], "approved_on": [None, "2025-01-15"]}


def test_repayments_move_the_loan_to_repaying_then_repaid():
    loan = lent_loan(amount="12000.00", term_months=12, disbursed_on=date(2025, 1, 1))
    services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 2, 1), principal=D("1000"),
                              interest=D("34.50"))
    loan.refresh_from_db()
    assert loan.status == "repaying"
    with pytest.raises(ValidationError) as refused:
        services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 3, 1), principal=D("11000.01"))
    assert "11,000.00" in refused.value.message_dict["principal"][0]
    with pytest.raises(ValidationError):
        services.repayment_record(actor=SYSTEM, loan=loan, paid_on=timezone.localdate() + timedelta(days=1),
                                  principal=D("1"))
    services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 3, 1), principal=D("11000.00"))
    loan.refresh_from_db()
    assert loan.status == "repaid" and loan.repaid_on == date(2025, 3, 1)
    with pytest.raises(Conflict, match="只有已放款的贷款才能登记还款"):
        services.repayment_record(actor=SYSTEM, loan=loan, paid_on=date(2025, 3, 2), interest=D("1"))


def test_overdue_is_an_instalment_more_than_30_days_late_and_counts_in_the_to_do(jiuyuan, taiping):
    county = make_user("loans-county", Role.COUNTY_OFFICER)
    officer = make_user("loans-jiuyuan", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    elsewhere = make_user("loans-taiping", Role.TOWNSHIP_OFFICER, township=taiping)
    broker = make_user("loans-broker", Role.BROKER, village=VillageFactory(township=jiuyuan))
    today = timezone.localdate()
    disbursed = rules.add_months(today, -2) - timedelta(days=5)
    loan = lent_loan(worker=WorkerFactory(village=VillageFactory(township=jiuyuan)), disbursed_on=disbursed,
                     applied_on=disbursed - timedelta(days=20))
    first_due = loan.instalments.get(number=1).due_on  # about 35 days ago; the second is not 30 days late
    assert selectors.overdue_count(county, on=first_due + timedelta(days=30)) == 0
    assert selectors.overdue_count(county, on=first_due + timedelta(days=31)) == 1
    assert selectors.overdue_count(county) == 1  # today
    assert selectors.overdue_count(officer) == 1
    assert selectors.overdue_count(elsewhere) == 0
    assert selectors.overdue_count(broker) == 0
    assert services.loans_refresh_overdue(actor=SYSTEM) == {"overdue": 1, "repaying": 0}
    loan.refresh_from_db()
    assert loan.status == "overdue"
    assert AuditEvent.objects.get(action="loan.overdue_refresh").changes == {"status": ["disbursed", "overdue"]}
    # paying only part of the arrears leaves it overdue; paying them all brings it back to repaying
    services.repayment_record(actor=SYSTEM, loan=loan, paid_on=today, principal=D("8000.00"))
    loan.refresh_from_db()
    assert loan.status == "overdue" and selectors.overdue_count(county) == 1
    services.repayment_record(actor=SYSTEM, loan=loan, paid_on=today, principal=D("333.33"))
    loan.refresh_from_db()
    assert loan.status == "repaying" and selectors.overdue_count(county) == 0


def test_who_may_do_what(jiuyuan, taiping):
    officer = make_user("loans-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    broker = make_user("loans-broker2", Role.BROKER, village=VillageFactory(township=jiuyuan))
    mine = WorkerFactory(village=VillageFactory(township=jiuyuan))
    theirs = WorkerFactory(village=VillageFactory(township=taiping))
    loan = make_loan(worker=mine, actor=officer)
    with pytest.raises(ValidationError):
        make_loan(worker=theirs, actor=officer)  # outside the officer's township
    with pytest.raises(PermissionDenied):
        make_loan(worker=mine, actor=broker)
    with pytest.raises(PermissionDenied):
        services.loan_approve(actor=officer, loan=loan, on=date(2025, 1, 15))  # the county approves
    assert list(selectors.loan_list(user=officer)) == [loan]
    assert not selectors.loan_list(user=broker).exists()


def test_county_admins_edit_the_limits_and_new_applications_follow_them(county_admin, county_officer):
    policy = LoanPolicy.objects.get(code="WY-LOAN-2026")
    with pytest.raises(PermissionDenied):
        services.policy_update(actor=county_officer, policy=policy, individual_max=D("100000.00"))
    services.policy_update(actor=county_admin, policy=policy, individual_max=D("100000.00"))
    assert AuditEvent.objects.get(action="loan_policy.update").changes == {
        "individual_max": ["200000.00", "100000.00"]}
    with pytest.raises(ValidationError, match="100,000.00"):
        make_loan(amount="150000.00")
    with pytest.raises(ValidationError, match="WY-LOAN-2026"):
        services.policy_create(actor=county_admin, code="WY-LOAN-2027", name="新版", effective_from=date(2027, 1, 1),
                               individual_max=D("300000"), firm_max=D("3000000"), max_term_months=36)
    services.policy_update(actor=county_admin, policy=policy, effective_to=date(2026, 12, 31))
    new = services.policy_create(actor=county_admin, code="WY-LOAN-2027", name="新版", effective_from=date(2027, 1, 1),
                                 individual_max=D("300000"), firm_max=D("3000000"), max_term_months=36)
    assert make_loan(amount="250000.00", applied_on=date(2027, 1, 5)).policy == new


def test_the_daily_task_marks_overdue_loans_and_is_scheduled(settings):
    from loans.tasks import refresh_overdue_loans

    today = timezone.localdate()
    disbursed = rules.add_months(today, -3)
    loan = lent_loan(disbursed_on=disbursed, applied_on=disbursed - timedelta(days=10))
    assert refresh_overdue_loans.delay().get() == {"overdue": 1, "repaying": 0}
    loan.refresh_from_db()
    assert loan.status == "overdue"
    assert settings.CELERY_BEAT_SCHEDULE["loans-refresh-overdue"]["task"] == "loans.tasks.refresh_overdue_loans"
