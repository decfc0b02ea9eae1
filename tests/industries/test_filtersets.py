from datetime import date

import pytest

from industries.filtersets import CooperationFundFilterSet, EnterpriseFilterSet, LivestreamFilterSet
from industries.models import CooperationFund, Enterprise, Livestream
from tests.factories import CooperationFundFactory, EnterpriseFactory, LivestreamFactory, VillageFactory

pytestmark = pytest.mark.django_db


def names(filterset):
    assert filterset.is_valid(), filterset.errors
    return sorted(str(obj) for obj in filterset.qs)


def test_enterprise_filters(jiuyuan, taiping):
    EnterpriseFactory(name="旧院黑鸡公司", industry="black_chicken", origin="local", township=jiuyuan)
    EnterpriseFactory(name="普陀茶业", industry="tea", origin="east", township=taiping)
    qs = Enterprise.objects.all()
    assert names(EnterpriseFilterSet({"industry": "black_chicken"}, qs)) == ["旧院黑鸡公司"]
    assert names(EnterpriseFilterSet({"origin": "east"}, qs)) == ["普陀茶业"]
    assert names(EnterpriseFilterSet({"township": "511781102"}, qs)) == ["旧院黑鸡公司"]
    assert names(EnterpriseFilterSet({"search": "茶业"}, qs)) == ["普陀茶业"]


def test_bad_filter_value_is_an_error_not_a_crash():
    filterset = EnterpriseFilterSet({"industry": "steel"}, Enterprise.objects.all())
    assert not filterset.is_valid() and "industry" in filterset.errors


def test_livestream_date_range(jiuyuan):
    village = VillageFactory(township=jiuyuan)
    LivestreamFactory(village=village, date=date(2024, 12, 31), host="甲")
    LivestreamFactory(village=village, date=date(2025, 1, 1), host="乙")
    filterset = LivestreamFilterSet({"date_from": "2025-01-01", "date_to": "2025-12-31"}, Livestream.objects.all())
    assert filterset.is_valid()
    assert [row.host for row in filterset.qs] == ["乙"]


def test_cooperation_fund_year_range():
    CooperationFundFactory(year=2021, project="甲")
    CooperationFundFactory(year=2024, project="乙")
    assert names(CooperationFundFilterSet({"year_from": "2022"}, CooperationFund.objects.all())) == ["2024 乙"]
