from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/figures/", views.figures, name="dashboard-figures"),
    path("dashboard/brief/", views.brief, name="dashboard-brief"),
    path("dashboard/export.xlsx", views.export, name="dashboard-export"),
]
