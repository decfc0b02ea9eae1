"""X-Forwarded-For/-Proto and X-Request-ID are believed only from a trusted proxy (DJANGO_TRUSTED_PROXIES)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from accounts.middleware import ProxyHeadersMiddleware

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.5"
SPOOF = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7",
         "HTTP_X_REQUEST_ID": "chosen-by-the-sender"}


def seen_by_django(remote_addr, **headers):
    """What the views see after the middleware: client address, HTTPS or not, request id."""
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
    app = ProxyHeadersMiddleware(lambda r: HttpResponse(f"{r.META['REMOTE_ADDR']} {r.is_secure()} {r.request_id}"))
    with override_settings(TRUSTED_PROXIES=[PROXY, "172.30.0.0/24"],
                           SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        response = app(request)
    address, secure, request_id = response.content.decode().split()
    assert response["X-Request-ID"] == request_id
    return address, secure == "True", request_id


def test_headers_from_a_client_that_is_not_the_proxy_are_ignored():
    address, secure, request_id = seen_by_django("198.51.100.20", **SPOOF)
    assert (address, secure) == ("198.51.100.20", False)
    assert request_id != "chosen-by-the-sender" and len(request_id) == 32


def test_headers_from_the_proxy_are_honoured_and_the_client_is_the_rightmost_untrusted_address():
    assert seen_by_django(PROXY, **SPOOF) == ("203.0.113.7", True, "chosen-by-the-sender")
    # A proxy inside the trusted network, behind another trusted hop.
    assert seen_by_django("172.30.0.10", HTTP_X_FORWARDED_FOR="203.0.113.8, 10.0.0.5")[0] == "203.0.113.8"


def test_a_malformed_request_id_from_the_proxy_is_replaced():
    _, _, request_id = seen_by_django(PROXY, HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert request_id != "bad id\nwith newline" and len(request_id) == 32


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(tmp_path, trusted):
    """The production web server as deploy/gunicorn.conf.py runs it, trusting `trusted`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update({"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "portal.wanyuan.example",
                "DJANGO_SECRET_KEY": "k3Jx9-unit-test-only-secret-with-plenty-of-entropy-9f8e7d6c5b4a3",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_TRUSTED_PROXIES": trusted,
                "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"})
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return process, port


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get_healthz(port):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={
        "Host": "portal.wanyuan.example", "X-Forwarded-Proto": "https"})
    # Generous waits: on a busy machine the worker may take a minute to import Django; a passing run never waits.
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
                return response.status, None
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location")
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("trusted, expected", [
    ("192.0.2.1", (301, "https://portal.wanyuan.example/healthz")),  # we are not the proxy: spoof ignored
    ("127.0.0.1", (200, None)),  # we are the proxy: https believed, no redirect
])
def test_real_gunicorn_believes_x_forwarded_proto_only_from_the_trusted_proxy(tmp_path, trusted, expected):
    process, port = gunicorn(tmp_path, trusted)
    try:
        assert get_healthz(port) == expected
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
    assert '"logger": "gunicorn.access"' in output  # and the access log is JSON on stdout
