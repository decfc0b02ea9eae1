import factory

from industries import credit_code
from industries.models import Enterprise

__all__ = ["EnterpriseFactory", "make_credit_code"]


def make_credit_code(n: int) -> str:
    """A valid unified social credit code, different for each n."""
    first17 = f"91511781{n:09d}"
    return first17 + credit_code.check_character(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"万源测试企业{n}")
    credit_code = factory.Sequence(make_credit_code)
    origin = "local"
    industry = "tea"
