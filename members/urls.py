from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="list"),
    path("members/pick/", views.MemberPickView.as_view(), name="pick"),
    path("members/new/", views.MemberCreateView.as_view(), name="create"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("members/<int:pk>/edit/", views.MemberUpdateView.as_view(), name="update"),
    path("coverage/", views.CoverageGapView.as_view(), name="coverage_gaps"),
    path("org-check/", views.OrganisationCheckView.as_view(), name="org_check"),
    path("members/<int:pk>/transfer/", views.MemberTransferView.as_view(), name="transfer"),
    path("members/<int:pk>/status/", views.MemberStatusView.as_view(), name="status"),
    path("members/<int:pk>/probation/", views.ProbationExtendView.as_view(), name="probation_extend"),
    path("members/<int:pk>/development/", views.DevelopmentView.as_view(), name="development"),
    path("development/", views.DevelopmentDueView.as_view(), name="development_due"),
    path("development/settings/", views.DevelopmentSettingsView.as_view(), name="development_settings"),
    path("members/<int:pk>/development/<slug:kind>.docx", views.DevelopmentDocumentView.as_view(), name="development_document"),
    path("development/templates/", views.DocumentTemplatesView.as_view(), name="document_templates"),
    path("development/templates/<slug:kind>.docx", views.DefaultTemplateView.as_view(), name="default_template"),
    path("development/templates/files/<int:pk>/", views.DocumentTemplateFileView.as_view(), name="document_template_file"),
]
