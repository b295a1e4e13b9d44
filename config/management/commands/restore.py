"""python manage.py restore FILE [--noinput]

Replaces the database with the one in a backup made by `manage.py backup` and puts its uploaded
files back under MEDIA_ROOT. Stop web, worker and beat first. It asks before it drops anything.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from config.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup .tar (replaces the database)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .tar written by manage.py backup")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, interactive=True, database="default", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        connection = connections[database]
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"将用 {path.name} 替换数据库“{name}”的全部数据（先停止网站、worker 和 beat）。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未作任何改动。")
        connection.close()  # our own session must not hold the schema while it is dropped
        try:
            restore(database=connection.settings_dict, archive_path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复：{path} → 数据库“{name}”")
