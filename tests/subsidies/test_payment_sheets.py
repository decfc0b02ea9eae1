"""Payment sheets (发放表) of an approved run: per workshop and per township, adding up to the run's
totals to the fen, read back from the Excel file with openpyxl."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from labor.models import Worker
from labor.resident_id import mask
from subsidies import services
from subsidies.choices import TIER_COMPONENTS, Component, LineStatus
from subsidies.models import SubsidyLine
from subsidies.notices import townships_of_run
from tests.exports import export, exported
from tests.factories import PlacementFactory, VillageFactory, WorkerFactory, certified_workshop, payroll_months

from .conftest import approve, calculate, months

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


@pytest.fixture
def run(jiuyuan, taiping, county_officer, checker):
    tea = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源茶叶车间")
    herbs = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源药材车间")
    chicken = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=taiping), name="太平黑鸡车间")
    for workshop, count in ((tea, 3), (herbs, 2), (chicken, 2)):
        for _ in range(count):
            payroll_months(PlacementFactory(workshop=workshop), months("2025-01", "2025-02"))
    double = WorkerFactory(name="重复务工")
    payroll_months(PlacementFactory(worker=double, workshop=tea), months("2025-02", "2025-02"))
    payroll_months(PlacementFactory(worker=double, workshop=chicken), months("2025-02", "2025-02"))
    calculate("2025-01")
    return approve(calculate("2025-02"), county_officer, checker)


def workbook(client, run, township):
    """The sheets' Excel as the user gets it: a Download built by the export task, from 我的下载."""
    response = exported(client, f"/subsidies/runs/{run.pk}/sheets/{township.code}/?format=xlsx")
    return load_workbook(io.BytesIO(response.content))


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_the_sheets_add_up_to_the_runs_totals_to_the_fen(client, county_admin, run):
    client.force_login(county_admin)
    townships = townships_of_run(run=run, user=county_admin)
    assert len(townships) == 2
    grand = ZERO
    by_component = dict.fromkeys(Component.values, ZERO)
    for township in townships:
        book = workbook(client, run, township)
        summary, *sheets = book.worksheets
        assert len(sheets) == SubsidyLine.objects.filter(
            run=run, status=LineStatus.PAYABLE, workshop__village__township=township).values("workshop").distinct(
        ).count()
        summary_rows = list(summary.iter_rows(min_row=2, values_only=True))
        *workshop_rows, total_row = summary_rows
        for sheet, summary_row in zip(sheets, workshop_rows, strict=True):
            *workers, sheet_total = list(sheet.iter_rows(min_row=2, values_only=True))
            width = len(TIER_COMPONENTS)  # the columns: the four tiers (no other component is paid here)
            for row in workers:  # each worker's total is the sum of their components
                assert money(row[3 + width]) == sum(money(v) for v in row[3:3 + width])
                assert row[-2] is None and row[-1] is None  # signature and date left blank
            assert money(sheet_total[3 + width]) == sum(money(row[3 + width]) for row in workers)
            assert money(summary_row[-1]) == money(sheet_total[3 + width])
            assert summary_row[2] == len(workers)
        township_total = money(total_row[-1])
        assert township_total == sum(money(row[-1]) for row in workshop_rows)
        for index, component in enumerate(TIER_COMPONENTS):
            by_component[component] += money(total_row[3 + index])
        grand += township_total
    run.refresh_from_db()
    assert grand == run.payable_total
    for component in Component.values:
        paid = sum((line.amount for line in run.lines.filter(status=LineStatus.PAYABLE, component=component)), ZERO)
        assert by_component[component] == paid


def test_the_printable_sheets_show_each_workshop_its_total_and_the_township_summary(client, county_admin, run,
                                                                                     jiuyuan):
    client.force_login(county_admin)
    body = client.get(f"/subsidies/runs/{run.pk}/sheets/{jiuyuan.code}/").content.decode()
    assert body.count("<section class=\"page\" data-workshop=") == 2
    assert "九源茶叶车间" in body and "九源药材车间" in body and "太平黑鸡车间" not in body
    payable = sum(line.amount for line in run.lines.filter(status=LineStatus.PAYABLE,
                                                           workshop__village__township=jiuyuan))
    assert f'id="township-total">{payable:,.2f}' in body
    assert "签名" in body and "日期" in body and "乡镇合计" in body
    for worker in Worker.objects.filter(subsidy_lines__run=run).distinct():
        if worker.subsidy_lines.filter(run=run, status=LineStatus.PAYABLE, workshop__village__township=jiuyuan):
            assert worker.id_number in body  # county staff pay with the whole number


