"""East labour cooperation: the liaison station's outbound placements, returns and visits, brokers'
proposals, the selectors the dashboard and the transport subsidy will read, the API and the pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import Role
from accounts.exceptions import Conflict
from accounts.models import AuditEvent
from core.months import latest_start_due_by, months_after
from labor import selectors, services
from labor.models import OutboundPlacement, OutboundReferral, OutboundVisit
from labor.resident_id import check_character
from tests.conftest import api_for
from tests.factories import BrokerFactory, EnterpriseFactory, VillageFactory, WorkerFactory, make_user

from .outbound_factories import (
    EastPostFactory,
    OutboundPlacementFactory,
    OutboundReferralFactory,
    OutboundVisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(db):
    return make_user("putuo-station", Role.LIAISON_STATION)


def test_month_marks_keep_the_day_or_take_the_months_last():
    assert months_after(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert months_after(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert months_after(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert months_after(date(2026, 8, 31), 1) == date(2026, 9, 30)
    # every start from 29 Nov to 30 Nov 2025 reaches its 3-month mark on 28 Feb 2026; 1 Dec on 1 Mar
    assert latest_start_due_by(date(2026, 2, 28), 3) == date(2025, 11, 30)
    assert latest_start_due_by(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert latest_start_due_by(date(2026, 4, 14), 3) == date(2026, 1, 14)


def test_the_station_records_a_placement_from_an_east_post_with_audit(station):
    worker = WorkerFactory()
    post = EastPostFactory(city="舟山市", title="船舶焊工", monthly_wage=Decimal("6800.00"))
    placement = services.outbound_placement_create(actor=station, worker=worker, east_post=post,
                                                   start_date=date(2026, 3, 2), monthly_wage=Decimal("7000.00"))
    assert (placement.enterprise, placement.city, placement.post_title) == (post.enterprise, "舟山市", "船舶焊工")
    assert placement.status == "working"
    event = AuditEvent.objects.get(action="outbound_placement.create")
    assert event.changes["monthly_wage"] == [None, "7000.00"]
    assert event.changes["worker"] == [None, worker.pk]


def test_a_start_more_than_a_year_ahead_is_refused(station):
    with pytest.raises(ValidationError) as caught:
        services.outbound_placement_create(actor=station, worker=WorkerFactory(), east_post=EastPostFactory(),
                                           start_date=timezone.localdate() + timedelta(days=400),
                                           monthly_wage=Decimal("5000"))
    assert "之间的日期" in caught.value.message_dict["start_date"][0]  # the portal's date range
    assert not OutboundPlacement.objects.exists()


@pytest.mark.parametrize("wage", [Decimal("0"), Decimal("-1.00"), None])
def test_a_wage_must_be_more_than_zero(station, wage):
    with pytest.raises(ValidationError) as caught:
        services.outbound_placement_create(actor=station, worker=WorkerFactory(), east_post=EastPostFactory(),
                                           start_date=date(2026, 3, 2), monthly_wage=wage)
    assert "monthly_wage" in caught.value.message_dict
    assert not OutboundPlacement.objects.exists()


def test_an_east_post_needs_an_east_enterprise(station):
    local = EnterpriseFactory(origin="local")
    with pytest.raises(ValidationError) as caught:
        services.east_post_create(actor=station, enterprise=local, city="舟山市", title="普工",
                                  monthly_wage=Decimal("5000"))
    assert "东部" in caught.value.message_dict["enterprise"][0]
    with pytest.raises(ValidationError):
        services.outbound_placement_create(actor=station, worker=WorkerFactory(), enterprise=local,
                                           start_date=date(2026, 3, 2), monthly_wage=Decimal("5000"))


def test_one_open_placement_per_worker_and_returns_after_start(station):
    worker = WorkerFactory()
    placement = services.outbound_placement_create(actor=station, worker=worker, east_post=EastPostFactory(),
                                                   start_date=date(2026, 1, 10), monthly_wage=Decimal("5000"))
    with pytest.raises(Conflict):
        services.outbound_placement_create(actor=station, worker=worker, east_post=EastPostFactory(),
                                           start_date=date(2026, 2, 1), monthly_wage=Decimal("5000"))
    for day in (date(2026, 1, 10), date(2026, 1, 9)):
        with pytest.raises(ValidationError) as caught:
            services.outbound_placement_return(actor=station, placement=placement, return_date=day)
        assert "return_date" in caught.value.message_dict
    services.outbound_placement_return(actor=station, placement=placement, return_date=date(2026, 5, 1),
                                       reason=" 家中有事 ")
    placement.refresh_from_db()
    assert (placement.status, placement.return_reason) == ("returned", "家中有事")
    with pytest.raises(Conflict):
        services.outbound_placement_return(actor=station, placement=placement, return_date=date(2026, 6, 1))
    with pytest.raises(ValidationError):  # a new job cannot start before the return
        services.outbound_placement_create(actor=station, worker=worker, east_post=EastPostFactory(),
                                           start_date=date(2026, 4, 1), monthly_wage=Decimal("5000"))
    again = services.outbound_placement_create(actor=station, worker=worker, east_post=EastPostFactory(),
                                               start_date=date(2026, 5, 20), monthly_wage=Decimal("5100"))
    assert again.status == "working"


def test_brokers_propose_and_the_station_hires_into_a_placement(station, jiuyuan):
    broker_user = make_user("east-broker", Role.BROKER, village=VillageFactory(township=jiuyuan))
    broker = BrokerFactory(user=broker_user)
    worker = WorkerFactory(village=broker_user.village)
    post = EastPostFactory(monthly_wage=Decimal("5600.00"))
    referral = services.outbound_referral_propose(actor=broker_user, worker=worker, east_post=post,
                                                  proposed_on=date(2026, 2, 1))
    assert referral.broker == broker
    with pytest.raises(Conflict):
        services.outbound_referral_propose(actor=broker_user, worker=worker, east_post=post)
    with pytest.raises(PermissionDenied):  # the broker does not decide
        services.outbound_referral_decide(actor=broker_user, referral=referral, outcome="hired")
    decided = services.outbound_referral_decide(actor=station, referral=referral, outcome="hired",
                                                decided_on=date(2026, 2, 10))
    placement = decided.placement
    assert (placement.start_date, placement.monthly_wage, placement.broker) == (date(2026, 2, 10),
                                                                                Decimal("5600.00"), broker)
    with pytest.raises(Conflict):
        services.outbound_referral_decide(actor=station, referral=referral, outcome="declined")


def test_the_station_holds_no_other_permission(station):
    worker = WorkerFactory()
    with pytest.raises(PermissionDenied):
        services.worker_update(actor=station, worker=worker, name="改名")
    with pytest.raises(PermissionDenied):
        services.outbound_referral_propose(actor=station, worker=worker, east_post=EastPostFactory())


def test_visits_once_per_milestone_and_the_overdue_list(station):
    on = date(2026, 4, 20)
    a = OutboundPlacementFactory(start_date=date(2026, 1, 20))  # 1 and 3 months due (20 Feb, 20 Apr)
    b = OutboundPlacementFactory(start_date=date(2026, 3, 21))  # 1 month due 21 Apr: not yet
    c = OutboundPlacementFactory(start_date=date(2025, 10, 1))  # 1, 3, 6 due; all recorded below
    d = OutboundPlacementFactory(start_date=date(2025, 10, 1), return_date=date(2025, 12, 1), status="returned")
    services.outbound_visit_create(actor=station, placement=a, milestone=1, visited_on=date(2026, 2, 21))
    with pytest.raises(Conflict):
        services.outbound_visit_create(actor=station, placement=a, milestone=1, visited_on=date(2026, 2, 22))
    with pytest.raises(ValidationError):
        services.outbound_visit_create(actor=station, placement=a, milestone=2, visited_on=date(2026, 2, 22))
    with pytest.raises(ValidationError):
        services.outbound_visit_create(actor=station, placement=b, milestone=1, visited_on=date(2026, 3, 1))
    for months, day in ((1, date(2025, 11, 2)), (3, date(2026, 1, 2)), (6, date(2026, 4, 2))):
        OutboundVisitFactory(placement=c, milestone=months, visited_on=day)
    overdue = list(selectors.outbound_visits_overdue(user=station, on=on))
    assert [(p.pk, p.overdue_1, p.overdue_3, p.overdue_6) for p in overdue] == [(a.pk, False, True, False)]
    assert {d.pk, b.pk}.isdisjoint({p.pk for p in overdue})
    assert OutboundVisit.objects.get(placement=a).visited_by == station


def test_outbound_working_counts_who_is_in_the_east_on_a_day(station):
    OutboundPlacementFactory(start_date=date(2026, 1, 10))
    OutboundPlacementFactory(start_date=date(2026, 1, 10), return_date=date(2026, 3, 1), status="returned")
    OutboundPlacementFactory(start_date=date(2026, 3, 2))
    assert selectors.outbound_working(station, on=date(2026, 1, 9)).count() == 0
    assert selectors.outbound_working(station, on=date(2026, 2, 28)).count() == 2
    assert selectors.outbound_working(station, on=date(2026, 3, 1)).count() == 1  # the return day is home
    assert selectors.outbound_working(station, on=date(2026, 3, 2)).count() == 2


def test_transport_subsidy_rows_by_hand_once_per_placement_in_any_order():
    poor = dict(category="poverty_alleviated")
    a = OutboundPlacementFactory(worker=WorkerFactory(**poor), start_date=date(2025, 11, 30))  # mark 28 Feb
    b = OutboundPlacementFactory(worker=WorkerFactory(category="monitored"), start_date=date(2025, 12, 1))  # 1 Mar
    OutboundPlacementFactory(worker=WorkerFactory(category="general"), start_date=date(2025, 11, 15))  # not assisted
    OutboundPlacementFactory(worker=WorkerFactory(**poor), start_date=date(2025, 11, 10),  # home before 10 Feb
                             return_date=date(2026, 2, 9), status="returned")
    e = OutboundPlacementFactory(worker=WorkerFactory(**poor), start_date=date(2025, 11, 1),  # home on the mark
                                 return_date=date(2026, 2, 1), status="returned")
    months = [date(2026, 3, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 31), date(2026, 4, 1)]
    got = {m: selectors.transport_subsidy_due(m) for m in months}  # out of order; a day of the month will do
    assert got[date(2026, 1, 1)] == [] and got[date(2026, 4, 1)] == []
    assert got[date(2026, 2, 1)] == [
        {"outbound_placement_id": a.pk, "worker_id": a.worker_id, "township_id": a.worker.village.township_id,
         "completed_on": date(2026, 2, 28)},
        {"outbound_placement_id": e.pk, "worker_id": e.worker_id, "township_id": e.worker.village.township_id,
         "completed_on": date(2026, 2, 1)},
    ]
    assert got[date(2026, 3, 1)] == got[date(2026, 3, 31)] == [
        {"outbound_placement_id": b.pk, "worker_id": b.worker_id, "township_id": b.worker.village.township_id,
         "completed_on": date(2026, 3, 1)}]
    every = [row["outbound_placement_id"] for m in months[:3] for row in got[m]]
    assert sorted(every) == sorted({a.pk, b.pk, e.pk})  # each once


def test_api_writes_answer_400_and_409_in_chinese(station):
    client = api_for(station)
    worker, post = WorkerFactory(), EastPostFactory()
    bad = client.post("/api/v1/outbound-placements/", {"worker": worker.pk, "east_post": post.pk,
                                                       "start_date": "2026-03-01", "monthly_wage": "0"},
                      format="json")
    assert bad.status_code == 400 and "monthly_wage" in bad.json()["errors"]
    made = client.post("/api/v1/outbound-placements/", {"worker": worker.pk, "east_post": post.pk,
                                                        "start_date": "2026-03-01", "monthly_wage": "5200.00"},
                       format="json")
    assert made.status_code == 201, made.content
    again = client.post("/api/v1/outbound-placements/", {"worker": worker.pk, "east_post": post.pk,
                                                         "start_date": "2026-03-05", "monthly_wage": "5200.00"},
                        format="json")
    assert again.status_code == 409
    pk = made.json()["id"]
    early = client.post(f"/api/v1/outbound-placements/{pk}/return/", {"return_date": "2026-02-01"}, format="json")
    assert early.status_code == 400
    assert client.post(f"/api/v1/outbound-placements/{pk}/return/", {"return_date": "2026-06-01"},
                       format="json").json()["status"] == "returned"
    assert client.post(f"/api/v1/outbound-placements/{pk}/return/", {"return_date": "2026-07-01"},
                       format="json").status_code == 409
    referral = OutboundReferralFactory()
    decided = client.post(f"/api/v1/outbound-referrals/{referral.pk}/decide/", {"outcome": "declined"},
                          format="json")
    assert decided.status_code == 200
    assert client.post(f"/api/v1/outbound-referrals/{referral.pk}/decide/", {"outcome": "hired"},
                       format="json").status_code == 409


def test_the_station_reads_outbound_records_county_wide_and_nothing_else(station, jiuyuan, taiping):
    here, there = WorkerFactory(village=VillageFactory(township=jiuyuan)), WorkerFactory(
        village=VillageFactory(township=taiping))
    OutboundPlacementFactory(worker=here), OutboundPlacementFactory(worker=there)
    client = api_for(station)
    assert client.get("/api/v1/outbound-placements/").json()["count"] == 2
    assert client.get("/api/v1/workers/").json()["results"] == []
    assert client.get(f"/api/v1/workers/{here.pk}/").status_code == 404
    assert client.get("/api/v1/placements/").json()["results"] == []
    assert client.get("/api/v1/subsidy-runs/").status_code == 403
    officer = make_user("east-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    assert [row["worker"] for row in api_for(officer).get("/api/v1/outbound-placements/").json()["results"]] == [
        here.pk]


def test_the_station_records_a_placement_by_id_number_on_its_phone_page(station, client):
    worker, post = WorkerFactory(), EastPostFactory(monthly_wage=Decimal("5300.00"))
    client.force_login(station)
    form = client.get(f"/labor/east/new/?east_post={post.pk}")
    assert form.status_code == 200 and 'name="id_number"' in form.content.decode()
    unknown = "51178119900101123" + check_character("51178119900101123")  # valid, never registered
    missing = client.post("/labor/east/new/", {"id_number": unknown, "east_post": post.pk,
                                               "start_date": "2026-03-01"})
    assert missing.status_code == 200 and "没有登记该身份证号的劳动者" in missing.content.decode()
    assert not OutboundPlacement.objects.exists()
    saved = client.post("/labor/east/new/", {"id_number": worker.id_number, "east_post": post.pk,
                                             "start_date": "2026-03-01"})
    placement = OutboundPlacement.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/labor/east/{placement.pk}/"
    assert placement.monthly_wage == Decimal("5300.00")
    detail = client.get(saved["Location"]).content.decode()
    assert "2026-04-01" in detail and "2026-06-01" in detail and "2026-09-01" in detail  # the three visits due
    visit = client.post(f"/labor/east/{placement.pk}/visit/", {"milestone": 1, "visited_on": "2026-04-02",
                                                               "note": "适应良好"})
    assert visit.status_code == 302 and OutboundVisit.objects.get().note == "适应良好"
    back = client.post(f"/labor/east/{placement.pk}/return/", {"return_date": "2026-02-01"})
    assert back.status_code == 200 and OutboundPlacement.objects.get().return_date is None
    assert client.get("/labor/east/visits/overdue/").status_code == 200
    assert worker.name not in client.get("/labor/workers/").content.decode()  # it reads no worker list


def test_a_broker_proposes_from_the_page_and_sees_only_their_referrals(jiuyuan, client):
    broker_user = make_user("page-broker", Role.BROKER, village=VillageFactory(township=jiuyuan))
    BrokerFactory(user=broker_user)
    mine, post = WorkerFactory(village=broker_user.village), EastPostFactory()
    OutboundReferralFactory()  # someone else's worker
    client.force_login(broker_user)
    page = client.get(f"/labor/east/referrals/new/?east_post={post.pk}").content.decode()
    assert mine.name in page
    assert client.post("/labor/east/referrals/new/", {"worker": mine.pk, "east_post": post.pk}).status_code == 302
    assert OutboundReferral.objects.filter(worker=mine, east_post=post, outcome="pending").exists()
    listed = client.get("/labor/east/referrals/").content.decode()
    assert listed.count("<tr") - 1 == 1  # the header row and their one referral


def test_the_stations_decision_page_keeps_the_filters_says_a_bad_choice_and_refuses_a_second_click(station, client):
    referral = OutboundReferralFactory()
    client.force_login(station)
    url = f"/labor/east/referrals/{referral.pk}/decide/"

    bad = client.post(url, {"outcome": "maybe", "back": "outcome=pending"}, follow=True)
    assert "请选择录用或不录用" in bad.content.decode()
    assert OutboundReferral.objects.get(pk=referral.pk).outcome == "pending"

    decided = client.post(url, {"outcome": "declined", "back": "outcome=pending&page=2"})
    assert decided.status_code == 302 and decided["Location"] == "/labor/east/referrals/?outcome=pending&page=2"
    assert "已保存结果" in client.get(decided["Location"]).content.decode()
    assert OutboundReferral.objects.get(pk=referral.pk).outcome == "declined"

    again = client.post(url, {"outcome": "hired", "back": "https://elsewhere.test/?x=1"}, follow=True)
    assert again.redirect_chain[0][0].startswith("/labor/east/referrals/")  # only the query is taken from the form
    assert OutboundReferral.objects.get(pk=referral.pk).outcome == "declined"
    page = again.content.decode()
    assert "此推荐已有结果" in page and "已保存结果" not in page


def test_the_east_referral_list_offers_hire_and_decline_to_the_station_only(jiuyuan, station, client):
    broker_user = make_user("list-broker", Role.BROKER, village=VillageFactory(township=jiuyuan))
    broker = BrokerFactory(user=broker_user)
    referral = OutboundReferralFactory(worker=WorkerFactory(village=broker_user.village), broker=broker)
    action = f'action="/labor/east/referrals/{referral.pk}/decide/"'
    client.force_login(station)
    assert action in client.get("/labor/east/referrals/?outcome=pending").content.decode()
    client.force_login(broker_user)
    page = client.get("/labor/east/referrals/").content.decode()
    assert referral.worker.name in page and action not in page
