from datetime import date
from decimal import Decimal

import factory

from labor import resident_id
from labor.models import (
    Broker,
    Cooperative,
    FollowUp,
    JobFair,
    Membership,
    Payroll,
    Placement,
    Referral,
    Returnee,
    Training,
    TrainingCompletion,
    Worker,
)

from .regions import VillageFactory, township
from .workshops import PostFactory, WorkshopFactory

__all__ = ["make_id_number", "WorkerFactory", "MembershipFactory", "PlacementFactory", "PayrollFactory",
           "TrainingFactory", "TrainingCompletionFactory", "CooperativeFactory", "BrokerFactory", "ReferralFactory",
           "JobFairFactory", "FollowUpFactory", "ReturneeFactory"]


def make_id_number(n: int = 1, born: date = date(1985, 6, 15), sex: str = "male",
                   region: str = "511781") -> str:
    """A valid resident ID number; n varies the sequence so each is unique per birth date."""
    sequence = (n * 2 + (1 if sex == "male" else 0)) % 1000
    if (sequence % 2 == 1) != (sex == "male"):
        sequence = (sequence + 1) % 1000
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id.check_character(first17)


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    class Params:
        born = date(1985, 6, 15)

    id_number = factory.LazyAttributeSequence(lambda o, n: make_id_number(n % 499, born=o.born))
    name = factory.Sequence(lambda n: f"工人{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    village = factory.SubFactory(VillageFactory)
    category = "poverty_alleviated"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        worker = model_class(*args, **kwargs)
        worker.derive_from_id_number()
        worker.save()
        return worker


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    worker = factory.SubFactory(WorkerFactory)
    workshop = factory.SubFactory(WorkshopFactory)
    start_date = date(2025, 1, 1)
    monthly_wage = Decimal("3200.00")


class PayrollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payroll

    placement = factory.SubFactory(PlacementFactory)
    month = date(2025, 1, 1)
    days_worked = 22
    wage_paid = Decimal("3200.00")
    employer_social_insurance = Decimal("500.00")


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    name = factory.Sequence(lambda n: f"培训{n}")
    kind = "skills"
    organizer_workshop = factory.SubFactory(WorkshopFactory)
    start_date = date(2025, 3, 1)
    end_date = date(2025, 3, 20)


class TrainingCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCompletion

    training = factory.SubFactory(TrainingFactory)
    worker = factory.SubFactory(WorkerFactory)
    certificate_level = "entry"
    completed_on = date(2025, 3, 20)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    worker = factory.SubFactory(WorkerFactory)
    cooperative = None
    joined_on = date(2024, 1, 1)


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    township = factory.LazyFunction(township)
    name = factory.Sequence(lambda n: f"劳务专业合作社{n}")


class BrokerFactory(factory.django.DjangoModelFactory):
    """A Broker row for an existing broker user (pass `user`); village and cooperative follow the user."""

    class Meta:
        model = Broker

    village = factory.LazyAttribute(lambda o: o.user.village)
    cooperative = factory.LazyAttribute(lambda o: o.user.cooperative)


class JobFairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobFair

    township = factory.LazyFunction(township)
    date = date(2025, 3, 8)
    title = factory.Sequence(lambda n: f"春风行动专场招聘{n}")
    attendees = 120


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    worker = factory.SubFactory(WorkerFactory)
    post = factory.SubFactory(PostFactory)
    proposed_on = date(2025, 2, 1)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    placement = factory.SubFactory(PlacementFactory)
    visited_on = date(2025, 2, 15)
    still_employed = True


class ReturneeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Returnee

    worker = factory.SubFactory(WorkerFactory, returnee=True)
    returned_on = date(2025, 1, 20)
