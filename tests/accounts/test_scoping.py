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


def test_a_level_declared_township_wide_shows_the_users_township_only(jiuyuan, taiping):
    """Villages declare "@township" for operators: an operator sees their township's villages, never another's."""
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


def test_the_project_declares_every_level_of_every_model():
    from accounts.checks import check_scope_declarations

    assert check_scope_declarations() == []


def test_a_missing_level_or_a_wrong_path_is_a_system_check_error(monkeypatch):
    from accounts.checks import check_scope_declarations
    from subsidies.models import SubsidyLine

    monkeypatch.setattr(SubsidyLine, "SCOPE", {"township": "workshop__village__township", "workshop": "workshop"})
    assert [(e.id, e.obj) for e in check_scope_declarations()] == [("accounts.E112", SubsidyLine)]
    monkeypatch.setattr(SubsidyLine, "SCOPE", {"township": "workshop__village__township", "workshop": "worker",
                                               "village": None, "cooperative": None})
    assert [e.id for e in check_scope_declarations()] == ["accounts.E116"]


def test_a_model_without_scope_must_be_listed_with_a_reason(monkeypatch):
    from accounts import scoping
    from accounts.checks import check_scope_declarations

    monkeypatch.setattr(scoping, "UNSCOPED", {k: v for k, v in scoping.UNSCOPED.items() if k != "subsidies.policy"})
    monkeypatch.setattr("accounts.checks.UNSCOPED", scoping.UNSCOPED)
    assert [e.id for e in check_scope_declarations()] == ["accounts.E110"]


def test_none_shows_nothing_through_that_level(jiuyuan):
    """Liaisons declare None for brokers: a broker sees none, their township's officer sees it."""
    from tests.factories import LiaisonFactory
    from workshops.models import Liaison

    village = VillageFactory(township=jiuyuan)
    LiaisonFactory(workshop=WorkshopFactory(village=village))
    assert scoped(Liaison.objects.all(), make_user("b", Role.BROKER, village=village)).count() == 0
    assert scoped(Liaison.objects.all(), make_user("o", Role.TOWNSHIP_OFFICER, township=jiuyuan)).count() == 1


def test_paths_through_to_many_relations_use_exists_and_no_join(jiuyuan):
    from labor.models import Cooperative

    cooperative = Cooperative.objects.create(township=jiuyuan, name="社")
    broker = make_user("b", Role.BROKER, village=VillageFactory(township=jiuyuan), cooperative=cooperative)
    sql = str(scoped(Worker.objects.all(), broker).query).upper()
    assert "EXISTS" in sql and " IN (SELECT" not in sql and "JOIN" not in sql.split("EXISTS")[0]
