"""Checks of deploy/smoke.sh, run with the production install's Python (standard library + openpyxl).

    smoke_checks.py http     the portal through the proxy: login page, a hashed static file, a calculation
                             requested over the API and done by the worker, the run's Excel report
    smoke_checks.py counts   every table's row count and the subsidy totals, as JSON (compared around a restore)

http reads SMOKE_HOST, SMOKE_HTTPS_PORT, SMOKE_HTTP_PORT, SMOKE_CA (Caddy's root certificate: TLS is verified),
SMOKE_USER, SMOKE_PASSWORD.
"""

import http.client
import io
import json
import os
import re
import socket
import ssl
import sys
import time


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to 127.0.0.1 but speaks TLS (SNI, certificate check) and HTTP for the public host name."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Portal:
    def __init__(self):
        self.host = os.environ["SMOKE_HOST"]
        self.port = int(os.environ["SMOKE_HTTPS_PORT"])
        self.context = ssl.create_default_context(cafile=os.environ["SMOKE_CA"])
        self.token = None

    def request(self, method, path, body=None, headers=None):
        conn = PinnedHTTPSConnection(self.host, self.port, context=self.context, timeout=120)
        headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response, data

    def json(self, method, path, body=None, expect=(200,)):
        response, data = self.request(method, path, body)
        check(response.status in expect, f"{method} {path}: {response.status} {data[:300]!r}")
        return response.status, json.loads(data)


def check(condition, message):
    if not condition:
        print(f"SMOKE FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def next_month(month: str) -> str:
    year, mon = map(int, month.split("-")[:2])
    return f"{year + mon // 12}-{mon % 12 + 1:02d}"


def check_http():
    portal = Portal()
    started = time.monotonic()

    # Plain HTTP is redirected to HTTPS by the proxy.
    conn = http.client.HTTPConnection("127.0.0.1", int(os.environ["SMOKE_HTTP_PORT"]), timeout=10)
    conn.request("GET", "/accounts/login/", headers={"Host": portal.host})
    redirect = conn.getresponse()
    check(redirect.status in (301, 302, 307, 308) and redirect.getheader("Location", "").startswith(
        f"https://{portal.host}"), f"http:// is not redirected to https: {redirect.status}")
    print(f"ok  http:// redirects to {redirect.getheader('Location')}")

    response, page = portal.request("GET", "/accounts/login/", headers={"Accept": "text/html",
                                                                        "X-Request-ID": "spoofed-by-client"})
    check(response.status == 200, f"login page answered {response.status}")
    request_id = response.getheader("X-Request-ID") or ""
    check(request_id and request_id != "spoofed-by-client", f"request id {request_id!r} (the proxy sets it)")
    print(f"ok  login page 200 over verified TLS (request id {request_id})")

    hashed = re.search(rb'/static/[\w./-]+\.[0-9a-f]{12}\.css', page)
    check(hashed is not None, "the login page links no hashed stylesheet (manifest storage not in use)")
    response, css = portal.request("GET", hashed.group().decode(), headers={"Accept": "text/css"})
    check(response.status == 200 and b"{" in css, f"{hashed.group()!r} answered {response.status}")
    check("max-age=315360000" in (response.getheader("Cache-Control") or ""), "hashed file is not cached for ever")
    print(f"ok  hashed static file 200: {hashed.group().decode()}")

    _, body = portal.json("POST", "/api/v1/auth/token/", {"username": os.environ["SMOKE_USER"],
                                                         "password": os.environ["SMOKE_PASSWORD"]})
    portal.token = body["token"]
    _, runs = portal.json("GET", "/api/v1/subsidy-runs/?ordering=-month")
    check(runs["results"], "the smoke database holds no subsidy run to continue from")
    month = next_month(runs["results"][0]["month"])
    code, run = portal.json("POST", "/api/v1/subsidy-runs/", {"month": month}, expect=(201, 202))
    check(run["status"] == "queued", f"the request answered {run['status']!r}: not queued for the worker")
    print(f"ok  calculation of {month} requested over the API: run {run['id']} {run['status']} ({code})")
    deadline = time.monotonic() + 90
    while run["status"] in ("queued", "calculating") and time.monotonic() < deadline:
        time.sleep(0.5)
        _, run = portal.json("GET", f"/api/v1/subsidy-runs/{run['id']}/")
    check(run["status"] == "draft", f"run {run['id']} ended {run['status']!r} {run.get('error')!r}")
    check(run["line_count"] > 0, f"run {run['id']} has no lines")
    print(f"ok  the worker calculated run {run['id']}: {run['line_count']} lines, totals {run['totals']}")

    response, data = portal.request("GET", f"/api/v1/subsidy-runs/{run['id']}/report/", headers={"Accept": "*/*"})
    check(response.status == 200, f"report answered {response.status}: {data[:300]!r}")
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = sum(sheet.max_row or 0 for sheet in workbook.worksheets)
    check(rows > 1, "the report workbook is empty")
    print(f"ok  Excel report downloads and opens: {len(workbook.worksheets)} sheets, {rows} rows")
    print(f"http checks took {time.monotonic() - started:.1f} s")


def counts():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.db.models import Sum

    figures = {model._meta.label: model.objects.count() for model in apps.get_models()}
    line = apps.get_model("subsidies", "SubsidyLine")
    figures["subsidy line amounts"] = str(line.objects.aggregate(total=Sum("amount"))["total"])
    print(json.dumps(figures, sort_keys=True, indent=1))


if __name__ == "__main__":
    {"http": check_http, "counts": counts}[sys.argv[1]]()
