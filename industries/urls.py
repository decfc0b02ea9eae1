from .views import RESOURCES

urlpatterns = [route for resource in RESOURCES for route in resource.urls()]
