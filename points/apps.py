from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = "党员积分"
