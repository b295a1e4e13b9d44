from django.urls import path

from accounts import views

app_name = "users"

urlpatterns = [
    path("users/", views.ParkUsersView.as_view(), name="list"),
    path("users/<int:pk>/unlock/", views.ParkUserActionView.as_view(action="unlock"), name="unlock"),
    path("users/<int:pk>/deactivate/", views.ParkUserActionView.as_view(action="deactivate"), name="deactivate"),
    path("users/<int:pk>/activate/", views.ParkUserActionView.as_view(action="activate"), name="activate"),
]
