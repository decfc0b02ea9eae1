"""Data that a group of tests only reads, built once for the group instead of once per test."""

from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

# Set when a flush took the reference data away in this process (a transactional test, `committed_once`);
# tests/conftest.py puts it back before the next test that is not transactional.
flushed = [False]


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


def committed_once(django_db_blocker, build):
    """For a module-scoped fixture of live-server tests that only read what `build()` makes (pages opened
    in a browser, logins): `yield from committed_once(django_db_blocker, build)`, and override
    `transactional_db` in the module with `reads_committed_data` (below).

    The live server answers from its own database connection (on PostgreSQL), so the data is committed,
    not held in a transaction; after the group's last test the tables are flushed, as a transactional
    test's are after it, and the next transactional test reloads the reference data as usual. What the
    tests write in between (sessions, login events) stays until then: only for tests that read."""
    with django_db_blocker.unblock():
        load_reference_data()  # a transactional test run before in this process flushed it
        try:
            data = build()
        except BaseException:
            call_command("flush", interactive=False, verbosity=0)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        flushed[0] = True


def reads_committed_data(django_db_blocker):
    """The body of a module's `transactional_db` override for tests on `committed_once` data: the database
    is open to the test (and its live server) without pytest-django's flush after each test."""
    with django_db_blocker.unblock():
        yield


# --- the migrations, run once for the whole run -----------------------------------------------------

def migrations_key() -> str:
    """What a migrated database is made of: every migration file of every installed app (Django's and the
    libraries' included) and SQLite's version. The migrations import no app code, so nothing else changes it."""
    import hashlib
    import sqlite3
    from pathlib import Path

    digest = hashlib.sha256(sqlite3.sqlite_version.encode())
    for config in apps.get_app_configs():
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_once(connection, shared_dir, *, enabled: bool):
    """A replacement for `connection.creation.create_test_db` (pytest-django's `django_db_setup` calls it
    through Django's `setup_databases`): the first test process to get here migrates its in-memory SQLite
    test database as usual and saves a copy of it in `shared_dir` (var/test-db), named by
    `migrations_key()`; every other process, in this run and the runs after it until a migration changes,
    loads that copy into its own in-memory database instead of running the migrations again (12 s of one
    core, while the other process waits for it). A copy keeps everything the migrations made: tables,
    indexes, the triggers of dashboard 0002 and the data migrations' rows, which `--nomigrations` would
    lose.

    `enabled` is False where this does not apply (PostgreSQL, a file database, --reuse-db, --nomigrations,
    one process): the original method runs untouched."""
    import fcntl
    import os
    import sqlite3

    original = connection.creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        creation = connection.creation
        name = creation._get_test_db_name()
        if not enabled or keepdb or serialize or not creation.is_in_memory_db(name):
            return original(verbosity=verbosity, autoclobber=autoclobber, serialize=serialize, keepdb=keepdb)
        shared_dir.mkdir(parents=True, exist_ok=True)
        template = shared_dir / f"migrated-{connection.alias}-{migrations_key()}.sqlite3"
        with open(shared_dir / f"migrated-{connection.alias}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the other process waits here while the first one migrates
            if not template.exists():
                name = original(verbosity=verbosity, autoclobber=autoclobber, serialize=False, keepdb=False)
                partial = template.with_suffix(".partial")
                copy = sqlite3.connect(partial)
                connection.connection.backup(copy)
                copy.close()
                os.replace(partial, template)
                for older in shared_dir.glob(f"migrated-{connection.alias}-*.sqlite3"):
                    if older != template:
                        older.unlink()
                return name
        # what create_test_db does besides migrating, in its order
        connection.close()
        from django.conf import settings
        from django.core.management import call_command

        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        saved = sqlite3.connect(template)
        saved.backup(connection.connection)
        saved.close()
        call_command("createcachetable", database=connection.alias)
        return name

    return create_test_db
