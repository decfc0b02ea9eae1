from django.urls import path
from rest_framework.routers import SimpleRouter

from .audit import AuditEventViewSet
from .views import ApiTokenViewSet, TokenView

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-record")
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token"), *router.urls]
