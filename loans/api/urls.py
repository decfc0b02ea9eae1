from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("loans", views.LoanViewSet, basename="loan")
router.register("loan-repayments", views.RepaymentViewSet, basename="loan-repayment")
urlpatterns = router.urls
