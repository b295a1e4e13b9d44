from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "党员"

    def ready(self):
        from members.labels import register_labels  # noqa: PLC0415  (models are ready only now)

        register_labels()
