from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.ParkHomeView.as_view(), name="park_home"),
    path("start/", views.StartView.as_view(), name="start"),
]
