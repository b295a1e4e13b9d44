from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "考核、星级与红星津贴"

    def ready(self):
        # Registers the assessment's scheduled steps with the cycle's job runner.
        from assessment import jobs  # noqa: F401
