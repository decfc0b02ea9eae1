from datetime import date

import pytest

from tests.factories import DifficultyFactory, VillageFactory, WorkshopFactory, certified_workshop
from workshops.filtersets import DifficultyFilterSet, WorkshopFilterSet
from workshops.models import Difficulty, Workshop

pytestmark = pytest.mark.django_db


def names(filterset):
    assert filterset.is_valid(), filterset.errors
    return sorted(w.name for w in filterset.qs)


def test_workshop_filters(jiuyuan, taiping):
    WorkshopFactory(name="甲", kind="assistance", form="centralized", industry="tea",
                    village=VillageFactory(township=jiuyuan), reuses_idle_asset=True, opened_on=date(2020, 1, 1))
    WorkshopFactory(name="乙", kind="processing", form="home_based", industry="other",
                    village=VillageFactory(township=taiping), opened_on=date(2023, 1, 1))
    qs = Workshop.objects.all()
    assert names(WorkshopFilterSet({"kind": "processing"}, qs)) == ["乙"]
    assert names(WorkshopFilterSet({"form": "centralized"}, qs)) == ["甲"]
    assert names(WorkshopFilterSet({"township": "511781100"}, qs)) == ["乙"]
    assert names(WorkshopFilterSet({"reuses_idle_asset": "true"}, qs)) == ["甲"]
    assert names(WorkshopFilterSet({"opened_from": "2021-01-01"}, qs)) == ["乙"]
    assert names(WorkshopFilterSet({"search": "甲"}, qs)) == ["甲"]


def test_status_and_certified_on(jiuyuan):
    certified_workshop(on=date(2025, 1, 1), revoked_on=date(2025, 6, 1), name="曾认定")
    certified_workshop(on=date(2025, 3, 1), name="在认定")
    WorkshopFactory(name="申报中")
    qs = Workshop.objects.all()
    assert names(WorkshopFilterSet({"status": "applied"}, qs)) == ["申报中"]
    assert names(WorkshopFilterSet({"certified_on": "2025-04-01"}, qs)) == ["在认定", "曾认定"]
    assert names(WorkshopFilterSet({"certified_on": "2025-07-01"}, qs)) == ["在认定"]


def test_difficulty_filters():
    DifficultyFactory(category="land", raised_on=date(2025, 1, 1))
    DifficultyFactory(category="credit", raised_on=date(2025, 5, 1), status="resolved", resolved_on=date(2025, 6, 1),
                      resolution="贷款")
    qs = Difficulty.objects.all()
    f = DifficultyFilterSet({"status": "open"}, qs)
    assert f.is_valid() and [d.category for d in f.qs] == ["land"]
    f = DifficultyFilterSet({"raised_from": "2025-02-01"}, qs)
    assert f.is_valid() and [d.category for d in f.qs] == ["credit"]
