"""The home page's figures: every capability's real figures, each limited to what the user may see."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import selectors
from regions.models import Township
from tests.factories import (
    CooperationFundFactory,
    DifficultyFactory,
    LivestreamFactory,
    PlacementFactory,
    PostFactory,
    VillageFactory,
    certified_workshop,
)

pytestmark = pytest.mark.django_db


def flat(sections) -> dict:
    return {card["key"]: card["value"] for section in sections for card in section["cards"]}


def by_year(sections) -> dict:
    subsidies = next(section for section in sections if section["key"] == "subsidies")
    return {row["year"]: row["amount"] for row in subsidies["by_year"]}


def test_the_county_sees_both_townships_figures(two_townships, county_officer):
    sections = selectors.county_figures(user=county_officer)
    figures = flat(sections)
    assert {key: figures[key] for key in two_townships["county"]} == two_townships["county"]
    assert figures["townships"] == Township.objects.count()
    assert by_year(sections) == two_townships["county_by_year"]


def test_a_township_officer_sees_only_their_townships_figures(two_townships, township_officer):
    sections = selectors.county_figures(user=township_officer)
    figures = flat(sections)
    assert {key: figures[key] for key in two_townships["jiuyuan"]} == two_townships["jiuyuan"]
    assert by_year(sections) == two_townships["jiuyuan_by_year"]


def test_the_two_townships_add_up_to_the_county(two_townships, township_officer, taiping_officer, county_officer):
    """Money is exact: 旧院's and 太平's paid subsidies, funds and sales add up to the fen."""
    county = flat(selectors.county_figures(user=county_officer))
    jiuyuan = flat(selectors.county_figures(user=township_officer))
    taiping = flat(selectors.county_figures(user=taiping_officer))
    for key in ("subsidies_paid", "paid_social_insurance", "paid_job_subsidy", "livestream_sales",
                "certified_workshops", "posts", "placements"):
        assert jiuyuan[key] + taiping[key] == county[key], key
    # the county-wide fund (no township) is the county's only
    assert county["cooperation_funds"] - jiuyuan["cooperation_funds"] - taiping["cooperation_funds"] == Decimal(
        "500000.00")
    assert all(isinstance(county[key], Decimal) for key in ("subsidies_paid", "cooperation_funds",
                                                           "livestream_sales", "average_monthly_wage"))


def test_with_nothing_recorded_the_figures_are_zero_and_rates_are_blank(county_officer):
    figures = flat(selectors.county_figures(user=county_officer))
    assert figures["certified_workshops"] == figures["posts"] == figures["workers"] == 0
    assert figures["subsidies_paid"] == Decimal("0.00")
    assert figures["reserved_share"] is None and figures["match_rate"] is None
    assert figures["average_monthly_wage"] is None


def test_the_percentages_are_exact_to_two_decimals():
    assert selectors.percent(16400, 32000) == Decimal("51.25")
    assert selectors.percent(2, 3) == Decimal("66.67")
    assert selectors.percent(1, 0) is None


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.county_figures(user=user)
    return len(captured)


def _more_of_everything(township):
    for _ in range(3):
        village = VillageFactory(township=township)
        workshop = certified_workshop(village=village)
        PostFactory(workshop=workshop, reserved=True)
        DifficultyFactory(workshop=workshop)
        PlacementFactory(workshop=workshop)
        LivestreamFactory(village=village)
        CooperationFundFactory(township=township)


def test_the_number_of_queries_does_not_grow_with_the_data(two_townships, county_officer, township_officer,
                                                          jiuyuan, taiping):
    before = {user.pk: _queries(user) for user in (county_officer, township_officer)}
    _more_of_everything(jiuyuan)
    _more_of_everything(taiping)
    after = {user.pk: _queries(user) for user in (county_officer, township_officer)}
    assert after == before
    assert max(after.values()) <= 25
