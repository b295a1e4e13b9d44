"""The database connection dropped while a roster import is writing: nothing of the file remains,
the import job says 导入失败 in Chinese, and confirming it again imports the file.

Through the pages, as a park admin does it: upload → preview → 确认导入. The confirmation's COPY
of the members is stopped at its 8th row (of 20) by a row hook; another connection then ends its
server process with pg_terminate_backend, as a restart or a network cut would.
"""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from audit.models import AuditEntry
from imports.models import ImportJob
from members.models import Member
from tests.faults.support import row_hook
from tests.imports.test_views import male_id, roster, row, upload

ROWS = 20


def cut_at_the_hook(hook, killed: list) -> threading.Thread:
    """Another connection ends the writer's server process once it waits at the hooked row."""

    def cut():
        backend = hook.blocked_backend()
        hook.terminate(backend)
        killed.append(backend)
        hook.release()

    thread = threading.Thread(target=cut)
    thread.start()
    return thread


def names(world) -> list[str]:
    with scopes_disabled():
        return sorted(Member.objects.filter(park=world.park).values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_during_an_import_leaves_nothing_and_a_retry_imports_it(client, world):
    client.force_login(world.admin)
    data = roster(world, *(row(world, f"党员{n:02d}", male_id()) for n in range(ROWS)))
    assert upload(client, world, data).status_code == 302
    with scopes_disabled():
        job = ImportJob.objects.get(park=world.park)
    assert job.status == ImportJob.Status.PREVIEWED and job.summary["created"] == ROWS
    confirm = reverse("imports:confirm", args=[world.park.code, job.pk])
    page = reverse("imports:job", args=[world.park.code, job.pk])

    with row_hook("members_member", 8) as hook:
        killed = []
        killer = cut_at_the_hook(hook, killed)  # once 7 members are written, in the import's transaction
        response = client.post(confirm)
        killer.join(timeout=30)
        assert killed, "the import was not cut mid-write"
        assert hook.backend_gone(killed[0])

    assert response.status_code == 302 and response.url == page  # the page, not a 500
    assert names(world) == []  # not one of the 7 rows written before the cut
    with scopes_disabled():
        job.refresh_from_db()
        assert not AuditEntry.objects.filter(park=world.park, action="import.members").exists()
    assert job.status == ImportJob.Status.FAILED
    assert job.summary["failure"] == "导入过程中与数据库的连接中断，本次没有写入任何数据。请稍后再点“确认导入”重试。"
    shown = client.get(page).content.decode()
    assert "导入失败" in shown and job.summary["failure"] in shown and "确认导入" in shown
    assert job.data is not None  # the upload is kept for the retry

    response = client.post(confirm)  # the retry
    assert response.status_code == 302
    assert names(world) == [f"党员{n:02d}" for n in range(ROWS)]
    with scopes_disabled():
        job.refresh_from_db()
        assert AuditEntry.objects.filter(park=world.park, action="import.members").count() == 1
    assert job.status == ImportJob.Status.APPLIED and job.data is None
    assert "导入完成：新增 20 条" in client.get(page).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_command_line_import_cut_off_writes_nothing_and_says_so(world, tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_bytes(roster(world, *(row(world, f"党员{n:02d}", male_id()) for n in range(ROWS))))
    args = ["import_roster", "--park", world.park.code, "--kind", "members", str(path)]
    err = StringIO()
    with row_hook("members_member", 8) as hook:
        killed = []
        killer = cut_at_the_hook(hook, killed)
        with pytest.raises(SystemExit) as exit_status:
            call_command(*args, stdout=StringIO(), stderr=err)
        killer.join(timeout=30)
        assert killed and hook.backend_gone(killed[0])
    assert exit_status.value.code == 2
    assert err.getvalue().strip() == "导入过程中与数据库的连接中断，本次没有写入任何数据，请重新运行。"
    assert names(world) == []
    with scopes_disabled():
        assert not ImportJob.objects.filter(park=world.park).exists()  # its job was in the same transaction
    call_command(*args, stdout=StringIO())  # run again
    assert len(names(world)) == ROWS
