"""The one scoping mechanism, on real models of every level."""

import pytest

from accounts.choices import Role
from accounts.scoping import in_scope, scoped
from labor.models import Worker
from regions.models import Village
from tests.factories import (
    MembershipFactory,
    PlacementFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
    make_user,
)
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_county_roles_see_every_township(jiuyuan, taiping):
    VillageFactory(township=jiuyuan)
    VillageFactory(township=taiping)
    for role in (Role.COUNTY_ADMIN, Role.COUNTY_OFFICER):
        assert scoped(Village.objects.all(), make_user(f"u-{role}", role)).count() == 2


def test_a_township_officer_sees_only_their_township(jiuyuan, taiping):
    mine = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    theirs = WorkshopFactory(village=VillageFactory(township=taiping))
    officer = make_user("o", Role.TOWNSHIP_OFFICER, township=jiuyuan)
    assert list(scoped(Workshop.objects.all(), officer)) == [mine]
    assert not in_scope(theirs, officer)


def test_a_broker_sees_workers_of_their_village_or_cooperative_and_no_duplicates(jiuyuan):
    from labor.models import Cooperative

    home = VillageFactory(township=jiuyuan)
    other_village = VillageFactory(township=jiuyuan)
    cooperative = Cooperative.objects.create(township=jiuyuan, name="旧院劳务合作社")
    local = WorkerFactory(village=home)
    member = WorkerFactory(village=other_village)
    MembershipFactory(worker=member, cooperative=cooperative)
    MembershipFactory(worker=member, cooperative=cooperative)  # two rows must not show them twice
    WorkerFactory(village=other_village)
    broker = make_user("b", Role.BROKER, village=home, cooperative=cooperative)
    assert sorted(w.pk for w in scoped(Worker.objects.all(), broker)) == sorted([local.pk, member.pk])


def test_a_workshop_operator_sees_their_workshop_and_its_workers_only(jiuyuan):
    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    other = WorkshopFactory(village=workshop.village)
    employed = PlacementFactory(workshop=workshop).worker
    PlacementFactory(workshop=other)
    operator = make_user("op", Role.WORKSHOP_OPERATOR, workshop=workshop)
    assert operator.township_id == jiuyuan.pk  # derived from the workshop
    assert list(scoped(Workshop.objects.all(), operator)) == [workshop]
    assert list(scoped(Worker.objects.all(), operator)) == [employed]


def test_levels_a_model_does_not_know_fall_back_to_the_township(jiuyuan, taiping):
    """Villages declare no workshop path: an operator sees their township's villages, never another's."""
    workshop = WorkshopFactory(village=VillageFactory(township=jiuyuan))
    VillageFactory(township=taiping)
    operator = make_user("op", Role.WORKSHOP_OPERATOR, workshop=workshop)
    assert set(scoped(Village.objects.all(), operator).values_list("township", flat=True)) == {jiuyuan.pk}


def test_a_partner_without_a_township_works_county_wide_and_with_one_is_limited(jiuyuan, taiping):
    VillageFactory(township=jiuyuan)
    VillageFactory(township=taiping)
    assert scoped(Village.objects.all(), make_user("p1", Role.PARTNER)).count() == 2
    assert scoped(Village.objects.all(), make_user("p2", Role.PARTNER, township=taiping)).count() == 1


def test_inactive_users_see_nothing(jiuyuan):
    VillageFactory(township=jiuyuan)
    user = make_user("gone", Role.COUNTY_ADMIN)
    user.is_active = False
    assert scoped(Village.objects.all(), user).count() == 0
