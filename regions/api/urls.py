from rest_framework.routers import SimpleRouter

from .views import TownshipViewSet, VillageViewSet

router = SimpleRouter()
router.register("townships", TownshipViewSet, basename="township")
router.register("villages", VillageViewSet, basename="village")
urlpatterns = router.urls
