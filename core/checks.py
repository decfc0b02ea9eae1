"""System checks of the deployment: run by migrate (compose's first service), check and runserver, so the
stack refuses to start; collectstatic, which needs no database, runs only the static files' checks."""

from django.conf import settings
from django.core import checks


def database_configured(app_configs=None, **kwargs):
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.dummy":
        return [checks.Error("Production needs DATABASE_URL or POSTGRES_HOST (with POSTGRES_PASSWORD).",
                             id="wanyuan.E001")]
    return []
