from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "概览"

    def ready(self):
        # A committed write to a park's records drops that park's cached figures.
        from dashboards import cache

        cache.connect()
