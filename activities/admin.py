from django.contrib import admin

from activities import models
from core.admin import ParkListAdmin, register_park_models


@admin.register(models.Activity)
class ActivityAdmin(ParkListAdmin):
    list_display = ["held_on", "kind", "topic", "branch", "park"]
    list_filter = ["park", "kind"]
    raw_id_fields = ["branch", "host"]


register_park_models(
    [
        (models.CycleSettings, ["park", "reminder_hour", "reminder_days_before", "report_due_day"]),
        (models.Attendance, ["activity", "member", "present", "absence_reason"]),
        (models.Attachment, ["name", "content_type", "size", "activity", "task"]),
        (models.ParkActivity, ["held_on", "kind", "title", "points", "park"]),
        (models.SignUp, ["activity", "member", "attended", "volunteer_hours"]),
        (models.EducationPoint, ["member", "points", "earned_on", "park"]),
    ]
)
