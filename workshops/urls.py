from django.urls import path

from . import views

urlpatterns = [
    path("workshops/<int:pk>/certify/", views.CertifyView.as_view(), name="workshop-certify"),
    path("workshops/<int:pk>/certifications/<int:event_id>/notice/", views.certification_notice,
         name="workshop-certification-notice"),
    path("workshops/<int:pk>/revoke/", views.RevokeView.as_view(), name="workshop-revoke"),
    path("workshops/<int:pk>/difficulties/raise/", views.RaiseDifficultyView.as_view(),
         name="workshop-raise-difficulty"),
    path("workshops/difficulties/<int:pk>/resolve/", views.ResolveDifficultyView.as_view(),
         name="difficulty-resolve"),
    path("workshops/", views.WorkshopListView.as_view(), name="workshop-list"),
    path("workshops/new/", views.WorkshopCreateView.as_view(), name="workshop-create"),
    path("workshops/<int:pk>/", views.WorkshopDetailView.as_view(), name="workshop-detail"),
    path("workshops/<int:pk>/edit/", views.WorkshopUpdateView.as_view(), name="workshop-update"),
    path("workshops/posts/", views.PostListView.as_view(), name="post-list"),
    path("workshops/posts/new/", views.PostCreateView.as_view(), name="post-create"),
    path("workshops/posts/<int:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("workshops/posts/<int:pk>/edit/", views.PostUpdateView.as_view(), name="post-update"),
    path("workshops/liaisons/", views.LiaisonListView.as_view(), name="liaison-list"),
    path("workshops/liaisons/new/", views.LiaisonCreateView.as_view(), name="liaison-create"),
    path("workshops/liaisons/<int:pk>/", views.LiaisonDetailView.as_view(), name="liaison-detail"),
    path("workshops/liaisons/<int:pk>/edit/", views.LiaisonUpdateView.as_view(), name="liaison-update"),
    path("workshops/difficulties/", views.DifficultyListView.as_view(), name="difficulty-list"),
    path("workshops/difficulties/new/", views.DifficultyCreateView.as_view(), name="difficulty-create"),
    path("workshops/difficulties/<int:pk>/", views.DifficultyDetailView.as_view(), name="difficulty-detail"),
    path("workshops/difficulties/<int:pk>/edit/", views.DifficultyUpdateView.as_view(), name="difficulty-update"),
]
