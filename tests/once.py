"""Data that a group of tests only reads, built once for the group instead of once per test."""

from importlib import import_module

from django.apps import apps
from django.db import transaction


def load_reference_data():
    """What the data migrations load — the 31 townships, the default subsidy and loan policies — where a
    transactional test's flush took it away (each loader is idempotent)."""
    from regions.models import Township

    if not Township.objects.exists():
        units = import_module("regions.migrations.0002_wanyuan_townships").UNITS
        Township.objects.bulk_create(Township(code=code, name=name, kind=kind) for code, name, kind in units)
    import_module("subsidies.migrations.0002_policy_wy_2026").load(apps, None)
    import_module("loans.migrations.0002_loan_policy_defaults").load(apps, None)


def built_once(django_db_blocker, build):
    """For a module- or class-scoped fixture: `yield from built_once(django_db_blocker, build)`.

    `build()` runs inside a transaction that is rolled back after the group's last test; each test's own
    `db` runs in a savepoint within it, so what a test writes (tokens, audit events, downloads) is gone
    before the next one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_reference_data()  # a transactional test run before in this process flushed it
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
