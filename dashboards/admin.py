"""The 六个清 survey in the operators' admin: a county's survey days are kept here (county viewers
only read, in the app); snapshots can be looked at, never added, changed or deleted."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ReadOnlyAdmin
from dashboards.models import SurveySettings, SurveySnapshot, format_survey_days


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ["county", "days", "days_read"]

    @admin.display(description="普查日")
    def days_read(self, obj):
        try:
            return format_survey_days(obj.survey_days)
        except ValidationError:
            return "（无法识别，按默认 1月1日、7月1日）"


@admin.register(SurveySnapshot)
class SurveySnapshotAdmin(ReadOnlyAdmin):
    list_display = ["taken_on", "park", "created_at"]
    list_filter = ["taken_on", "park__county"]
    readonly_fields = ["park", "taken_on", "data", "created_at"]


