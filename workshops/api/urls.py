from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("workshops", views.WorkshopViewSet, basename="workshop")
router.register("posts", views.PostViewSet, basename="post")
router.register("liaisons", views.LiaisonViewSet, basename="liaison")
router.register("difficulties", views.DifficultyViewSet, basename="difficulty")
urlpatterns = router.urls
