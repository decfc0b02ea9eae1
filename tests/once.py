"""Data that a group of tests only reads, built once for the group instead of once per test."""

from django.db import transaction


def built_once(django_db_blocker, build):
    """For a module- or class-scoped fixture: `yield from built_once(django_db_blocker, build)`.

    `build()` runs inside a transaction that is rolled back after the group's last test; each test's own
    `db` runs in a savepoint within it, so what a test writes (tokens, audit events, downloads) is gone
    before the next one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
