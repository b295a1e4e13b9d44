from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="update"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="delete"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("park-activities/", views.ParkActivityListView.as_view(), name="park_activities"),
    path("park-activities/new/", views.ParkActivityCreateView.as_view(), name="park_activity_create"),
    path("park-activities/<int:pk>/", views.ParkActivityDetailView.as_view(), name="park_activity"),
    path("park-activities/<int:pk>/signups/new/", views.SignUpCreateView.as_view(), name="signup_create"),
    path("signups/<int:pk>/attendance/", views.AttendanceMarkView.as_view(), name="attendance_mark"),
]
