import ipaddress
import re
import uuid
from contextvars import ContextVar
from functools import lru_cache

_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_request: ContextVar[object | None] = ContextVar("request", default=None)

# Headers only a trusted reverse proxy may set; from anyone else they are dropped before Django reads them.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                 "HTTP_X_FORWARDED_PORT", "HTTP_X_REAL_IP", "HTTP_X_REQUEST_ID")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current_ip() -> str | None:
    return _ip.get()


def current_request_id() -> str | None:
    return _request_id.get()


def current_request():
    return _request.get()


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def is_trusted_proxy(address: str | None) -> bool:
    from django.conf import settings

    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


class ProxyHeadersMiddleware:
    """First in the chain: the client's address, scheme and request id come from X-Forwarded-For,
    X-Forwarded-Proto and X-Request-ID only when the peer is a trusted proxy (DJANGO_TRUSTED_PROXIES);
    from any other peer those headers are removed, so SECURE_PROXY_SSL_HEADER, the audit log and the
    logs never believe a client that talks to gunicorn directly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if is_trusted_proxy(meta.get("REMOTE_ADDR")):
            client = self._client_address(meta.get("HTTP_X_FORWARDED_FOR", ""))
            if client:
                meta["REMOTE_ADDR"] = client
            supplied = meta.get("HTTP_X_REQUEST_ID", "")
            request_id = supplied if REQUEST_ID_RE.match(supplied) else uuid.uuid4().hex
        else:
            for header in PROXY_HEADERS:
                meta.pop(header, None)
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response

    @staticmethod
    def _client_address(forwarded_for: str) -> str | None:
        # The rightmost address a trusted proxy did not add is the client: anything left of it the client
        # could have written itself.
        for candidate in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                return None
            if not is_trusted_proxy(candidate):
                return candidate
        return None


class RequestContextMiddleware:
    """Keeps the client's address for the audit log, which services write without the request, and the
    request itself so log lines can name the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip.set(request.META.get("REMOTE_ADDR") or None)
        request_token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(request_token)
            _ip.reset(token)


class LanguageMiddleware:
    """Chinese unless the user picked another language (the set_language cookie). The browser's
    Accept-Language is ignored on purpose: officials' browsers are often set to English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
