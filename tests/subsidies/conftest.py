from datetime import date

import pytest

from accounts.choices import Role
from accounts.permissions import SYSTEM
from core.months import parse_month
from subsidies import rules, services
from subsidies.models import SubsidyRun

from ..factories import make_user


@pytest.fixture
def checker(db):
    """A second county administrator: the checker to the first one's maker."""
    return make_user("county-checker", Role.COUNTY_ADMIN)


def months(first: str, last: str) -> list[date]:
    return rules.months_between(parse_month(first), parse_month(last))


def calculate(month: str, actor=SYSTEM) -> SubsidyRun:
    """Request and calculate a month in process, as `manage.py calculate_subsidies` does."""
    run, _created = services.run_request(actor=actor, month=month, enqueue=False)
    return services.run_calculate(actor=SYSTEM, run_id=run.pk)


def approve(run: SubsidyRun, maker, checker) -> SubsidyRun:
    services.run_submit(actor=maker, run=run)
    return services.run_approve(actor=checker, run=run)


def lines_of(run: SubsidyRun, **filters) -> list:
    return list(run.lines.filter(**filters).order_by("component", "worker_id", "id"))


@pytest.fixture(autouse=True)
def _default_policy(request):
    """WY-2026 comes from a data migration; transactional tests flush it, so put it back."""
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return  # a test of the pure rules
    from importlib import import_module

    from django.apps import apps

    import_module("subsidies.migrations.0002_policy_wy_2026").load(apps, None)
