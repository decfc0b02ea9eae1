"""`make test` keeps the migrated SQLite database in var/test-db between runs (tests/once.py): a run after a
migration changed must migrate again, not test against the old schema."""

from types import SimpleNamespace

from django.apps import apps

from tests.once import migrations_key


def test_the_saved_database_is_named_by_every_migration_file(tmp_path, monkeypatch):
    folder = tmp_path / "app" / "migrations"
    folder.mkdir(parents=True)
    (folder / "0001_initial.py").write_text("operations = []\n")
    monkeypatch.setattr(apps, "get_app_configs", lambda: [SimpleNamespace(label="app", path=str(tmp_path / "app"))])
    first = migrations_key()
    assert migrations_key() == first  # the same files, the same database
    (folder / "0001_initial.py").write_text("operations = ['changed']\n")
    changed = migrations_key()
    (folder / "0002_more.py").write_text("operations = []\n")
    added = migrations_key()
    assert len({first, changed, added}) == 3


def test_djangos_own_migrations_are_part_of_the_key(monkeypatch):
    """A Django upgrade that changes auth's migrations migrates again."""
    auth = apps.get_app_config("auth")
    monkeypatch.setattr(apps, "get_app_configs", lambda: [])
    without = migrations_key()
    monkeypatch.setattr(apps, "get_app_configs", lambda: [auth])
    assert migrations_key() != without
