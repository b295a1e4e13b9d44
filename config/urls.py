from django.contrib import admin
from django.urls import include, path

from accounts.views import home
from config import views as config_views
from config.views import healthz
from dashboards import views as dashboards
from dashboards.survey_views import SurveyExportView, SurveyView
from dues.views import CountyDuesView

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("county/<slug:county>/", dashboards.CountyDashboardView.as_view(), name="county_dashboard"),
    path("county/<slug:county>/trends/", dashboards.TrendView.as_view(), name="county_trends"),
    path("county/<slug:county>/screen/", dashboards.ScreenView.as_view(), name="county_screen"),
    path("county/<slug:county>/screen/data/", dashboards.ScreenDataView.as_view(), name="county_screen_data"),
    path("county/<slug:county>/dues/", CountyDuesView.as_view(), name="county_dues"),
    path("county/<slug:county>/survey/", SurveyView.as_view(), name="county_survey"),
    path("county/<slug:county>/survey/xlsx/", SurveyExportView.as_view(), name="county_survey_xlsx"),
    path("p/<slug:park>/", include("dashboards.urls")),
    path("p/<slug:park>/", include("accounts.park_urls")),
    path("p/<slug:park>/", include("orgs.urls")),
    path("p/<slug:park>/", include("imports.urls")),
    path("p/<slug:park>/", include("members.urls")),
    path("p/<slug:park>/", include("activities.urls")),
    path("p/<slug:park>/", include("cycle.urls")),
    path("p/<slug:park>/", include("points.urls")),
    path("p/<slug:park>/", include("assessment.urls")),
    path("p/<slug:park>/", include("services.urls")),
    path("p/<slug:park>/", include("dues.urls")),
    path("p/<slug:park>/", include("audit.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = config_views.handler400
handler403 = config_views.handler403
handler404 = config_views.handler404
handler500 = config_views.handler500
