from django.urls import path

from . import paper_views, policy_views, views

urlpatterns = [
    path("subsidies/runs/", views.RunListView.as_view(), name="subsidy-run-list"),
    path("subsidies/runs/new/", views.run_request, name="subsidy-run-request"),
    path("subsidies/runs/<int:pk>/", views.run_detail, name="subsidy-run-detail"),
    path("subsidies/runs/<int:pk>/lines/", views.LineListView.as_view(), name="subsidy-run-lines"),
    path("subsidies/runs/<int:pk>/report/", paper_views.report_request, name="subsidy-report-request"),
    path("subsidies/runs/<int:pk>/notices/", paper_views.notice_post, name="subsidy-notice-post"),
    path("subsidies/runs/<int:pk>/notices/<str:township>/", paper_views.notice_print, name="subsidy-notice-print"),
    path("subsidies/runs/<int:pk>/sheets/<str:township>/", paper_views.payment_sheets, name="subsidy-payment-sheets"),
    path("subsidies/runs/<int:pk>/<slug:action>/", views.run_action, name="subsidy-run-action"),
    path("subsidies/lines/<int:pk>/clear/", views.line_clear, name="subsidy-line-clear"),
    path("subsidies/reports/<int:pk>/", paper_views.report_status, name="subsidy-report-status"),
    path("subsidies/reports/<int:pk>/download/", paper_views.report_download, name="subsidy-report-download"),
    path("subsidies/policies/", policy_views.policy_list, name="subsidy-policy-list"),
    path("subsidies/policies/new/", policy_views.policy_create, name="subsidy-policy-create"),
    path("subsidies/policies/<int:pk>/", policy_views.policy_detail, name="subsidy-policy-detail"),
    path("subsidies/policies/<int:pk>/edit/", policy_views.policy_update, name="subsidy-policy-update"),
    path("subsidies/workshops/<int:workshop_id>/history/", views.workshop_history, name="subsidy-workshop-history"),
]
