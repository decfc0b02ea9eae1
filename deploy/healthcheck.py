"""The web container's health check: /healthz of this replica's gunicorn, asked as the proxy asks it.

Same host a user types (the first of DJANGO_ALLOWED_HOSTS) and the scheme the proxy reports (https), from
loopback, which compose lists in DJANGO_TRUSTED_PROXIES: so it passes only when the production settings
accept that host, the HTTPS rules let the request through and the database (and broker) answer.
Exit 0 when healthy. The whole path through the proxy and TLS is the proxy service's own health check.
"""

import json
import os
import sys
import urllib.error
import urllib.request

host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https",
                                               "X-Forwarded-For": "127.0.0.1"})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (e.g. to https) is a failure here, not something to follow


try:
    with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
        body = json.load(response)
except (urllib.error.URLError, OSError, ValueError) as error:
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
print(body)
sys.exit(0 if body.get("status") == "ok" else 1)
