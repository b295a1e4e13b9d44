from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """Services to enterprises: 红色代办 demands (notices, policies and visits to follow)."""

    name = "services"
    verbose_name = "服务企业"

    def ready(self):
        # Registers 督办 with the cycle's daily job runner.
        from services import jobs  # noqa: F401
