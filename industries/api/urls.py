from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("production-bases", views.ProductionBaseViewSet, basename="production-base")
router.register("brands", views.BrandViewSet, basename="brand")
router.register("industry-outputs", views.IndustryOutputViewSet, basename="industry-output")
router.register("livestreams", views.LivestreamViewSet, basename="livestream")
router.register("east-market-sales", views.EastMarketSaleViewSet, basename="east-market-sale")
router.register("cooperation-funds", views.CooperationFundViewSet, basename="cooperation-fund")
urlpatterns = router.urls
