from rest_framework.routers import SimpleRouter

from .views import SubsidyLineViewSet, SubsidyRunViewSet

router = SimpleRouter()
router.register("subsidy-runs", SubsidyRunViewSet, basename="subsidy-run")
router.register("subsidy-lines", SubsidyLineViewSet, basename="subsidy-line")
urlpatterns = router.urls
