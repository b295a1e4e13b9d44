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
    path("notices/", views.NoticeListView.as_view(), name="notices"),
    path("notices/new/", views.NoticeCreateView.as_view(), name="notice_create"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice"),
    path("notices/<int:pk>/read/", views.NoticeReadView.as_view(), name="notice_read"),
    path("notices/<int:pk>/reply/", views.NoticeReplyView.as_view(), name="notice_reply"),
    path("notices/<int:pk>/remind/", views.NoticeRemindView.as_view(), name="notice_remind"),
    path("notices/<int:pk>/replies.xlsx", views.NoticeRepliesExportView.as_view(), name="notice_replies"),
    path("notice-files/<int:pk>/", views.NoticeFileView.as_view(), name="notice_file"),
    path("policies/", views.PolicyListView.as_view(), name="policies"),
    path("policies/new/", views.PolicyCreateView.as_view(), name="policy_create"),
    path("policies/<int:pk>/", views.PolicyDetailView.as_view(), name="policy"),
    path("policies/<int:pk>/edit/", views.PolicyUpdateView.as_view(), name="policy_update"),
    path("policy-files/<int:pk>/", views.PolicyFileView.as_view(), name="policy_file"),
    path("visits/", views.VisitListView.as_view(), name="visits"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("policy-bundles/", views.BundleListView.as_view(), name="bundles"),
    path("policy-bundles/new/", views.BundleCreateView.as_view(), name="bundle_create"),
    path("policy-bundles/<int:pk>/", views.BundleDetailView.as_view(), name="bundle"),
    path("policy-bundles/<int:pk>/send/", views.BundleSendView.as_view(), name="bundle_send"),
]
