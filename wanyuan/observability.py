"""Logs as JSON lines on stdout, and optional Sentry.

One line per record: time (ISO 8601 in UTC with its +00:00 offset: the zone every container of the stack
logs in; pages still show Asia/Shanghai), level, logger, message, request_id and user (when the record was
written during a request), task_id (written by a Celery task), and the exception's traceback when there is
one. gunicorn's access log uses the same formatter (deploy/gunicorn.conf.py). Imported by settings and by
gunicorn before Django is set up: no model or settings access at import time.
"""

import json
import logging
from datetime import UTC, datetime

LOG_TIME_ZONE = UTC
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request"}


class RequestContextFilter(logging.Filter):
    """Adds request_id and user from the request being served (accounts.middleware keeps it in a contextvar)."""

    def filter(self, record):
        from accounts.middleware import current_request, current_request_id

        request = current_request() or getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or getattr(request, "request_id", None)
        if not hasattr(record, "user"):
            record.user = _username(request)
        if not hasattr(record, "task_id") and (task_id := _celery_task_id()):
            record.task_id = task_id  # in the worker: which task (and so which run or import) wrote the line
        return True


def _celery_task_id():
    import sys

    if "celery" not in sys.modules:
        return None
    from celery import current_task

    task = current_task._get_current_object()
    return getattr(task.request, "id", None) if task is not None else None


def _username(request):
    from django.utils.functional import empty

    user = getattr(request, "__dict__", {}).get("user") if request is not None else None
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None  # never resolve a lazy user from inside logging: that would query the database
    return getattr(user, "username", None) or None


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, LOG_TIME_ZONE).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user": getattr(record, "user", None),
        }
        # Structured extras (logger.info("...", extra={"run": 3})) and gunicorn's access fields.
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(*, level="INFO", fmt="json"):
    """The LOGGING dict for settings: everything to stdout through one handler."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "wanyuan.observability.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "wanyuan.observability.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": fmt,
                        "filters": ["request_context"]},
        },
        "root": {"handlers": ["console"], "level": level},
        # Django's own loggers propagate to root; its default console/mail handlers are not used.
        "loggers": {"django": {"handlers": [], "level": level, "propagate": True}},
    }


def init_sentry(*, dsn, environment, release=None, traces_sample_rate=0.0):
    """Only called when SENTRY_DSN is set, so sentry_sdk is imported (and does anything) only then."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=dsn, environment=environment, release=release, traces_sample_rate=traces_sample_rate,
                    send_default_pii=False, integrations=[DjangoIntegration(), CeleryIntegration()])
