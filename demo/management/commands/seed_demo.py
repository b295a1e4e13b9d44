from django.core.management.base import BaseCommand

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the demo county, parks, organisations, enterprises and one log-in per role (idempotent)."

    def handle(self, *args, **options):
        logins = seed_demo(log=self.stdout.write)
        self.stdout.write("演示账号（密码均为 %s）：" % logins[0][2])
        for username, label, _ in logins:
            self.stdout.write(f"  {username:<18} {label}")
