from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.ImportHomeView.as_view(), name="home"),
    path("imports/<int:pk>/", views.ImportJobView.as_view(), name="job"),
    path("imports/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
    path("exports/<slug:kind>.<slug:fmt>", views.ExportView.as_view(), name="export"),
    path("templates/<slug:kind>.xlsx", views.TemplateView.as_view(), name="template"),
]
