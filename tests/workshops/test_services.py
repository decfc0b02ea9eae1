"""Certification rules at their edges, and the history they leave."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.exceptions import Conflict
from accounts.models import AuditEvent
from tests.factories import PlacementFactory, WorkerFactory, WorkshopFactory
from workshops import services
from workshops.models import CertificationEvent
from workshops.selectors import certified_workshop_ids

pytestmark = pytest.mark.django_db
D = date(2025, 6, 1)


def certify(actor, workshop, on=D, **kwargs):
    return services.workshop_certify(actor=actor, workshop=workshop, on=on, **kwargs)


def assert_certified(event, *, workers, assisted):
    """What the officer sees after certifying: the workshop certified from that day, with the counts."""
    event.workshop.refresh_from_db()
    assert event.workshop.status == "certified"
    assert event.workshop.pk in certified_workshop_ids(event.effective_date)
    assert (event.workers, event.assisted_workers) == (workers, assisted)


def test_nine_workers_refused_ten_accepted(county_officer, staff):
    workshop = WorkshopFactory()
    staff(workshop, 9, assisted=9)
    with pytest.raises(Conflict) as refused:
        certify(county_officer, workshop)
    assert "9" in refused.value.message
    staff(workshop, 1, assisted=0)
    event = certify(county_officer, workshop)
    workshop.refresh_from_db()
    assert workshop.status == "certified"
    assert (event.workers, event.assisted_workers, event.override) == (10, 9, False)
    assert event.actor == county_officer


def test_four_assisted_of_fourteen_refused_five_accepted(county_officer, staff):
    # 4 of 14 is 28.6 %: below both the count (5) and the share (30 %).
    refused = WorkshopFactory()
    staff(refused, 14, assisted=4)
    with pytest.raises(Conflict):
        certify(county_officer, refused)
    accepted = WorkshopFactory()
    staff(accepted, 14, assisted=5)
    assert_certified(certify(county_officer, accepted), workers=14, assisted=5)


@pytest.fixture
def share_only(settings):
    """Make the count rule unreachable so the share rule decides."""
    settings.WORKSHOP_CERT_MIN_ASSISTED = 1000


def test_thirty_percent_accepted_exactly(county_officer, staff, share_only):
    workshop = WorkshopFactory()
    staff(workshop, 10, assisted=3)  # 3/10 is exactly 30 %: no float rounding may refuse it
    assert_certified(certify(county_officer, workshop), workers=10, assisted=3)


def test_twenty_nine_percent_refused(county_officer, staff, share_only):
    workshop = WorkshopFactory()
    staff(workshop, 31, assisted=9)  # 29.0 %
    with pytest.raises(Conflict):
        certify(county_officer, workshop)


def test_monitored_workers_count_as_assisted(county_officer, staff):
    workshop = WorkshopFactory()
    staff(workshop, 10, assisted=5, category="monitored")
    assert_certified(certify(county_officer, workshop), workers=10, assisted=5)


def test_low_income_workers_do_not_count_as_assisted(county_officer, staff):
    workshop = WorkshopFactory()
    staff(workshop, 14, assisted=5, category="low_income")
    with pytest.raises(Conflict):
        certify(county_officer, workshop)


def test_placement_ending_the_day_before_is_not_counted(county_officer, staff):
    workshop = WorkshopFactory()
    staff(workshop, 9, assisted=5)
    staff(workshop, 1, start=date(2025, 1, 1), end=date(2025, 5, 31))
    with pytest.raises(Conflict):
        certify(county_officer, workshop)
    staff(workshop, 1, start=date(2025, 1, 1), end=D)  # ends on the day: still at work
    assert_certified(certify(county_officer, workshop), workers=10, assisted=5)


def test_placement_starting_the_day_after_is_not_counted(county_officer, staff):
    workshop = WorkshopFactory()
    staff(workshop, 9, assisted=5)
    staff(workshop, 1, start=date(2025, 6, 2))
    with pytest.raises(Conflict):
        certify(county_officer, workshop)


def test_a_worker_with_two_placements_counts_once(county_officer, staff):
    workshop = WorkshopFactory()
    staff(workshop, 8, assisted=5)  # + one worker with two placements open on D: 10 placements, 9 workers
    worker = WorkerFactory(category="general")
    PlacementFactory(worker=worker, workshop=workshop, start_date=date(2025, 1, 1), end_date=D)
    PlacementFactory(worker=worker, workshop=workshop, start_date=D)
    with pytest.raises(Conflict):
        certify(county_officer, workshop)


def test_override_needs_county_admin_and_is_audited(county_admin, county_officer):
    workshop = WorkshopFactory()
    with pytest.raises(PermissionDenied):
        certify(county_officer, workshop, override_reason="先行认定")
    with pytest.raises(Conflict):
        certify(county_admin, workshop, override_reason="   ")
    event = certify(county_admin, workshop, override_reason="易地搬迁安置点，先行认定")
    assert event.override and event.workers == 0
    audit = AuditEvent.objects.get(action="workshop.certify_override", object_id=str(workshop.pk))
    assert audit.actor == county_admin and audit.changes["override_reason"] == [None, "易地搬迁安置点，先行认定"]


def test_revoke_and_history_give_certified_ids_by_date(county_admin):
    workshop = WorkshopFactory()
    never = WorkshopFactory()
    certify(county_admin, workshop, on=date(2025, 1, 1), override_reason="测试")
    services.workshop_revoke(actor=county_admin, workshop=workshop, on=date(2025, 3, 1), reason="用工不足")
    assert workshop.pk not in certified_workshop_ids(date(2024, 12, 31))
    assert workshop.pk in certified_workshop_ids(date(2025, 1, 1))
    assert workshop.pk in certified_workshop_ids(date(2025, 2, 28))
    assert workshop.pk not in certified_workshop_ids(date(2025, 3, 1))
    assert never.pk not in certified_workshop_ids(date(2025, 2, 1))
    # certified again on the day of the revocation: the later-recorded event wins
    certify(county_admin, workshop, on=date(2025, 3, 1), override_reason="整改完成")
    assert workshop.pk in certified_workshop_ids(date(2025, 3, 1))
    assert list(CertificationEvent.objects.filter(workshop=workshop).values_list("action", flat=True)) == [
        "certified", "revoked", "certified"]


def test_certified_workshop_ids_is_one_query(county_admin, django_assert_num_queries):
    for _ in range(3):
        certify(county_admin, WorkshopFactory(), override_reason="测试")
    with django_assert_num_queries(1):
        assert len(certified_workshop_ids(D)) == 3


def test_transition_dated_before_the_last_change_is_refused(county_admin):
    workshop = WorkshopFactory()
    certify(county_admin, workshop, on=date(2025, 5, 1), override_reason="测试")
    with pytest.raises(ValidationError) as error:
        services.workshop_revoke(actor=county_admin, workshop=workshop, on=date(2025, 4, 1), reason="x")
    assert "date" in error.value.message_dict
    workshop.refresh_from_db()
    assert workshop.status == "certified"


def test_revoke_of_uncertified_is_conflict(county_admin):
    with pytest.raises(Conflict):
        services.workshop_revoke(actor=county_admin, workshop=WorkshopFactory(), on=D, reason="x")


def test_status_cannot_be_set_by_create_or_update(county_admin):
    # The status is owned by the certification workflow: it is not a parameter of create or update.
    workshop = WorkshopFactory()
    with pytest.raises(TypeError):
        services.workshop_update(actor=county_admin, workshop=workshop, status="certified", name="新名称")
    with pytest.raises(TypeError):
        services.workshop_create(actor=county_admin, status="certified", name="新车间")
    workshop = services.workshop_update(actor=county_admin, workshop=workshop, name="新名称")
    workshop.refresh_from_db()
    assert workshop.status == "applied" and workshop.name == "新名称"


def test_township_officer_cannot_move_workshop_out_of_township(township_officer, jiuyuan, taiping):
    from tests.factories import VillageFactory

    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    with pytest.raises(ValidationError) as error:
        services.workshop_update(actor=township_officer, workshop=workshop, village=VillageFactory(township=taiping))
    assert "village" in error.value.message_dict
    workshop.refresh_from_db()
    assert workshop.village.township == jiuyuan


def test_certify_and_revoke_are_audited_as_status_changes(county_admin):
    workshop = WorkshopFactory()
    certify(county_admin, workshop, override_reason="易地搬迁安置点，先行认定")
    services.workshop_revoke(actor=county_admin, workshop=workshop, on=date(2025, 6, 1), reason="停产")
    history = [(e.action, e.changes["status"]) for e in AuditEvent.objects.filter(
        object_type="workshops.workshop", object_id=str(workshop.pk), action__startswith="workshop.").exclude(
        action="workshop.create").order_by("id")]
    assert history == [("workshop.certify_override", ["applied", "certified"]),
                       ("workshop.revoke", ["certified", "revoked"])]


def test_a_broker_may_not_certify(broker_user):
    workshop = WorkshopFactory()
    with pytest.raises(PermissionDenied):
        certify(broker_user, workshop)
    assert not CertificationEvent.objects.filter(workshop=workshop).exists()
