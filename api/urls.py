"""/api/v1/: the second front door. Park endpoints live under /api/v1/p/<park>/ so the park scope
middleware puts up the same wall as for /p/<park>/ pages; the county's under /api/v1/county/<county>/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

park = SimpleRouter()
park.register("organisations", views.OrganisationViewSet, basename="organisation")
park.register("members", views.MemberViewSet, basename="member")
park.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
park.register("activities", views.ActivityViewSet, basename="activity")
park.register("tasks", views.TaskViewSet, basename="task")
park.register("reports", views.ReportViewSet, basename="report")
park.register("notifications", views.NotificationViewSet, basename="notification")
park.register("demands", views.DemandViewSet, basename="demand")
park.register("notices", views.NoticeViewSet, basename="notice")
park.register("visits", views.VisitViewSet, basename="visit")
park.register("stars", views.StarLevelViewSet, basename="star")
park.register("allowances", views.AllowanceViewSet, basename="allowance")
park.register("batches", views.BatchViewSet, basename="batch")
park.register("rounds", views.RoundViewSet, basename="round")

own = SimpleRouter()
own.register("tokens", views.TokenViewSet, basename="token")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/auth/token/", views.TokenObtainView.as_view(), name="token_obtain"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/", include(own.urls)),
    path("v1/p/<slug:park>/", include(park.urls)),
    path("v1/p/<slug:park>/todo/", views.TodoView.as_view({"get": "summary"}), name="todo"),
    path("v1/county/<slug:county>/figures/", views.CountyFiguresView.as_view(), name="county_figures"),
]
