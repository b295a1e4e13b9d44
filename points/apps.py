from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = "党员积分"

    def ready(self):
        # Shows the activist's 积分卡 beside 确定发展对象 on the 发展党员 page (members.asides).
        from points import asides  # noqa: F401
        from points.labels import register_labels  # noqa: PLC0415  (models are ready only now)

        register_labels()
