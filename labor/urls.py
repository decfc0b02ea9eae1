from django.urls import path

from .views import imports, lists, workers

urlpatterns = [
    path("labor/", workers.BrokerHomeView.as_view(), name="labor-home"),
    path("labor/workers/", workers.WorkerListView.as_view(), name="labor-worker-list"),
    path("labor/workers/new/", workers.WorkerCreateView.as_view(), name="labor-worker-create"),
    path("labor/workers/check-id/", workers.CheckIdNumberView.as_view(), name="labor-check-id"),
    path("labor/workers/<int:pk>/", workers.WorkerDetailView.as_view(), name="labor-worker-detail"),
    path("labor/workers/<int:pk>/propose/", workers.ProposeView.as_view(), name="labor-worker-propose"),
    path("labor/workers/<int:pk>/placements/<int:placement_pk>/follow-up/", workers.FollowUpView.as_view(),
         name="labor-follow-up"),
    path("labor/placements/", lists.PlacementListView.as_view(), name="labor-placement-list"),
    path("labor/payroll/", lists.PayrollListView.as_view(), name="labor-payroll-list"),
    path("labor/referrals/", lists.ReferralListView.as_view(), name="labor-referral-list"),
    path("labor/referrals/<int:pk>/decide/", lists.DecideView.as_view(), name="labor-referral-decide"),
    path("labor/imports/", imports.ImportUploadView.as_view(), name="labor-import-upload"),
    path("labor/imports/<int:pk>/", imports.ImportDetailView.as_view(), name="labor-import-detail"),
    path("labor/imports/<int:pk>/confirm/", imports.ImportConfirmView.as_view(), name="labor-import-confirm"),
    path("labor/imports/<int:pk>/retry/", imports.ImportRetryView.as_view(), name="labor-import-retry"),
    path("labor/imports/template/<str:kind>.xlsx", imports.ImportTemplateView.as_view(), name="labor-import-template"),
    *[route for resource in lists.RESOURCES for route in resource.urls()],
]
