from assessment import models
from core.admin import register_park_models

register_park_models(
    [
        (models.AssessmentSettings, ["park", "star5_from", "veto_cap", "max_change"]),
        (models.Rubric, ["version", "published_on", "park"]),
        (models.RubricItem, ["title", "dimension", "max_points", "is_veto", "measure", "rubric"]),
        (models.RoundAssessment, ["round", "rubric", "status", "park"]),
        (models.ItemScore, ["assessment", "branch", "item", "self_points", "points", "vetoed"]),
        (models.StarLevel, ["branch", "level", "previous_level", "score", "created_at"]),
        (models.PayoutBatch, ["year", "quarter", "status", "total", "park"]),
        (models.PayoutLine, ["batch", "branch_name", "member_name", "level", "months", "amount"]),
        (models.PayoutEvent, ["batch", "from_status", "to_status", "actor", "at", "note"]),
        (models.UninspectedBranch, ["assessment", "branch", "reason", "marked_by", "marked_at"]),
    ]
)
