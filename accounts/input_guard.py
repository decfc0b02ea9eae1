"""Hostile input that must cost nothing: a NUL byte in the path, the query or a form field (PostgreSQL
refuses NUL in text, which used to surface as a 500), and API bodies over DATA_UPLOAD_MAX_MEMORY_SIZE.
Both get a 400 before any view runs — on /api/ in the API's JSON error format. JSON bodies are checked
by accounts.api.parsers."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values.getlist(key)) for key in values)


def bad_request(request, message: str, errors: dict | None = None):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "errors": errors or {}}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def nul_message() -> str:
    return _("Invalid input: the request contains a NUL character.")


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX) and self._too_big(request):
            return bad_request(request, _("The request body is too large (at most %(size)s bytes).")
                               % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
        if "\x00" in request.path_info or has_nul(request.GET):
            return bad_request(request, nul_message())
        # An oversized form raises here as it would in the view: Django answers it with its 400.
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                nul = has_nul(request.POST)
            except MultiPartParserError as exc:
                # A malformed multipart body: the API's JSON 400 (as DRF answers it), not Django's HTML page.
                return bad_request(request, _("Invalid input: the form body cannot be read (%(reason)s).")
                                   % {"reason": exc})
            if nul:
                return bad_request(request, nul_message())
        return self.get_response(request)

    @staticmethod
    def _too_big(request) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return limit is not None and length > limit
