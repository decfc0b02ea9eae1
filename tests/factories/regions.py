import factory

from regions.models import Township, Village

__all__ = ["township", "VillageFactory"]


def township(code: str = "511781102") -> Township:
    """One of the 31 real units, loaded by the data migration."""
    return Township.objects.get(code=code)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.LazyFunction(township)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.township.code}{900 - n % 900:03d}")
    name = factory.Sequence(lambda n: f"测试{n}村")
