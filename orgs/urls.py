from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.OrganisationTreeView.as_view(), name="organisation_tree"),
    path("orgs/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("orgs/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("orgs/<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_update"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/pick/", views.EnterprisePickView.as_view(), name="enterprise_pick"),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_update"),
    path("instructors/", views.InstructorListView.as_view(), name="instructor_list"),
    path("instructors/new/", views.InstructorCreateView.as_view(), name="instructor_create"),
    path("instructors/<int:pk>/", views.InstructorDetailView.as_view(), name="instructor_detail"),
    path("instructors/<int:pk>/edit/", views.InstructorUpdateView.as_view(), name="instructor_update"),
    path("instructors/<int:pk>/assign/", views.InstructorAssignView.as_view(), name="instructor_assign"),
    path("assignments/<int:pk>/end/", views.AssignmentEndView.as_view(), name="assignment_end"),
]
