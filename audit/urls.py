from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("history/<str:label>/<int:pk>/", views.ObjectHistoryView.as_view(), name="history"),
]
