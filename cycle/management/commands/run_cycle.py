"""python manage.py run_cycle --date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD [--park CODE]

Runs every 四个一 job due on those dates, synchronously, for every active park (or one), and
prints one line per job: `JOB_NAME: created N`. Jobs are idempotent, so a second run prints
`created 0` throughout: the way to catch up after downtime.
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from core.tenancy.scoping import park_scope
from cycle.jobs import job_names, run_jobs
from orgs.models import Park


class Command(BaseCommand):
    help = "Run the 四个一 jobs due on a date or every date of a range (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat)
        parser.add_argument("--from", dest="start", type=date.fromisoformat)
        parser.add_argument("--to", dest="end", type=date.fromisoformat)
        parser.add_argument("--park", help="only this park's code")

    def handle(self, *args, date=None, start=None, end=None, park=None, **options):
        if date and (start or end):
            raise CommandError("--date 与 --from/--to 只能二选一。")
        if date:
            start = end = date
        if not (start and end) or end < start:
            raise CommandError("请给出 --date，或 --from 和 --to（--to 不早于 --from）。")
        with scopes_disabled():
            parks = Park.objects.filter(is_active=True).order_by("pk")
            if park:
                parks = parks.filter(code=park)
            parks = list(parks)
        if park and not parks:
            raise CommandError(f"没有代码为“{park}”的园区。")
        totals = {name: 0 for name in job_names()}
        day = start
        while day <= end:
            for target in parks:
                with park_scope(target):
                    for name, created in run_jobs(target, day).items():
                        totals[name] += created
            day += timedelta(days=1)
        for name, created in totals.items():
            self.stdout.write(f"{name}: created {created}")
