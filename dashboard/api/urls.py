from django.urls import path

from .views import MyTodoView

urlpatterns = [
    path("me/todo/", MyTodoView.as_view(), name="me-todo"),
]
