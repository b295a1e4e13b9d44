"""python manage.py generate_county [--parks 20] [--enterprises-per-park 60] [--members-per-park 400]
[--years 3] [--seed 1] [--database hongfan_county] [--until YYYY-MM-DD]

Builds a synthetic county with its whole history (demo.county) in a database of its own on the
configured server — dropped, re-created and migrated first; never the development database — and
prints one line per kind of record and the time it took. The same seed and --until give the same data.
"""

import time
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from core.databases import check_database_name, database, fresh_database
from demo.county import Options, generate_county
from demo.county.summary import summary_lines


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


@contextmanager
def quiet_cursor():
    """With DEBUG on (development settings) every query is kept and logged by the debug cursor: a
    few percent of a run of half a million queries, for nothing here."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


class Command(BaseCommand):
    help = "Build a synthetic county (parks, enterprises, members and their history) in a database of its own."

    def add_arguments(self, parser):
        parser.add_argument("--parks", type=positive, default=20)
        parser.add_argument("--enterprises-per-park", type=positive, default=60)
        parser.add_argument("--members-per-park", type=positive, default=400)
        parser.add_argument("--years", type=positive, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--database", default="hongfan_county", help="the database to (re)create on the configured server")
        parser.add_argument("--until", type=date.fromisoformat, default=None, help="the history's last day (default: today)")

    def handle(self, *args, parks, enterprises_per_park, members_per_park, years, seed, until, **options):
        name = self._database(options["database"])
        if members_per_park < 10:
            raise CommandError("--members-per-park 至少为 10。")
        county = Options(parks=parks, enterprises=enterprises_per_park, members=members_per_park, years=years, seed=seed,
                         until=until or timezone.localdate())
        started = time.perf_counter()
        fresh_database(name)
        with database(name), quiet_cursor():
            generate_county(county, log=self.stdout.write)
            for line in summary_lines(county.until):
                self.stdout.write(line)
        self.stdout.write(f"generate_county: database {name}, {county.start} – {county.until}, {time.perf_counter() - started:.1f} s")

    def _database(self, name: str) -> str:
        try:
            check_database_name(name)
        except ValueError:
            raise CommandError(f"“{name}”不能用作数据库名：只能用小写字母、数字和下划线。") from None
        in_use = {connections[alias].settings_dict["NAME"] for alias in connections}
        if name in in_use:
            raise CommandError(f"“{name}”是当前配置使用的数据库，generate_county 不会改动它：请另选一个名字。")
        return name

