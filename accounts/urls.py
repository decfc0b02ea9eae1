from django.urls import path

from . import audit_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("audit/", audit_views.AuditEventListView.as_view(), name="accounts-audit"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
]
