from django.urls import path

from . import views

urlpatterns = [
    path("workshops/<int:pk>/certify/", views.CertifyView.as_view(), name="workshop-certify"),
    path("workshops/<int:pk>/revoke/", views.RevokeView.as_view(), name="workshop-revoke"),
    path("workshops/<int:pk>/difficulties/raise/", views.RaiseDifficultyView.as_view(),
         name="workshop-raise-difficulty"),
    path("workshops/difficulties/<int:pk>/resolve/", views.ResolveDifficultyView.as_view(),
         name="difficulty-resolve"),
    *[route for resource in views.RESOURCES for route in resource.urls()],
]
