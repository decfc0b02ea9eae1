from django.urls import path

from . import views

urlpatterns = [
    path("loans/", views.LoanListView.as_view(), name="loan-list"),
    path("loans/new/", views.LoanCreateView.as_view(), name="loan-create"),
    path("loans/<int:pk>/", views.LoanDetailView.as_view(), name="loan-detail"),
    path("loans/<int:pk>/edit/", views.LoanUpdateView.as_view(), name="loan-update"),
    path("loans/<int:pk>/approve/", views.ApproveView.as_view(), name="loan-approve"),
    path("loans/<int:pk>/reject/", views.RejectView.as_view(), name="loan-reject"),
    path("loans/<int:pk>/disburse/", views.DisburseView.as_view(), name="loan-disburse"),
    path("loans/<int:pk>/write-off/", views.WriteOffView.as_view(), name="loan-write-off"),
    path("loans/<int:pk>/repayments/new/", views.RepaymentCreateView.as_view(), name="loan-repayment-create"),
    path("loans/repayments/", views.RepaymentListView.as_view(), name="repayment-list"),
    path("loans/policies/", views.LoanPolicyListView.as_view(), name="loan-policy-list"),
    path("loans/policies/new/", views.LoanPolicyCreateView.as_view(), name="loan-policy-create"),
    path("loans/policies/<int:pk>/", views.LoanPolicyDetailView.as_view(), name="loan-policy-detail"),
    path("loans/policies/<int:pk>/edit/", views.LoanPolicyUpdateView.as_view(), name="loan-policy-update"),
]
