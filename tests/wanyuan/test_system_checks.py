"""`manage.py check` is what migrate and runserver run first: a model without a decided scope, a view
without a permission or a settings mistake stops the deployment there, so the suite runs it too."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_the_database_checks_migrate_runs_pass_on_this_database():
    """migrate and runserver also run the checks that need the database (`--database`); on the embedded
    SQLite these once printed a warning at every `make run` (the covering index's INCLUDE columns)."""
    call_command("check", databases=["default"], fail_level="WARNING")
