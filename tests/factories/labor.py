from datetime import date
from decimal import Decimal

import factory

from labor import resident_id
from labor.models import Membership, Payroll, Placement, Training, TrainingCompletion, Worker

from .regions import VillageFactory
from .workshops import WorkshopFactory

__all__ = ["make_id_number", "WorkerFactory", "MembershipFactory", "PlacementFactory", "PayrollFactory", "TrainingFactory",
           "TrainingCompletionFactory"]


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
