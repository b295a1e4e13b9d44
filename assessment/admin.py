from django.contrib import admin

from assessment import models


class ParkListAdmin(admin.ModelAdmin):
    list_filter = ["park"]


for model, fields in [
    (models.AssessmentSettings, ["park", "star5_from", "veto_cap", "max_change"]),
    (models.Rubric, ["version", "published_on", "park"]),
    (models.RubricItem, ["title", "dimension", "max_points", "is_veto", "measure", "rubric"]),
    (models.RoundAssessment, ["round", "rubric", "status", "park"]),
    (models.ItemScore, ["assessment", "branch", "item", "self_points", "points", "vetoed"]),
    (models.StarLevel, ["branch", "level", "previous_level", "score", "created_at"]),
    (models.PayoutBatch, ["year", "quarter", "status", "total", "park"]),
    (models.PayoutLine, ["batch", "branch", "member", "level", "months", "amount"]),
    (models.PayoutEvent, ["batch", "from_status", "to_status", "actor", "at"]),
    (models.PointEntry, ["member", "month", "category", "points", "reason"]),
    (models.PointBalance, ["member", "balance", "park"]),
    (models.StoreItem, ["name", "cost", "stock", "park"]),
    (models.Redemption, ["member", "item", "points", "created_at"]),
    (models.MemberStar, ["member", "year", "quarter", "category"]),
    (models.ActivistCard, ["member", "year", "quarter", "total", "published"]),
]:
    admin.site.register(
        model,
        type(f"{model.__name__}Admin", (ParkListAdmin,), {
            "list_display": fields,
            "raw_id_fields": [f.name for f in model._meta.fields if f.is_relation and f.name != "park" and not f.one_to_one],
        }),
    )
