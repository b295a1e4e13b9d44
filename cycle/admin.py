from django.contrib import admin

from core.admin import ParkListAdmin, register_park_models
from cycle import models


@admin.register(models.Notification)
class NotificationAdmin(ParkListAdmin):
    list_display = ["created_at", "user", "message", "read_at", "park"]
    raw_id_fields = ["user"]


register_park_models(
    [
        (models.MonthlyMeeting, ["month", "park", "held_on"]),
        (models.TaskTemplate, ["title", "park"]),
        (models.WorkTask, ["title", "deadline", "published_at", "meeting"]),
        (models.TaskAssignment, ["task", "branch", "status", "completed_at"]),
        (models.MonthlyReport, ["month", "branch", "submitted_at", "park"]),
        (models.InspectionRound, ["year", "quarter", "opens_on", "inspection_due", "park"]),
        (models.HalfYearSummary, ["year", "nominations_due", "park"]),
        (models.Nomination, ["kind", "branch", "member", "status", "proposed_on", "summary"]),
        (models.AnnualReview, ["year", "action_title", "reports_due", "park"]),
        (models.Milestone, ["title", "due_on", "done_on", "review"]),
        (models.SecretaryReport, ["branch", "review", "submitted_at"]),
        (models.Rating, ["report", "evaluator", "grade"]),
        (models.DeadlinePolicy, ["kind", "policy", "park"]),
    ]
)
