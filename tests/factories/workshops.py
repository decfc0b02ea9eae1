from datetime import date
from decimal import Decimal

import factory

from workshops.choices import CertificationAction, WorkshopStatus
from workshops.models import CertificationEvent, Difficulty, Liaison, Post, Workshop

from .industries import EnterpriseFactory
from .regions import VillageFactory

__all__ = ["WorkshopFactory", "PostFactory", "LiaisonFactory", "DifficultyFactory", "certified_workshop"]


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    name = factory.Sequence(lambda n: f"测试帮扶车间{n}")
    kind = "assistance"
    form = "centralized"
    industry = "tea"
    enterprise = factory.SubFactory(EnterpriseFactory)
    village = factory.SubFactory(VillageFactory)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    workshop = factory.SubFactory(WorkshopFactory)
    title = factory.Sequence(lambda n: f"岗位{n}")
    headcount = 10
    monthly_wage = Decimal("3200.00")
    reserved = False


class LiaisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Liaison

    workshop = factory.SubFactory(WorkshopFactory)
    department = factory.Sequence(lambda n: f"县部门{n}")
    contact_person = "张联络"
    phone = "0818-8612345"


class DifficultyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Difficulty

    workshop = factory.SubFactory(WorkshopFactory)
    category = "labour"
    description = "农忙季节用工短缺"
    raised_on = date(2025, 4, 1)


def certified_workshop(on: date = date(2025, 1, 1), revoked_on: date | None = None, **fields) -> Workshop:
    """A workshop with certification history written directly (tests of later capabilities that need
    a certified workshop without building its workforce first)."""
    workshop = WorkshopFactory(**fields)
    CertificationEvent.objects.create(workshop=workshop, action=CertificationAction.CERTIFIED, effective_date=on,
                                      override=True, reason="test fixture")
    status = WorkshopStatus.CERTIFIED
    if revoked_on:
        CertificationEvent.objects.create(workshop=workshop, action=CertificationAction.REVOKED,
                                          effective_date=revoked_on, reason="test fixture")
        status = WorkshopStatus.REVOKED
    Workshop.objects.filter(pk=workshop.pk).update(status=status)
    workshop.refresh_from_db()
    return workshop
