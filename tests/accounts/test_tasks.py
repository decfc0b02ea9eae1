from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import IdempotencyRecord
from accounts.tasks import prune_idempotency_records


def _record(user, key, age_days):
    record = IdempotencyRecord.objects.create(user=user, key=key, method="POST", path="/api/v1/x/",
                                              body_digest="d", status_code=201, response={})
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=age_days))


@pytest.mark.django_db
def test_prune_forgets_only_old_retry_records_in_process(county_admin):
    _record(county_admin, "old", 10)
    _record(county_admin, "new", 1)
    assert prune_idempotency_records.delay(days=7).get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_task_round_trips_through_the_real_worker(celery_worker_process, county_admin):
    """The worker process reads and writes the same database: the broker, the worker and the
    result backend all take part."""
    _record(county_admin, "old", 30)
    _record(county_admin, "recent", 0)
    result = prune_idempotency_records.delay(days=7)
    assert result.get(timeout=60) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
