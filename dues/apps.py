from django.apps import AppConfig


class DuesConfig(AppConfig):
    """党费: each member's dues basis, the branch's monthly sheet (应缴), payments (实缴) and arrears."""

    name = "dues"
    verbose_name = "党费"

    def ready(self):
        # Registers the monthly sheet with the cycle's daily job runner.
        from dues import jobs  # noqa: F401
