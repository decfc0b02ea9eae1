"""The audit log is a history: every kind of write (page, API, import, task) records who did it, to
which object, and each changed field as [old, new]; every service refuses `actor=None` and a role
outside its permission; an import row that breaks a service rule is refused with the service's words."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import Workbook

from accounts import services as account_services
from accounts.exceptions import Conflict
from accounts.models import AuditEvent
from accounts.permissions import SYSTEM
from industries import services as industry_services
from industries.models import Enterprise
from labor import services as labor_services
from labor.imports import services as import_services
from labor.models import ImportJob, Payroll
from labor.tasks import prune_import_files
from subsidies import services as subsidy_services
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    PayrollFactory,
    PlacementFactory,
    WorkerFactory,
    WorkshopFactory,
    make_credit_code,
    make_user,
)
from tests.labor import importing
from workshops import services as workshop_services

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows, name="file.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


@pytest.fixture
def page():
    def login(user) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def events(action, obj=None):
    found = AuditEvent.objects.filter(action=action)
    if obj is not None:
        found = found.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(found.order_by("id"))


# --- each kind of write ----------------------------------------------------------------------

def test_a_page_edit_records_the_officer_and_each_changed_field_old_and_new(page, county_admin):
    enterprise = EnterpriseFactory(name="巴山青茶业", credit_code=make_credit_code(5), origin="east", industry="tea")
    response = page(county_admin).post(f"/industries/enterprises/{enterprise.pk}/edit/", {
        "name": "巴山青茶业有限公司", "credit_code": enterprise.credit_code, "origin": "east", "industry": "tea"})
    assert response.status_code == 302
    [event] = events("enterprise.update", enterprise)
    assert event.actor == county_admin
    assert event.changes == {"name": ["巴山青茶业", "巴山青茶业有限公司"]}


def test_an_api_create_records_every_field_from_null(api, county_admin):
    response = api(county_admin).post("/api/v1/enterprises/", {
        "name": "万源富硒茶", "credit_code": make_credit_code(6), "origin": "local", "industry": "tea"},
        format="json")
    assert response.status_code == 201, response.json()
    [event] = events("enterprise.create", Enterprise.objects.get(pk=response.json()["id"]))
    assert event.actor == county_admin
    assert event.changes["name"] == [None, "万源富硒茶"] and event.changes["industry"] == [None, "tea"]


def test_an_api_payroll_change_records_the_record_with_old_and_new_amounts(api, county_admin):
    payroll = PayrollFactory(wage_paid=Decimal("1.00"))
    row = {"placement": payroll.placement_id, "month": f"{payroll.month:%Y-%m}", "days_worked": payroll.days_worked,
           "wage_paid": "999.00", "employer_social_insurance": str(payroll.employer_social_insurance)}
    response = api(county_admin).post("/api/v1/payroll/", row, format="json")
    assert response.status_code in (200, 201), response.json()
    [event] = events("payroll.update", payroll)
    assert event.actor == county_admin
    assert event.changes == {"wage_paid": ["1.00", "999.00"]}
    assert event.object_repr  # names the worker and workshop, not just an id


def test_payroll_events_are_one_per_record_and_bulk_inserted(county_admin):
    """20 records cost no more audit queries than 2: the events are bulk-inserted."""

    def upsert(count, wage):
        placements = [PlacementFactory(start_date=date(2025, 1, 1)) for _ in range(count)]
        rows = [{"placement": p.pk, "month": date(2025, 2, 1), "days_worked": 22, "wage_paid": Decimal(wage),
                 "employer_social_insurance": Decimal("0")} for p in placements]
        with CaptureQueriesContext(connection) as queries:
            labor_services.payroll_upsert_many(actor=county_admin, rows=rows)
        return len(queries)

    few, many = upsert(2, "3000"), upsert(20, "3100")
    assert many == few
    created = events("payroll.create")
    assert len(created) == 22
    assert created[-1].changes["wage_paid"] == [None, "3100.00"] and created[-1].actor == county_admin


def test_an_import_records_each_record_it_changed_and_a_summary(county_admin):
    placement = PlacementFactory(start_date=date(2025, 1, 1))
    PayrollFactory(placement=placement, month=date(2025, 2, 1), days_worked=22, wage_paid=Decimal("1.00"),
                   employer_social_insurance=Decimal("0"))
    worker = placement.worker
    job = importing.upload(actor=county_admin, kind="payroll", upload=xlsx([
        ["身份证号", "车间", "月份", "出勤天数", "实发工资", "单位缴纳社保"],
        [worker.id_number, placement.workshop_id, "2025-02", 22, "999.00", "0"],
        [worker.id_number, placement.workshop_id, "2025-03", 20, "3000.00", "0"]]))
    assert job.status == "preview", job.problems
    job = importing.confirm(actor=county_admin, job=job, import_rows="valid")
    assert job.status == "done", job.error
    changed = Payroll.objects.get(placement=placement, month=date(2025, 2, 1))
    added = Payroll.objects.get(placement=placement, month=date(2025, 3, 1))
    [update] = events("payroll.update", changed)
    assert update.changes == {"wage_paid": ["1.00", "999.00"]} and update.actor == county_admin
    [create] = events("payroll.create", added)
    assert create.changes["wage_paid"] == [None, "3000.00"] and create.changes["days_worked"] == [None, 20]
    [summary] = events("import.payroll", job)
    assert summary.changes["created_count"] == [0, 1] and summary.changes["updated_count"] == [0, 1]


def test_a_roster_import_records_the_workers_it_created_and_changed(county_admin):
    existing = WorkerFactory(name="旧名", phone="")
    job = importing.upload(actor=county_admin, kind="workers", upload=xlsx([
        ["身份证号", "姓名", "电话", "村代码", "人员类别", "返乡人员"],
        [existing.id_number, "新名", "13900001111", existing.village.code, "", ""]]))
    # The empty category cell is 一般 (general): a category change, imported only with the tick (issue 14).
    job = importing.confirm(actor=county_admin, job=job, import_rows="valid", confirm_category=True)
    assert job.status == "done", job.error
    [event] = events("worker.update", existing)
    assert event.changes["name"] == ["旧名", "新名"] and event.changes["phone"] == ["", "13900001111"]


def test_a_beat_task_is_audited_as_the_system(county_admin):
    job = importing.upload(actor=county_admin, kind="workers", upload=xlsx([["身份证号", "姓名", "村代码"]]))
    ImportJob.objects.filter(pk=job.pk).update(status="done", created_at=timezone.now() - timedelta(days=40))
    name = ImportJob.objects.get(pk=job.pk).file.name
    assert prune_import_files.delay(days=30).get() == 1
    [event] = events("import.file_prune", job)
    assert event.actor is None  # the system
    assert event.changes == {"file": [name, ""]}


def test_a_workflow_transition_records_the_status_change(county_admin, county_officer):
    workshop = WorkshopFactory()
    placement = PlacementFactory(workshop=workshop, start_date=date(2025, 1, 1))
    labor_services.placement_end(actor=county_officer, placement=placement, end_date=date(2025, 6, 30),
                                 reason="合同到期")
    [event] = events("placement.end", placement)
    assert event.changes["end_date"] == [None, "2025-06-30"] and event.changes["status"] == ["open", "ended"]


def test_token_and_password_writes_are_audited(county_admin, county_officer):
    key = account_services.token_issue(user=county_officer, client="phone")
    issued = events("token.issue", county_officer)[-1]
    assert issued.changes["token"] == [None, key[:10]]
    temporary = account_services.user_reset_password(actor=county_admin, user=county_officer)
    assert temporary
    [revoked] = events("token.revoke", county_officer)
    assert revoked.actor == county_admin and revoked.changes["token"] == [key[:10], key[:10]]
    [reset] = events("user.password_reset", county_officer)
    assert reset.actor == county_admin and reset.changes["must_change_password"] == [False, True]


# --- actor=None, and roles outside the permission ------------------------------------------------

# (service, the keyword arguments it requires besides actor). `require` comes first, so the objects
# are never touched: None is enough.
SERVICES = [
    (industry_services.enterprise_create, {}),
    (industry_services.enterprise_update, {"enterprise": None}),
    (industry_services.production_base_create, {}),
    (industry_services.production_base_update, {"production_base": None}),
    (industry_services.brand_create, {}),
    (industry_services.brand_update, {"brand": None}),
    (industry_services.industry_output_create, {}),
    (industry_services.industry_output_update, {"industry_output": None}),
    (industry_services.livestream_create, {}),
    (industry_services.livestream_update, {"livestream": None}),
    (industry_services.east_market_sale_create, {}),
    (industry_services.east_market_sale_update, {"east_market_sale": None}),
    (industry_services.cooperation_fund_create, {}),
    (industry_services.cooperation_fund_update, {"cooperation_fund": None}),
    (workshop_services.workshop_create, {}),
    (workshop_services.workshop_update, {"workshop": None}),
    (workshop_services.workshop_certify, {"workshop": None, "on": date(2025, 1, 1)}),
    (workshop_services.workshop_revoke, {"workshop": None, "on": date(2025, 1, 1), "reason": "x"}),
    (workshop_services.post_create, {}),
    (workshop_services.post_update, {"post": None}),
    (workshop_services.liaison_create, {}),
    (workshop_services.liaison_update, {"liaison": None}),
    (workshop_services.difficulty_raise, {}),
    (workshop_services.difficulty_update, {"difficulty": None}),
    (workshop_services.difficulty_resolve, {"difficulty": None, "resolved_on": date(2025, 1, 1),
                                            "resolution": "x"}),
    (labor_services.worker_create, {"id_number": "x"}),
    (labor_services.worker_update, {"worker": None}),
    (labor_services.cooperative_create, {}),
    (labor_services.cooperative_update, {"cooperative": None}),
    (labor_services.membership_create, {}),
    (labor_services.membership_update, {"membership": None}),
    (labor_services.broker_create, {"user": None, "village": None}),
    (labor_services.placement_create, {"worker": None, "workshop": None, "start_date": date(2025, 1, 1),
                                       "monthly_wage": Decimal("1")}),
    (labor_services.placement_end, {"placement": None, "end_date": date(2025, 1, 1)}),
    (labor_services.payroll_upsert_many, {"rows": []}),
    (labor_services.referral_propose, {"worker": None, "post": None}),
    (labor_services.referral_decide, {"referral": None, "outcome": "hired"}),
    (labor_services.follow_up_create, {"placement": None, "visited_on": date(2025, 1, 1)}),
    (labor_services.job_fair_create, {}),
    (labor_services.job_fair_update, {"job_fair": None}),
    (labor_services.returnee_create, {"worker": None, "returned_on": date(2025, 1, 1)}),
    (labor_services.training_create, {}),
    (labor_services.training_update, {"training": None}),
    (labor_services.training_completion_create, {"training": None, "worker": None,
                                                 "completed_on": date(2025, 1, 1)}),
    (import_services.import_upload, {"kind": "workers", "upload": None}),
    (import_services.import_check, {"job_id": 0}),
    (import_services.import_confirm, {"job": None, "import_rows": "valid"}),
    (import_services.import_apply, {"job_id": 0}),
    (import_services.import_retry, {"job": None}),
    (import_services.import_files_prune, {"days": 30}),
    (subsidy_services.run_request, {"month": "2025-01"}),
    (subsidy_services.run_calculate, {"run_id": 0}),
    (subsidy_services.run_retry, {"run": None}),
    (subsidy_services.run_submit, {"run": None}),
    (subsidy_services.run_approve, {"run": None}),
    (subsidy_services.run_reject, {"run": None, "reason": "x"}),
    (subsidy_services.run_mark_paid, {"run": None, "voucher": "x", "paid_on": date(2025, 1, 1)}),
    (subsidy_services.line_clear, {"line": None, "reason": "x"}),
    (subsidy_services.report_request, {"run": None}),
    (subsidy_services.report_build, {"report_id": 0}),
    (subsidy_services.policy_save, {"policy": None}),
    (account_services.user_create, {"username": "x", "role": "county_admin"}),
    (account_services.user_set_password, {"user": None, "password": "x"}),
    (account_services.user_reset_password, {"user": None}),
    (account_services.token_revoke, {"token": None}),
    (account_services.api_client_create, {"name": "x"}),
    (account_services.api_client_revoke, {"client": None}),
    (account_services.idempotency_prune, {"days": 7}),
]


@pytest.mark.parametrize(("service", "kwargs"), SERVICES, ids=[f"{s.__module__}.{s.__name__}" for s, _ in SERVICES])
def test_every_service_refuses_no_actor(service, kwargs):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        service(actor=None, **kwargs)
    assert AuditEvent.objects.count() == before


def test_token_issue_refuses_no_user():
    with pytest.raises(PermissionDenied):
        account_services.token_issue(user=None)


def test_services_refuse_a_role_outside_their_permission(broker_user, township_officer, county_officer):
    workshop = WorkshopFactory()
    operator = make_user("operator", "workshop_operator", township=workshop.village.township, workshop=workshop)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):  # certifying is for officials
        workshop_services.workshop_certify(actor=broker_user, workshop=workshop, on=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):  # brands are the county's
        industry_services.brand_create(actor=township_officer, name="万源旧院黑鸡", industry="black_chicken",
                                       kind="regional")
    with pytest.raises(PermissionDenied):  # approving is for county administrators
        subsidy_services.run_approve(actor=county_officer, run=None)
    with pytest.raises(PermissionDenied):  # payroll is written by employers, not brokers, even from a file
        import_services.import_upload(actor=broker_user, kind="payroll", upload=None)
    with pytest.raises(PermissionDenied):  # users are managed by county administrators
        account_services.user_create(actor=operator, username="x", role="broker")
    assert AuditEvent.objects.count() == before  # nothing was written


def test_the_system_actor_holds_every_permission_and_is_recorded_as_null():
    user = account_services.user_create(actor=SYSTEM, username="zhang-san", role="county_officer")
    [event] = events("user.create", user)
    assert event.actor is None and event.changes["role"] == [None, "county_officer"]


# --- one rule, one place: imports refuse with the service's words ----------------------------------

PLACEMENT_HEADER = ["身份证号", "车间", "入职日期", "约定月薪", "离职日期", "离职原因"]


def test_an_import_row_opening_a_second_placement_gets_the_services_message(county_admin):
    open_one = PlacementFactory(start_date=date(2025, 1, 1))
    with translation.override("zh-hans"), pytest.raises(Conflict) as refused:
        labor_services.placement_create(actor=county_admin, worker=open_one.worker, workshop=open_one.workshop,
                                        start_date=date(2025, 5, 1), monthly_wage=Decimal("3000"))
    with translation.override("zh-hans"):
        expected = str(refused.value.message)
    job = importing.upload(actor=county_admin, kind="placements", upload=xlsx([
        PLACEMENT_HEADER, [open_one.worker.id_number, open_one.workshop_id, "2025-05-01", "3000", "", ""]]))
    assert [p["message"] for p in job.problems] == [expected]
    assert job.valid_rows == 0


def test_an_import_row_ending_before_it_starts_gets_the_services_message(county_admin):
    placement = PlacementFactory(start_date=date(2025, 3, 1))
    with translation.override("zh-hans"), pytest.raises(Exception) as refused:
        labor_services.placement_end(actor=county_admin, placement=placement, end_date=date(2025, 2, 1))
    with translation.override("zh-hans"):
        expected = refused.value.message_dict["end_date"][0]
    worker = WorkerFactory()
    job = importing.upload(actor=county_admin, kind="placements", upload=xlsx([
        PLACEMENT_HEADER, [worker.id_number, placement.workshop_id, "2025-03-01", "3000", "2025-02-01", "x"]]))
    assert [(p["column"], p["message"]) for p in job.problems] == [("离职日期", expected)]


def test_an_import_row_ending_a_placement_before_its_payroll_gets_the_services_message(county_admin):
    placement = PlacementFactory(start_date=date(2025, 1, 1))
    PayrollFactory(placement=placement, month=date(2025, 5, 1))
    with translation.override("zh-hans"), pytest.raises(Exception) as refused:
        labor_services.placement_end(actor=county_admin, placement=placement, end_date=date(2025, 3, 31))
    with translation.override("zh-hans"):
        expected = refused.value.message_dict["end_date"][0]
    job = importing.upload(actor=county_admin, kind="placements", upload=xlsx([
        PLACEMENT_HEADER, [placement.worker.id_number, placement.workshop_id, "2025-01-01", "3000", "2025-03-31",
                           "合同到期"]]))
    assert [(p["column"], p["message"]) for p in job.problems] == [("离职日期", expected)]
    placement.refresh_from_db()
    assert placement.end_date is None


def test_an_import_row_is_checked_by_the_models_field_validators_on_its_column():
    """The import runs the validators the service's full_clean runs, and names the column."""
    from labor.imports.rows import check_fields
    from labor.imports.values import Checked

    result = Checked(total=1)
    with translation.override("zh-hans"):
        refused = check_fields(result, 7, "payroll", Payroll(placement_id=1, month=date(2025, 2, 1), days_worked=40,
                                                             wage_paid=Decimal("-1")), exclude=("placement",))
        expected = Payroll(placement_id=1, month=date(2025, 2, 1), days_worked=40, wage_paid=Decimal("-1"))
        with pytest.raises(Exception) as service_would_say:
            expected.full_clean(exclude=["placement"])
        messages = service_would_say.value.message_dict
    assert refused is False and result.bad_rows == {7}
    assert {(p["column"], p["message"]) for p in result.problems} == {
        ("出勤天数", messages["days_worked"][0]), ("实发工资", messages["wage_paid"][0])}
