from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    """Filled by the activities and cycle issue (#4); registered now so the layout and migrations are stable."""

    name = "activities"
    verbose_name = "组织生活与四个一"
