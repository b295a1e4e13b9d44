from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Filled by the assessment issue (#5); registered now so the layout and migrations are stable."""

    name = "assessment"
    verbose_name = "考核与红星津贴"
