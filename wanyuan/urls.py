from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api.errors import api_not_found
from dashboard.views import healthz

API_APPS = ["accounts", "regions", "industries", "workshops", "labor", "loans", "subsidies", "dashboard"]

api_v1 = [path("", include(f"{app}.api.urls")) for app in API_APPS]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"))),  # namespaced: page and router names overlap
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Any other /api/…/ address: a JSON 404. Only with the trailing slash, so /api/v1/workers still
    # redirects to /api/v1/workers/ (APPEND_SLASH).
    re_path(r"^api/.*/$", api_not_found),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("dashboard.urls")),
    path("", include("industries.urls")),
    path("", include("workshops.urls")),
    path("", include("labor.urls")),
    path("", include("loans.urls")),
    path("", include("subsidies.urls")),
]
# /media/ is never served as a folder, not even with DEBUG on: reports and uploads hold personal data
# and are downloaded only through views that check the user (e.g. a run's report, an import's file).

