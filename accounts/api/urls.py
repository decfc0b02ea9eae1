from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ApiTokenViewSet, TokenView

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-record")

urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token"), *router.urls]
