"""Backup and restore: the database (pg_dump's custom format) and the uploaded files, in one .tar.

`make backup` / `manage.py backup` writes var/backups/hongfan-<time>.tar holding `database.dump` and
`media/` (everything under MEDIA_ROOT); `make restore FILE=…` / `manage.py restore` puts both back.
The client programs match the server: the embedded server's own (pgserver ships them in its wheel),
or for DATABASE_URL the system's (HONGFAN_PG_BIN names another folder, e.g. /usr/lib/postgresql/15/bin).
"""

import importlib.util
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings

from config.env import VAR_DIR, env

DUMP = "database.dump"
MEDIA = "media"


class BackupError(Exception):
    pass


def pg_program(name: str) -> str:
    """The embedded server's own client programs (pgserver's wheel); for DATABASE_URL the system's,
    else pgserver's (a newer pg_dump reads an older server: the compose image has only those)."""
    # Found, not imported: importing pgserver starts its lock machinery (and platformdirs' warnings).
    wheel = str(Path(importlib.util.find_spec("pgserver").submodule_search_locations[0]) / "pginstall" / "bin")
    if folder := env("HONGFAN_PG_BIN", default=""):
        found = shutil.which(name, path=folder)
    elif env("DATABASE_URL", default=""):
        found = shutil.which(name) or shutil.which(name, path=wheel)
    else:
        found = shutil.which(name, path=wheel)
    if found is None:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端，或以 HONGFAN_PG_BIN 指明其目录。")
    return found


def _libpq_env(database: dict) -> dict:
    """The connection as libpq's variables: no password on a command line (ps shows those)."""
    values = {"PGHOST": database.get("HOST"), "PGPORT": database.get("PORT"), "PGUSER": database.get("USER"),
              "PGPASSWORD": database.get("PASSWORD"), "PGDATABASE": database["NAME"]}
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(command: list[str], database: dict) -> None:
    result = subprocess.run(command, env=_libpq_env(database), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败：{result.stderr.strip()}")


def default_path() -> Path:
    return VAR_DIR / "backups" / f"hongfan-{datetime.now():%Y%m%d-%H%M%S}.tar"


def backup(*, database: dict, output: Path, media_root: Path | None = None) -> Path:
    """One consistent snapshot of the database (pg_dump runs in one transaction) and the uploads."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / DUMP
        _run([pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={dump}"], database)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DUMP)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA)
        partial.replace(output)  # a backup cut short never looks like a whole one
    return output


def restore(*, database: dict, archive_path: Path, media_root: Path | None = None) -> None:
    """Replaces the database's schema and data with the archive's, then adds its uploads.

    The public schema is dropped first, so tables a later migration added do not survive beside the
    restored ones; web, worker and beat must be stopped (their connections would hold locks)."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    try:
        archive = tarfile.open(archive_path)
    except tarfile.TarError:
        raise BackupError(f"{archive_path} 不是红帆的备份文件（无法按 tar 读取）。") from None
    with tempfile.TemporaryDirectory() as folder, archive:
        if DUMP not in archive.getnames():
            raise BackupError(f"{archive_path} 不是红帆的备份文件（其中没有 {DUMP}）。")
        archive.extract(DUMP, folder, filter="data")
        dump = Path(folder) / DUMP
        _run([pg_program("pg_restore"), "--list", str(dump)], database)  # a readable dump, before anything is dropped
        _run([pg_program("psql"), "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "-c",
              "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], database)
        _run([pg_program("pg_restore"), "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
              f"--dbname={database['NAME']}", str(dump)], database)
        media = [member for member in archive.getmembers() if member.name == MEDIA or member.name.startswith(MEDIA + "/")]
        if media:
            media_root.mkdir(parents=True, exist_ok=True)
            staging = Path(folder) / "files"
            archive.extractall(staging, members=media, filter="data")  # no absolute paths, no ../
            shutil.copytree(staging / MEDIA, media_root, dirs_exist_ok=True)
