"""`manage.py backup` then `manage.py restore` brings back every row of every table, and the uploads."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


def every_row() -> dict[str, list[str]]:
    """Each table's rows (COPY's text form, sorted: a restore need not keep the physical order) and
    each sequence's value."""
    quote = connection.ops.quote_name
    contents = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
            contents[table] = sorted(buffer.getvalue().splitlines())
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
        contents["sequences"] = sorted(map(str, cursor.fetchall()))
    return contents


@pytest.mark.django_db(transaction=True)
def test_the_demo_goes_round_a_backup_with_every_row_equal(demo, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    receipt = Path(settings.MEDIA_ROOT) / "dues" / "回执.pdf"
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(b"%PDF-1.4 receipt")
    before = every_row()
    assert sum(map(len, before.values())) > 1000  # the demo is there

    out = io.StringIO()
    archive = tmp_path / "hongfan.tar"
    call_command("backup", output=str(archive), stdout=out)
    assert f"已备份：{archive}" in out.getvalue()

    # Lose things after the backup: a table emptied, a row added, an upload gone.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE members_member CASCADE")
        cursor.execute("CREATE TABLE left_over (id int)")  # as a later migration's table would be
    receipt.unlink()

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())
    after = every_row()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert receipt.read_bytes() == b"%PDF-1.4 receipt"


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    stray = tmp_path / "stray.tar"
    stray.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("restore", str(stray), interactive=False)
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "none.tar"), interactive=False)
