"""python manage.py import_roster --park CODE --kind enterprises|branches|members|policies|development|dues_bases FILE [--dry-run]

Exit status: 0 clean (and written unless --dry-run), 1 the file has errors (nothing written),
2 an unusable file or arguments, or the database connection broke (nothing written).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError
from django_scopes import scopes_disabled

from core.tenancy.scoping import park_scope
from imports.columns import COLUMNS
from imports.reader import UnusableFile
from imports.services import import_direct
from orgs.models import Park


class Command(BaseCommand):
    help = "Import a roster (.xlsx or .csv) into one park: enterprises, branches or members."

    def add_arguments(self, parser):
        parser.add_argument("--park", required=True, help="the park's code, e.g. yutai")
        parser.add_argument("--kind", required=True, choices=sorted(COLUMNS))
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("file")

    def handle(self, *args, park, kind, file, dry_run, **options):
        with scopes_disabled():
            target = Park.objects.filter(code=park).first()
        if target is None:
            self._fail(f"没有代码为“{park}”的园区。")
        path = Path(file)
        if not path.is_file():
            self._fail(f"找不到文件：{file}")
        try:
            with park_scope(target):
                plan = import_direct(park=target, actor=None, kind=kind, data=path.read_bytes(), filename=path.name, dry_run=dry_run)
        except UnusableFile as exc:
            self._fail(str(exc))
        except (OperationalError, InterfaceError):  # the connection broke: the one transaction went with it
            self._fail("导入过程中与数据库的连接中断，本次没有写入任何数据，请重新运行。")
        self.stdout.write(plan.summary)
        for error in plan.errors:
            self.stdout.write(error.line())
        if plan.errors:
            sys.exit(1)

    def _fail(self, message):
        self.stderr.write(message)
        sys.exit(2)
