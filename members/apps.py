from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Filled by the members issue (#3); registered now so the layout and migrations are stable."""

    name = "members"
    verbose_name = "党员"
