"""core.months: the one way a month gets in, by hand, through a page form, a list filter or the API."""

from datetime import date, datetime, timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from rest_framework import serializers

from core.months import (
    MonthFilter,
    MonthFormField,
    MonthSerializerField,
    months_between,
    next_month,
    parse_month,
    previous_month,
    whole_months_between,
    within_placement,
)
from tests.factories import PayrollFactory, PlacementFactory


@pytest.mark.parametrize("value, month", [
    ("2026-10", date(2026, 10, 1)),
    ("2026-1", date(2026, 1, 1)),
    ("2026-01", date(2026, 1, 1)),
    ("  2026-10 ", date(2026, 10, 1)),
    ("2026/10", date(2026, 10, 1)),
    ("2026.10", date(2026, 10, 1)),
    ("2026年10月", date(2026, 10, 1)),
    ("2026年1月", date(2026, 1, 1)),
    ("2026 年 10 月", date(2026, 10, 1)),
    ("2026年10", date(2026, 10, 1)),
    ("２０２６年１０月", date(2026, 10, 1)),  # full-width digits, as a Chinese input method types them
    ("２０２６－１０", date(2026, 10, 1)),
    ("1950-01", date(1950, 1, 1)),
    (date(2026, 10, 15), date(2026, 10, 1)),
    (date(2026, 10, 1), date(2026, 10, 1)),
    (datetime(2026, 10, 31, 23, 59), date(2026, 10, 1)),
])
def test_what_people_type_is_taken_as_the_months_first_day(value, month):
    assert parse_month(value) == month


@pytest.mark.parametrize("value", [
    "2026-13", "2026-0", "2026-00", "26-10", "202610", "20261", "2026-10-01", "2026年10月5日", "10-2026",
    "October 2026", "abcd-ef", "2026-10 x", "2026--10", "0000-01", "٢٠٢٦-١٠",  # Arabic-Indic digits
    202610, 2026.1, True, ["2026-10"],
])
def test_anything_else_is_refused_in_chinese_quoting_the_value(value):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        parse_month(value)
    assert caught.value.code == "invalid_month"
    message = caught.value.messages[0]
    assert message == f"“{str(value).strip()}”不是月份，请按 YYYY-MM 填写，例如 2026-10。"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_nothing_is_refused_with_the_format(value):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        parse_month(value)
    assert caught.value.code == "invalid_month"
    assert caught.value.messages == ["请按 YYYY-MM 填写月份，例如 2026-10。"]


def test_a_long_value_is_quoted_shortened():
    with pytest.raises(ValidationError) as caught:
        parse_month("x" * 500)
    assert "x" * 20 + "…" in caught.value.messages[0] and "x" * 21 not in caught.value.messages[0]


def test_months_before_1950_or_more_than_a_year_ahead_are_refused_with_the_portals_date_bound():
    ahead = timezone.localdate() + timedelta(days=366)
    too_far = next_month(ahead.replace(day=1))
    for value in ("1949-12", f"{too_far:%Y-%m}", "2999-01", "1900-01", date(1949, 12, 31)):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
            parse_month(value)
        assert caught.value.code == "implausible_date", value
        assert "1950-01-01" in caught.value.messages[0] and ahead.isoformat() in caught.value.messages[0]
    # A month that has not begun is still a month: whether that is allowed is the caller's rule.
    coming = next_month(timezone.localdate().replace(day=1))
    assert parse_month(f"{coming:%Y-%m}") == coming
    assert parse_month(f"{ahead:%Y-%m}") == ahead.replace(day=1)


def test_month_arithmetic():
    assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert next_month(date(2025, 12, 1)) == date(2026, 1, 1)
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert within_placement(date(2025, 3, 1), date(2025, 3, 31), None)
    assert not within_placement(date(2025, 3, 1), date(2025, 4, 1), None)
    assert not within_placement(date(2025, 3, 1), date(2025, 1, 1), date(2025, 2, 28))


class MonthForm(forms.Form):
    month = MonthFormField()


def test_the_form_field_cleans_to_a_month_and_shows_the_chinese_error():
    form = MonthForm({"month": "2026年3月"})
    assert form.is_valid() and form.cleaned_data["month"] == date(2026, 3, 1)
    with translation.override("zh-hans"):
        form = MonthForm({"month": "2026-13"})
        assert not form.is_valid()
        assert form.errors["month"] == ["“2026-13”不是月份，请按 YYYY-MM 填写，例如 2026-10。"]
        assert MonthForm({"month": ""}).errors["month"] == ["该字段是必填项。"]
        assert 'value="2026-03"' in str(MonthForm(initial={"month": date(2026, 3, 1)})["month"])


def test_the_serializer_field_reads_what_people_type_and_writes_yyyy_mm():
    field = MonthSerializerField()
    assert field.to_internal_value("2026-3") == date(2026, 3, 1)
    assert field.to_representation(date(2026, 3, 1)) == "2026-03"
    with translation.override("zh-hans"), pytest.raises(serializers.ValidationError) as caught:
        field.to_internal_value(202603)
    assert caught.value.detail == ["“202603”不是月份，请按 YYYY-MM 填写，例如 2026-10。"]
    assert caught.value.detail[0].code == "invalid_month"


@pytest.mark.django_db
def test_the_filter_keeps_the_months_rows_and_refuses_a_non_month():
    import django_filters

    from labor.models import Payroll

    class PayrollByMonth(django_filters.FilterSet):
        month = MonthFilter(field_name="month")

        class Meta:
            model = Payroll
            fields = []

    placement = PlacementFactory(start_date=date(2025, 1, 1))
    january = PayrollFactory(placement=placement, month=date(2025, 1, 1))
    PayrollFactory(placement=placement, month=date(2025, 2, 1))
    for value in ("2025-01", "2025-1", "2025年1月"):
        assert list(PayrollByMonth({"month": value}, queryset=Payroll.objects.all()).qs) == [january]
    assert PayrollByMonth({}, queryset=Payroll.objects.all()).qs.count() == 2
    with translation.override("zh-hans"):
        refused = PayrollByMonth({"month": "2025-13"}, queryset=Payroll.objects.all())
        assert not refused.is_valid()
        assert refused.errors["month"] == ["“2025-13”不是月份，请按 YYYY-MM 填写，例如 2026-10。"]


@pytest.mark.django_db
def test_the_api_filters_payroll_by_month_and_answers_400_for_a_non_month(api, county_admin):
    placement = PlacementFactory(start_date=date(2025, 1, 1))
    PayrollFactory(placement=placement, month=date(2025, 1, 1))
    PayrollFactory(placement=placement, month=date(2025, 2, 1))
    client = api(county_admin)
    found = client.get("/api/v1/payroll/", {"month": "2025年2月"})
    assert found.status_code == 200
    assert [row["month"] for row in found.json()["results"]] == ["2025-02"]
    refused = client.get("/api/v1/payroll/", {"month": "bad"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400 and "month" in refused.json()["errors"]


def test_whole_months_from_a_day_count_a_month_only_once_its_mark_is_reached():
    assert whole_months_between(date(2026, 1, 15), date(2026, 7, 14)) == 5
    assert whole_months_between(date(2026, 1, 15), date(2026, 7, 15)) == 6
    assert whole_months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1  # the month's last day is its mark
    assert whole_months_between(date(2026, 3, 1), date(2026, 2, 1)) == 0  # not founded yet
