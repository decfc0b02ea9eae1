from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.pages import SIGNED_IN, public, requires

from . import selectors


@requires(SIGNED_IN)
def home(request):
    sections = selectors.county_figures(user=request.user)
    by_year = next(section["by_year"] for section in sections if section["key"] == "subsidies")
    # Chart.js draws floats; the exact amounts are in the cards and the table beside the chart.
    chart = {"labels": [str(row["year"]) for row in by_year],
             "datasets": [{"label": _("Subsidies paid (yuan)"), "data": [float(row["amount"]) for row in by_year]}]}
    return render(request, "dashboard/home.html", {"sections": sections, "paid_by_year": by_year, "chart": chart})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@public
def healthz(request):
    """200 when the database (and the broker, when one is configured) answers; 503 otherwise."""
    checks = {"database": "ok" if _database_ok() else "down"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_ok() else "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
