from django.urls import path

from . import audit_views, views

urlpatterns = [
    path("system/status/", views.system_status, name="core-system-status"),
    path("accounts/audit/", audit_views.AuditEventListView.as_view(), name="accounts-audit"),
]
