from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("demands/", views.DemandListView.as_view(), name="demands"),
    path("demands/new/", views.DemandCreateView.as_view(), name="demand_create"),
    path("demands/export.xlsx", views.DemandExportView.as_view(), name="demand_export"),
    path("demands/<int:pk>/", views.DemandDetailView.as_view(), name="demand"),
    path("demands/<int:pk>/<slug:action>/", views.DemandActionView.as_view(), name="demand_act"),
    path("demand-files/<int:pk>/", views.DemandAttachmentView.as_view(), name="demand_attachment"),
    path("departments/", views.DepartmentListView.as_view(), name="departments"),
    path("departments/new/", views.DepartmentCreateView.as_view(), name="department_create"),
    path("departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department_update"),
]
