"""rotate_id_key: every ID number (and every upload awaiting confirmation) under the new key, at once."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from audit.models import AuditEntry
from core import crypto
from core.tenancy.scoping import park_scope
from imports.models import ImportJob
from members.models import Member
from members.selectors import member_list
from tests.members.factories import MemberFactory, valid_id_number

NEW_KEY = "new-id-key-" + "k" * 40


@pytest.fixture
def id_key(settings):
    """The settings' key, with core.crypto's cache of its derived keys following it."""
    settings.HONGFAN_ID_KEY = "old-id-key-" + "o" * 40
    crypto._keys.cache_clear()
    crypto._tail_key.cache_clear()

    def use(key):
        settings.HONGFAN_ID_KEY = key
        crypto._keys.cache_clear()
        crypto._tail_key.cache_clear()

    yield use
    crypto._keys.cache_clear()
    crypto._tail_key.cache_clear()  # the settings fixture puts the key back


@pytest.fixture
def records(world, other, id_key):
    numbers = {MemberFactory(park=park, branch=branch, id_number=number).pk: number
               for park, branch in ((world.park, world.branch), (other.park, other.branch))
               for number in (valid_id_number(), valid_id_number(birth="19900101"))}
    job = ImportJob.objects.create(park=world.park, kind="members", filename="花名册.csv", sha256="0" * 64,
                                   data=crypto.encrypt_bytes("姓名,身份证号\n张三,370827198503120016\n".encode()))
    return numbers, job


def rotate() -> str:
    out = io.StringIO()
    call_command("rotate_id_key", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_every_id_number_reads_and_is_found_under_the_new_key_only(records, id_key, monkeypatch, world):
    numbers, job = records
    with scopes_disabled():
        before = dict(Member.objects.values_list("pk", "id_cipher"))
    monkeypatch.setenv("HONGFAN_NEW_ID_KEY", NEW_KEY)
    assert "已用新密钥重新加密：4 个身份证号，1 个待确认的导入文件（2 个园区）" in rotate()

    id_key(NEW_KEY)
    with scopes_disabled():
        for member in Member.objects.all():
            assert member.id_cipher != before[member.pk]
            assert member.id_number == numbers[member.pk]
            assert member.id_hash == crypto.id_hash(numbers[member.pk])
            assert member.id_tail_hash == crypto.id_tail_hash(numbers[member.pk])  # the picker finds it by its last four
        assert crypto.decrypt_bytes(ImportJob.objects.get(pk=job.pk).data).decode().startswith("姓名,身份证号")
        entries = AuditEntry.objects.filter(action="idkey.rotate").order_by("park_id")
        assert [(e.park_id, e.changes) for e in entries] == [
            (world.park.pk, {"重新加密的身份证号": 2, "重新加密的导入文件": 1}),
            (max(e.park_id for e in entries), {"重新加密的身份证号": 2, "重新加密的导入文件": 0}),
        ]
    with park_scope(world.park):  # the members page's search by a whole number finds it
        first = Member.objects.filter(park=world.park).first()
        assert list(member_list(park=world.park, filters={"q": numbers[first.pk]})) == [first]

    id_key("old-id-key-" + "o" * 40)  # a process still on the old key reads nothing
    with pytest.raises(Exception):
        first.id_number  # noqa: B018


@pytest.mark.django_db
def test_a_wrong_current_key_changes_nothing(records, id_key, monkeypatch):
    with scopes_disabled():
        before = list(Member.objects.order_by("pk").values_list("id_cipher", "id_hash"))
    id_key("not-the-key-that-encrypted-them-" + "x" * 20)
    monkeypatch.setenv("HONGFAN_NEW_ID_KEY", NEW_KEY)
    with pytest.raises(CommandError, match="无法用当前的 HONGFAN_ID_KEY 解密"):
        rotate()
    with scopes_disabled():
        assert list(Member.objects.order_by("pk").values_list("id_cipher", "id_hash")) == before
        assert not AuditEntry.objects.filter(action="idkey.rotate").exists()


@pytest.mark.django_db
def test_the_new_key_is_required_long_and_different(id_key, monkeypatch):
    with pytest.raises(CommandError, match="HONGFAN_NEW_ID_KEY"):
        rotate()
    monkeypatch.setenv("HONGFAN_NEW_ID_KEY", "short")
    with pytest.raises(CommandError, match="新密钥太短"):
        rotate()
    monkeypatch.setenv("HONGFAN_NEW_ID_KEY", "old-id-key-" + "o" * 40)
    with pytest.raises(CommandError, match="相同"):
        rotate()
