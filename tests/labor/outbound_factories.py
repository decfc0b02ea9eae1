"""Factories of east labour cooperation records (tests/labor/test_outbound*.py, the scope matrix)."""

from datetime import date
from decimal import Decimal

import factory

from labor.models import EastPost, OutboundPlacement, OutboundReferral, OutboundVisit
from tests.factories import EnterpriseFactory, WorkerFactory


class EastEnterpriseFactory(EnterpriseFactory):
    name = factory.Sequence(lambda n: f"舟山普陀测试企业{n}")
    origin = "east"
    township = None


class EastPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EastPost

    enterprise = factory.SubFactory(EastEnterpriseFactory)
    province = "浙江省"
    city = "舟山市"
    title = factory.Sequence(lambda n: f"水产加工工{n}")
    monthly_wage = Decimal("5200.00")
    vacancies = 10


class OutboundPlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundPlacement

    worker = factory.SubFactory(WorkerFactory)
    east_post = factory.SubFactory(EastPostFactory)
    enterprise = factory.LazyAttribute(lambda o: o.east_post.enterprise)
    province = "浙江省"
    city = "舟山市"
    post_title = "水产加工工"
    start_date = date(2026, 1, 15)
    monthly_wage = Decimal("5200.00")


class OutboundReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundReferral

    worker = factory.SubFactory(WorkerFactory)
    east_post = factory.SubFactory(EastPostFactory)
    proposed_on = date(2026, 1, 5)


class OutboundVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundVisit

    placement = factory.SubFactory(OutboundPlacementFactory)
    milestone = 1
    visited_on = date(2026, 2, 16)
