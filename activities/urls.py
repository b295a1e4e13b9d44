from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="detail"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("tasks/", views.TaskBoardView.as_view(), name="tasks"),
    path("meetings/<int:pk>/tasks/new/", views.TaskAddView.as_view(), name="task_add"),
    path("tasks/<int:pk>/publish/", views.TaskPublishView.as_view(), name="task_publish"),
    path("tasks/done/<int:pk>/", views.TaskCompleteView.as_view(), name="task_complete"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/new/", views.ReportFileView.as_view(), name="report_file"),
    path("cycle/", views.CycleView.as_view(), name="cycle"),
    path("halfyear/<int:pk>/", views.HalfYearView.as_view(), name="halfyear"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("park-activities/", views.ParkActivityListView.as_view(), name="park_activities"),
    path("park-activities/<int:pk>/", views.ParkActivityDetailView.as_view(), name="park_activity"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
]
