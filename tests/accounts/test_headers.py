"""Security headers on every answer, no inline script in the pages, and no open /media/ in any mode."""

import importlib
import re

import pytest
from django.urls import clear_url_caches

from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/townships/", "/api/docs/", "/healthz"])
def test_every_answer_carries_the_policies(client, county_admin, path):
    client.force_login(county_admin)
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_the_pages_hold_no_inline_script_or_event_handler(client, county_admin):
    workshop = WorkshopFactory()
    client.force_login(county_admin)
    pages = ["/", "/workshops/", f"/workshops/{workshop.pk}/", "/labor/workers/", "/labor/workers/new/",
             "/subsidies/runs/", "/subsidies/policies/", "/subsidies/policies/new/", "/accounts/password/",
             "/api/docs/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html).group(0))
        assert not INLINE_HANDLER.search(html), (path, INLINE_HANDLER.search(html).group(0))


@pytest.mark.parametrize("debug", [False, True])
def test_media_files_are_never_served_as_a_folder(client, county_admin, settings, debug, tmp_path):
    settings.DEBUG = debug
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "subsidy-run-1.xlsx").write_bytes(b"personal data")
    import wanyuan.urls

    importlib.reload(wanyuan.urls)  # the URLconf as it is built with this DEBUG
    clear_url_caches()
    try:
        assert client.get("/media/reports/subsidy-run-1.xlsx").status_code == 404
        client.force_login(county_admin)
        assert client.get("/media/reports/subsidy-run-1.xlsx").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(wanyuan.urls)
        clear_url_caches()
