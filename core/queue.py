"""Queueing a job when the broker may be down: the caller learns it at once and says so (API 503,
a message on the page) instead of leaving the job queued with nobody to run it."""

import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class BackgroundUnavailable(Exception):
    """The task queue (Redis) does not answer: background work cannot start now."""

    def __init__(self, message=None):
        self.message = str(message or unavailable_reason())
        super().__init__(self.message)


def unavailable_reason():
    return _("Background work is unavailable right now (the task queue does not answer), so it was not "
             "started. Try again in a few minutes; if it persists, tell the system administrator.")


def _broker_errors() -> tuple:
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    return (OperationalError, RedisError, ConnectionError, OSError)


def send(task, *args, on_unavailable=None):
    """`task.delay(*args)`; when the broker cannot take it, call `on_unavailable(reason)` (to mark the
    job failed with the reason) and raise BackgroundUnavailable. Eager tasks (no broker) just run."""
    if task.app.conf.task_always_eager:
        return task.delay(*args)
    try:
        return task.delay(*args)
    except _broker_errors() as exc:
        logger.warning("cannot queue %s%r: broker unavailable (%s)", task.name, args, exc)
        if on_unavailable is not None:
            with translation.override(settings.LANGUAGE_CODE):  # stored reasons are in Chinese
                on_unavailable(str(unavailable_reason()))
        raise BackgroundUnavailable() from exc
