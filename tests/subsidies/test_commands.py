from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from subsidies.models import SubsidyRun
from subsidies.tasks import calculate_previous_month
from tests.factories import PlacementFactory, certified_workshop, payroll_months

from .conftest import months

pytestmark = pytest.mark.django_db


def test_the_command_calculates_a_month():
    payroll_months(PlacementFactory(workshop=certified_workshop(on=date(2024, 1, 1))), months("2025-01", "2025-01"))
    out = StringIO()
    call_command("calculate_subsidies", "2025-01", stdout=out)
    run = SubsidyRun.objects.get()
    assert run.status == "draft" and run.payable_total == 800
    assert "payable 800.00" in out.getvalue()


def test_the_command_refuses_a_bad_month_and_changes_nothing():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("calculate_subsidies", "2025-13")
    assert not SubsidyRun.objects.exists()


def test_beat_calculates_the_previous_month_at_2am_on_the_3rd(django_capture_on_commit_callbacks):
    entry = settings.CELERY_BEAT_SCHEDULE["subsidies-calculate-previous-month"]
    assert entry["task"] == "subsidies.tasks.calculate_previous_month"
    schedule = entry["schedule"]
    assert schedule.hour == {2} and schedule.minute == {0} and schedule.day_of_month == {3}
    with django_capture_on_commit_callbacks(execute=True):
        run_id = calculate_previous_month.delay().get()
    run = SubsidyRun.objects.get(pk=run_id)
    from django.utils import timezone

    from subsidies.rules import previous_month
    assert run.month == previous_month(timezone.localdate().replace(day=1)) and run.status == "draft"
