from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import SubsidyLineViewSet, SubsidyRunLinesView, SubsidyRunViewSet

router = SimpleRouter()
router.register("subsidy-runs", SubsidyRunViewSet, basename="subsidy-run")
router.register("subsidy-lines", SubsidyLineViewSet, basename="subsidy-line")
urlpatterns = [
    path("subsidy-runs/<int:pk>/lines/", SubsidyRunLinesView.as_view(), name="subsidy-run-lines"),
    *router.urls,
]
