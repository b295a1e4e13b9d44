from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("assessment/", views.OverviewView.as_view(), name="overview"),
    path("assessment/rubric/", views.RubricView.as_view(), name="rubric"),
    path("assessment/settings/", views.SettingsView.as_view(), name="settings"),
    path("assessment/rounds/<int:pk>/", views.RoundView.as_view(), name="round"),
    path("assessment/rounds/<int:pk>/start/", views.RoundStartView.as_view(), name="round_start"),
    path("assessment/rounds/<int:pk>/preview/", views.RoundPreviewView.as_view(), name="round_preview"),
    path("assessment/rounds/<int:pk>/finalise/", views.RoundFinaliseView.as_view(), name="round_finalise"),
    path("assessment/rounds/<int:pk>/reopen/", views.RoundReopenView.as_view(), name="round_reopen"),
    path("assessment/rounds/<int:pk>/uninspected/", views.UninspectedMarkRestView.as_view(), name="uninspected_rest"),
    path("assessment/rounds/<int:round_pk>/branches/<int:branch_pk>/uninspected/", views.UninspectedMarkView.as_view(), name="uninspected"),
    path("assessment/rounds/<int:round_pk>/branches/<int:branch_pk>/", views.ScoreView.as_view(), name="score"),
    path("assessment/payouts/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("assessment/payouts/<int:pk>/transition/", views.BatchTransitionView.as_view(), name="batch_transition"),
    path("assessment/payouts/<int:pk>/recompute/", views.BatchRecomputeView.as_view(), name="batch_recompute"),
    path("assessment/payouts/<int:pk>/sheet.xlsx", views.PaySheetView.as_view(), name="pay_sheet"),
]
