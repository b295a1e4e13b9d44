"""python manage.py backup [--output FILE]

Writes the database (pg_dump, custom format) and every uploaded file into one .tar, by default
var/backups/hongfan-<time>.tar, and prints its path. `manage.py restore FILE` puts it back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from config.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar (restore with manage.py restore)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the .tar to write (default: var/backups/hongfan-<time>.tar)")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **options):
        try:
            path = backup(database=connections[database].settings_dict, output=Path(output) if output else default_path())
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已备份：{path}")
