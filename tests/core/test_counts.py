"""The payroll list's "共 N 条" from an exact fast counter (core.counts; dashboard registers one that reads its
monthly payroll facts) instead of COUNT(*) over every payslip: always the number of rows the list holds, for the
county and within a township officer's scope, the moment payslips are added (never a cached figure), and counted
as before for a filter the facts do not keep."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import counts
from dashboard import facts
from labor.models import Payroll
from tests.factories import PlacementFactory, VillageFactory, WorkerFactory, WorkshopFactory, payroll_months

pytestmark = pytest.mark.django_db
MONTHS = [date(2026, m, 1) for m in range(1, 7)]


@pytest.fixture
def payroll(jiuyuan, taiping, settings):
    """旧院镇: two workshops, three placements paid Jan–Jun (18 payslips); 太平镇: one placement paid Jan–Mar
    (3). Any count is cached at once (so a cached figure would show), and the facts are current."""
    settings.LIST_COUNT_CACHE_MIN_ROWS = 0
    jy_one, jy_two = (WorkshopFactory(village=VillageFactory(township=jiuyuan)) for _ in range(2))
    tp = WorkshopFactory(village=VillageFactory(township=taiping))
    placements = [PlacementFactory(workshop=jy_one), PlacementFactory(workshop=jy_one),
                  PlacementFactory(workshop=jy_two), PlacementFactory(workshop=tp)]
    for placement in placements[:3]:
        payroll_months(placement, MONTHS)
    payroll_months(placements[3], MONTHS[:3])
    facts.refresh()
    return {"workshops": (jy_one, jy_two, tp), "placements": placements}


def shown(client, user, **query) -> tuple[int, list]:
    """The list's count as the page shows it, and the COUNT queries over the payroll it ran."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("labor-payroll-list"), query)
    assert response.status_code == 200
    table = Payroll._meta.db_table
    counted = [q["sql"] for q in captured.captured_queries
               if q["sql"].startswith("SELECT COUNT(*)") and f'FROM "{table}"' in q["sql"]]
    return response.context["row_count"], counted


def test_the_county_sees_every_payslip_counted_from_the_facts(client, payroll, county_officer):
    assert shown(client, county_officer) == (21, [])  # no COUNT(*) over the payroll
    assert shown(client, county_officer, month="2026-02") == (4, [])
    jy_one = payroll["workshops"][0]
    assert shown(client, county_officer, workshop=jy_one.name) == (12, [])


def test_a_township_officers_total_is_their_townships(client, payroll, township_officer, county_officer, taiping):
    assert shown(client, township_officer) == (18, [])
    assert shown(client, township_officer, month="2026-05") == (3, [])
    assert shown(client, county_officer, township=taiping.name) == (3, [])
    assert shown(client, township_officer, township=taiping.name)[0] == 0  # not theirs: nothing


def test_payslips_added_show_in_the_next_pages_total(client, payroll, county_officer, township_officer):
    assert shown(client, county_officer)[0] == 21
    new = PlacementFactory(workshop=payroll["workshops"][1])
    payroll_months(new, [date(2026, 6, 1), date(2026, 7, 1)])  # one insert; the facts are not refreshed
    count, counted = shown(client, county_officer)
    assert count == 23 and len(counted) == 1  # the two changed months counted as they are, the rest from facts
    assert shown(client, township_officer)[0] == 20
    assert shown(client, county_officer, month="2026-07")[0] == 1
    facts.refresh()  # what beat or the dashboard does
    assert shown(client, county_officer) == (23, [])
    Payroll.objects.filter(month=date(2026, 1, 1)).delete()
    assert shown(client, county_officer)[0] == 19
    assert shown(client, township_officer)[0] == 17


def test_a_filter_the_facts_do_not_keep_is_counted_as_before(client, payroll, county_officer):
    placement = payroll["placements"][0]
    count, counted = shown(client, county_officer, worker=placement.worker.name)
    assert count == 6 and len(counted) == 1
    count, counted = shown(client, county_officer, worker=WorkerFactory().name)
    assert count == 0


def test_exact_filters_reads_only_plain_equalities_along_to_one_joins(jiuyuan):
    payroll = Payroll.objects.all()
    assert counts.exact_filters(payroll) == {}
    assert counts.exact_filters(payroll.filter(month=date(2026, 1, 1), placement__workshop__village__township=jiuyuan)
                                ) == {"month": date(2026, 1, 1), "placement__workshop__village__township": jiuyuan.pk}
    assert counts.exact_filters(payroll.filter(placement__workshop_id=7)) == {"placement__workshop": 7}
    assert counts.exact_filters(payroll.filter(month__gte=date(2026, 1, 1))) is None
    assert counts.exact_filters(payroll.filter(Q(month=date(2026, 1, 1)) | Q(month=date(2026, 2, 1)))) is None
    assert counts.exact_filters(payroll.exclude(month=date(2026, 1, 1))) is None
    assert counts.exact_filters(payroll.filter(placement__worker__name__contains="李")) is None
    assert counts.exact_filters(payroll.filter(placement__worker__memberships__cooperative=1)) is None  # to-many
    assert counts.exact_filters(payroll.filter(month=date(2026, 1, 1)).filter(month=date(2026, 2, 1))) is None
    assert counts.exact_filters(payroll.none()) is None
    assert counts.exact_filters(payroll.distinct()) is None
