"""One error format for the whole API: {"detail": "...", "errors": {"field": ["message"]}}."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import Conflict

logger = logging.getLogger(__name__)


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def django_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _errors_of(data) -> dict:
    if isinstance(data, dict):
        return data
    if isinstance(data, list):
        return {"non_field_errors": data}
    return {"non_field_errors": [data]}


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for value in errors.values():
            return _first_message(value)
    if isinstance(errors, list):
        for value in errors:
            if value:
                return _first_message(value)
        return ""
    return str(errors)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, Conflict):
        exc = ConflictError(exc.message, code=exc.code)
    elif isinstance(exc, ProtectedError):
        exc = ConflictError(_("This record is in use by other records and cannot be deleted."))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DataError):
        # The database refused a value (a NUL byte, a number out of range) that got past validation:
        # the client's input, so a 400 — logged, as it means a check is missing before the query.
        logger.warning("database refused a request's value: %s", exc)
        exc = exceptions.ParseError(_("Invalid input: a value cannot be stored."))
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(_("The request body is too large."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _errors_of(response.data)
        first = _first_message(errors)
        response.data = {"detail": _("Invalid input: %(message)s") % {"message": first}, "errors": errors}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "errors": {}}
    return response


def validation_error_response(errors: dict) -> Response:
    """For views that build their own 400 (e.g. a bulk write with errors by index). A row's errors that are
    a list (a body that is `null` or not an object) keep the format: {"non_field_errors": [...]}."""
    errors = _errors_of(errors)
    return Response(
        {"detail": _("Invalid input: %(message)s") % {"message": _first_message(errors)}, "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


@csrf_exempt  # API clients send no CSRF token: a write to an unknown address is a 404, not the HTML CSRF 403
def api_not_found(request, *args, **kwargs):
    """An /api/ address no route matches (e.g. /api/v1/workers/0.5/): 404 in the API's JSON format, not
    Django's HTML page, in any mode (the schema documents JSON for every answer)."""
    from django.http import JsonResponse

    return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)
