"""Imports in tests: every check and import runs as a task queued after the request's transaction
commits. Tests inside a transaction (the default) run those callbacks where the commit would, with
tasks eager (tests/conftest.py): the same code path as production, minus the broker."""

from django.test import TestCase

from labor.imports import services as imports
from labor.models import ImportJob


def committed():
    """`with committed(): ...` runs what the block queued for after commit, like a real commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def upload(**kwargs) -> ImportJob:
    with committed():
        job = imports.import_upload(**kwargs)
    return ImportJob.objects.get(pk=job.pk)


def confirm(**kwargs) -> ImportJob:
    with committed():
        job = imports.import_confirm(**kwargs)
    return ImportJob.objects.get(pk=job.pk)


def retry(**kwargs) -> ImportJob:
    with committed():
        job = imports.import_retry(**kwargs)
    return ImportJob.objects.get(pk=job.pk)
