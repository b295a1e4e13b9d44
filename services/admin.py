from core.admin import register_park_models
from services import models

register_park_models(
    [
        (models.ServiceSettings, ["park", "due_soon_days", "red_after_days", "default_due_days"]),
        (models.Department, ["name", "contact_name", "phone", "user", "is_active", "park"]),
        (models.Demand, ["enterprise", "category", "state", "department", "due_on", "raised_at", "park"]),
        (models.DemandEvent, ["demand", "action", "from_state", "to_state", "actor", "at"]),
        (models.DemandAttachment, ["demand", "name", "content_type", "size"]),
    ]
)
