from core.admin import register_park_models
from points import models

register_park_models(
    [
        (models.PointEntry, ["member", "month", "category", "points", "reason"]),
        (models.PointBalance, ["member", "balance", "park"]),
        (models.StoreItem, ["name", "cost", "stock", "park"]),
        (models.Redemption, ["member", "item", "points", "created_at"]),
        (models.MemberStar, ["member", "year", "quarter", "category"]),
        (models.ActivistCard, ["member", "year", "quarter", "total", "published"]),
    ]
)
