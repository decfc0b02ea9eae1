"""Simultaneous requests for one month, on PostgreSQL (the database CI and production run)."""

import threading

import pytest
from django.db import connection, connections

from accounts.choices import Role
from subsidies import services
from subsidies.models import SubsidyRun
from tests.factories import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; CI runs this on PG"),
]


def test_two_requests_for_a_month_at_once_make_one_run():
    officers = [make_user(f"officer-{n}", Role.COUNTY_OFFICER) for n in range(4)]
    start, results, errors = threading.Barrier(len(officers)), [], []

    def request(user):
        try:
            start.wait()
            run, created = services.run_request(actor=user, month="2025-03", enqueue=False)
            results.append((run.pk, created))
        except Exception as exc:  # reported below: every request must succeed
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request, args=(user,)) for user in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert SubsidyRun.objects.filter(month="2025-03-01").count() == 1
    assert len({pk for pk, _created in results}) == 1 and sum(created for _pk, created in results) == 1
