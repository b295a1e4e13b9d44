from django.urls import path

from cycle import views

app_name = "cycle"

urlpatterns = [
    path("tasks/", views.TaskBoardView.as_view(), name="tasks"),
    path("meetings/<int:pk>/tasks/new/", views.TaskAddView.as_view(), name="task_add"),
    path("tasks/<int:pk>/publish/", views.TaskPublishView.as_view(), name="task_publish"),
    path("tasks/done/<int:pk>/", views.TaskCompleteView.as_view(), name="task_complete"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/new/", views.ReportFileView.as_view(), name="report_file"),
    path("cycle/", views.CycleView.as_view(), name="cycle"),
    path("halfyear/<int:pk>/", views.HalfYearView.as_view(), name="halfyear"),
    path("halfyear/<int:pk>/nominations/new/", views.NominationCreateView.as_view(), name="nomination_create"),
    path("nominations/<int:pk>/decide/", views.NominationDecideView.as_view(), name="nomination_decide"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("reviews/<int:pk>/milestones/new/", views.MilestoneAddView.as_view(), name="milestone_add"),
    path("reviews/<int:pk>/reports/new/", views.SecretaryReportSubmitView.as_view(), name="secretary_report"),
    path("review-reports/<int:pk>/rate/", views.RatingGiveView.as_view(), name="rate"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="notifications_read"),
]
