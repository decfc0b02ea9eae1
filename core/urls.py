from django.urls import path

from . import audit_views, choices, download_views, saved_filters, search, user_views, views

urlpatterns = [
    path("search/", search.search, name="core-search"),
    path("choices/<slug:key>/", choices.choices, name="core-choices"),
    path("saved-filters/", saved_filters.saved_filter_save, name="core-saved-filter-save"),
    path("saved-filters/<int:pk>/delete/", saved_filters.saved_filter_delete, name="core-saved-filter-delete"),
    path("system/status/", views.system_status, name="core-system-status"),
    path("accounts/audit/", audit_views.AuditEventListView.as_view(), name="accounts-audit"),
    path("downloads/", download_views.download_list, name="core-download-list"),
    path("downloads/<int:pk>/", download_views.download_detail, name="core-download-detail"),
    path("downloads/<int:pk>/status/", download_views.download_status, name="core-download-status"),
    path("downloads/<int:pk>/file/", download_views.download_file, name="core-download-file"),
    path("downloads/<int:pk>/retry/", download_views.download_retry, name="core-download-retry"),
    path("users/", user_views.user_list, name="core-user-list"),
    path("users/new/", user_views.user_create, name="core-user-create"),
    path("users/<int:pk>/", user_views.user_update, name="core-user-update"),
    path("users/<int:pk>/deactivate/", user_views.user_deactivate, name="core-user-deactivate"),
    path("users/<int:pk>/reactivate/", user_views.user_reactivate, name="core-user-reactivate"),
    path("users/<int:pk>/reset-password/", user_views.user_reset_password, name="core-user-reset-password"),
]