def test_a_township_officer_gets_masked_numbers_of_their_township_only(client, township_officer, run, jiuyuan,
                                                                         taiping):
    client.force_login(township_officer)
    body = client.get(f"/subsidies/runs/{run.pk}/sheets/{jiuyuan.code}/").content.decode()
    workers = Worker.objects.filter(subsidy_lines__run=run, subsidy_lines__status=LineStatus.PAYABLE,
                                    subsidy_lines__workshop__village__township=jiuyuan).distinct()
    assert workers.exists()
    for worker in workers:
        assert worker.id_number not in body and mask(worker.id_number) in body
    assert client.get(f"/subsidies/runs/{run.pk}/sheets/{taiping.code}/").status_code == 404


def test_a_run_not_approved_has_no_payment_sheets(client, county_admin, run, jiuyuan):
    client.force_login(county_admin)
    draft = calculate("2025-01")  # the January run is still a draft
    assert client.get(f"/subsidies/runs/{draft.pk}/sheets/{jiuyuan.code}/").status_code == 404


def test_the_sheets_in_a_constant_number_of_queries(client, county_admin, run, jiuyuan,
                                                   django_assert_max_num_queries):
    client.force_login(county_admin)
    with django_assert_max_num_queries(10):
        client.get(f"/subsidies/runs/{run.pk}/sheets/{jiuyuan.code}/")
    with django_assert_max_num_queries(10):  # the Excel only starts a Download: the worker reads the lines
        response = client.get(f"/subsidies/runs/{run.pk}/sheets/{jiuyuan.code}/?format=xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/downloads/")


def test_a_township_officer_downloads_only_their_township_and_masked_numbers(client, township_officer, run,
                                                                              jiuyuan, taiping):
    client.force_login(township_officer)
    download = export(client, f"/subsidies/runs/{run.pk}/sheets/{jiuyuan.code}/?format=xlsx")
    download.refresh_from_db()
    assert download.status == "done" and download.owner == township_officer
    book = workbook(client, run, jiuyuan)
    numbers = {row[2] for sheet in book.worksheets[1:] for row in sheet.iter_rows(min_row=2, values_only=True)
               if row[2]}
    assert numbers and all("*" * 8 in number for number in numbers)
    assert client.get(f"/subsidies/runs/{run.pk}/sheets/{taiping.code}/?format=xlsx").status_code == 404


@pytest.fixture
def two_workshops_one_worker(jiuyuan, county_officer, checker):
    """An approved run where one worker is paid by two workshops of the same township."""
    tea = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源茶叶车间")
    herbs = certified_workshop(on=date(2024, 1, 1), village=VillageFactory(township=jiuyuan), name="九源药材车间")
    for workshop in (tea, herbs):
        payroll_months(PlacementFactory(workshop=workshop), months("2025-01", "2025-02"))
    both = WorkerFactory(name="两处务工")
    for workshop in (tea, herbs):
        payroll_months(PlacementFactory(worker=both, workshop=workshop), months("2025-02", "2025-02"))
    calculate("2025-01")
    february = calculate("2025-02")
    for line in february.lines.filter(worker=both, status=LineStatus.WITHHELD):  # duplicate employment
        services.line_clear(actor=county_officer, line=line, reason="两个车间各做半天，已核实")
    return approve(february, county_officer, checker), both


def test_a_worker_paid_by_two_workshops_of_a_township_is_one_person_in_its_total(client, county_admin, jiuyuan,
                                                                                 two_workshops_one_worker):
    """Each workshop's sheet lists the worker with that workshop's lines; the township's summary counts
    people, so the worker is counted once in its total (each workshop's row still counts them)."""
    run, both = two_workshops_one_worker
    lines = SubsidyLine.objects.filter(run=run, status=LineStatus.PAYABLE, workshop__village__township=jiuyuan)
    assert lines.filter(worker=both).values("workshop").distinct().count() == 2
    people = lines.values("worker").distinct().count()
    client.force_login(county_admin)
    summary, *sheets = workbook(client, run, jiuyuan).worksheets
    *workshop_rows, total_row = list(summary.iter_rows(min_row=2, values_only=True))
    assert sum(row[2] for row in workshop_rows) == people + 1  # on both workshops' sheets
    assert total_row[2] == people
    body = client.get(f"/subsidies/runs/{run.pk}/sheets/{jiuyuan.code}/").content.decode()
    assert re.search(r'乡镇合计</td><td class="num">' + str(people) + "</td>", body)
