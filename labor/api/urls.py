from rest_framework.routers import SimpleRouter

from . import outbound, views

router = SimpleRouter()
router.register("workers", views.WorkerViewSet, basename="worker")
router.register("cooperatives", views.CooperativeViewSet, basename="cooperative")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("brokers", views.BrokerViewSet, basename="broker")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("payroll", views.PayrollViewSet, basename="payroll")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("job-fairs", views.JobFairViewSet, basename="job-fair")
router.register("trainings", views.TrainingViewSet, basename="training")
router.register("training-completions", views.TrainingCompletionViewSet, basename="training-completion")
router.register("returnees", views.ReturneeViewSet, basename="returnee")
router.register("imports", views.ImportViewSet, basename="import")
outbound.register(router)
urlpatterns = router.urls
