"""Log lines are JSON with time, level, logger, message, the request id the client got back, and the user."""

import io
import json
import logging
from datetime import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.middleware import ProxyHeadersMiddleware, RequestContextMiddleware
from tests.factories import make_user
from wanyuan.observability import JsonFormatter, RequestContextFilter


@pytest.fixture
def log_lines():
    """The JSON lines written through the portal's formatter and filter (as settings configure the console)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_logged_by_django_carries_its_request_id_and_api_user(api, log_lines):
    user = make_user("log-county")
    response = api(user).get("/api/v1/subsidy-runs/987654/")
    assert response.status_code == 404
    [line] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user"] == "log-county"
    assert line["level"] == "WARNING" and "987654" in line["message"]
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0  # UTC, with its offset


@pytest.mark.django_db
def test_a_line_logged_while_serving_names_the_signed_in_user(log_lines):
    user = make_user("log-township")

    def view(request):
        logging.getLogger("subsidies.services").info("run %s queued", 7, extra={"run": 7})
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user
    response = ProxyHeadersMiddleware(RequestContextMiddleware(view))(request)
    [line] = [line for line in log_lines() if line["logger"] == "subsidies.services"]
    assert line == {"time": line["time"], "level": "INFO", "logger": "subsidies.services", "message": "run 7 queued",
                    "request_id": response["X-Request-ID"], "user": "log-township", "run": 7}


def test_outside_a_request_and_for_anonymous_users_the_fields_are_empty(log_lines):
    logging.getLogger("celery.beat").warning("tick")

    def view(request):
        logging.getLogger("accounts").info("anonymous visit")
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    ProxyHeadersMiddleware(RequestContextMiddleware(view))(request)
    tick, visit = log_lines()
    assert (tick["request_id"], tick["user"]) == (None, None)
    assert visit["request_id"] and visit["user"] is None


def test_a_line_logged_by_a_task_names_the_task(log_lines):
    from wanyuan.celery import app

    @app.task(name="tests.log_something")
    def log_something():
        logging.getLogger("subsidies.tasks").info("calculating")

    result = log_something.apply(task_id="3f0c-task-id")
    assert result.successful()
    [line] = [line for line in log_lines() if line["logger"] == "subsidies.tasks"]
    assert line["task_id"] == "3f0c-task-id" and line["request_id"] is None
