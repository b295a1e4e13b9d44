from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "组织与企业"

    def ready(self):
        from orgs.same_park import install_after_migrate

        # Every migrate (a test database's creation included) brings the same-park triggers in
        # line with the models: orgs/same_park.py. Sent for this app only, so once per migrate.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="hongfan_same_park")
