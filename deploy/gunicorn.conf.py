"""gunicorn for the portal: `gunicorn -c deploy/gunicorn.conf.py` (the image's command).

Scheme and client address are believed only from DJANGO_TRUSTED_PROXIES (the same variable Django reads);
error and access logs are JSON lines on stdout, in the format of the application's own (wanyuan/observability.py).
"""

import gc
import os
import sys
from pathlib import Path

from gunicorn import glogging

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

wsgi_app = "wanyuan.wsgi:application"
chdir = str(ROOT)
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# More processes than cores: a process's threads share one GIL and keep their clients' keep-alive
# connections, so with as many processes as cores one of them queues while the other core idles. On 2 cores
# at 30 requests/s, 2 x 8 had a p95 of 230-490 ms; 3 x 8, 3 x 4, 4 x 4 and 6 x 1 90-140 ms (bench/README.md).
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Threads per worker: above 1 gunicorn runs the gthread worker, whose threads overlap a request's database
# waits with another's rendering.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))  # the report API builds a workbook in the request
graceful_timeout = 30
# Only the proxy may say "this came over HTTPS": empty (the default) trusts no one, not even loopback.
forwarded_allow_ips = ",".join(p.strip() for p in os.environ.get("DJANGO_TRUSTED_PROXIES", "").split(",") if p.strip())
# The cyclic garbage collector, as each worker runs it once the portal is loaded: what was loaded is frozen
# (never scanned again) and a young-generation collection waits for 10,000 new objects instead of 700.
# Rendering a page allocates tens of thousands of short-lived objects; with the defaults the collector ran
# about 2.6 times a request and took 4-5 ms of its CPU (bench/profile_mix.py, gc callbacks), with these
# 0.2 times and about 2 ms. GUNICORN_GC_THRESHOLD="700" (one number: the first generation's threshold)
# goes back to Python's own.
GC_THRESHOLD = (int(os.environ.get("GUNICORN_GC_THRESHOLD", "10000")), 10, 10)


def tune_gc():
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def warm_up():
    """What every worker's first requests would otherwise load while clients wait: every view module
    (the URLconf; pandas, openpyxl and DRF come with them) and the base template. Loaded here, it is
    frozen with the rest (tune_gc)."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
    get_template("base.html")


def post_worker_init(worker):
    warm_up()
    tune_gc()


accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "INFO").lower()


class JsonAccessLogger(glogging.Logger):
    """One JSON access line per request, with the request id the application answered with."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = {name.lower(): value for name, value in resp.headers}
        self.access_log.info(
            "%s %s %s", environ.get("REQUEST_METHOD"), environ.get("RAW_URI"), status,
            extra={
                "request_id": headers.get("x-request-id"),
                "status": int(status),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("RAW_URI"),
                "peer": environ.get("REMOTE_ADDR"),
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "user_agent": environ.get("HTTP_USER_AGENT"),
            },
        )


logger_class = JsonAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "wanyuan.observability.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
