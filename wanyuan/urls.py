from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from dashboard.views import healthz

API_APPS = ["accounts", "regions", "industries", "workshops", "labor", "subsidies", "dashboard"]

api_v1 = [path("", include(f"{app}.api.urls")) for app in API_APPS]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"))),  # namespaced: page and router names overlap
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("dashboard.urls")),
    path("", include("industries.urls")),
    path("", include("workshops.urls")),
    path("", include("labor.urls")),
    path("", include("subsidies.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

