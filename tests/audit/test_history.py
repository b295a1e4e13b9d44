"""Row history (core/history.py, audit/history.py) on real PostgreSQL: the triggers record every write,
bulk and raw SQL included, with who did it; the history page shows it to park admins only."""

import io
import re
from datetime import date

import pgtrigger
import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from core.validators import mask_id_number
from members.models import Member
from orgs.models import Enterprise, Organisation, Zone
from orgs.tasks import dissolve_ended_branches
from tests.crawl import english
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import EnterpriseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

MemberHistory = Member.pgh_event_model
ZoneHistory = Zone.pgh_event_model


def events(history, obj_or_pk, **filters):
    pk = getattr(obj_or_pk, "pk", obj_or_pk)
    with scopes_disabled():
        return list(history.objects.filter(pgh_obj_id=pk, **filters).order_by("pgh_id"))


def history_url(world, label, pk, page=None):
    path = reverse("audit:history", args=[world.park.code, label, pk])
    return f"{path}?page={page}" if page else path


def member_form(member, **overrides):
    data = {
        "name": member.name, "id_number": member.id_masked, "gender": "", "ethnicity": "汉族", "phone": "",
        "education": "", "branch": member.branch_id, "enterprise": "", "stage": "full", "applied_on": "",
        "activist_on": "", "candidate_on": "", "joined_on": "2010-07-01", "full_on": "2011-07-01", "post": "",
        "status": "active",
    }
    return {**data, **overrides}


# --- The triggers record every write -----------------------------------------------------------
def test_an_edit_through_the_page_is_recorded_with_its_user_and_path(client, world):
    member = MemberFactory(park=world.park, branch=world.branch, name="旧名")
    client.force_login(world.admin)
    path = reverse("members:update", args=[world.park.code, member.pk])
    assert client.post(path, member_form(member, name="新名", phone="13800138000")).status_code == 302

    insert, update = events(MemberHistory, member)
    assert (insert.pgh_label, insert.name, insert.pgh_context) == ("insert", "旧名", None)  # a factory: no request
    assert (update.pgh_label, update.name, update.phone) == ("update", "新名", "13800138000")
    assert update.pgh_context == {"user": world.admin.pk, "url": path}
    assert update.park_id == world.park.pk


def test_a_save_that_changes_nothing_records_nothing(world):
    member = MemberFactory(park=world.park, branch=world.branch)
    member.save()
    with scopes_disabled():
        Member.objects.filter(pk=member.pk).update(name=member.name)
    assert [e.pgh_label for e in events(MemberHistory, member)] == ["insert"]


def test_bulk_update_raw_sql_and_copy_are_recorded(world):
    members = [MemberFactory(park=world.park, branch=world.branch) for _ in range(3)]
    for i, m in enumerate(members):
        m.phone = f"1390000000{i}"
    with scopes_disabled():
        Member.objects.bulk_update(members, ["phone"])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET ethnicity = '回族' WHERE id = ANY(%s)", [[m.pk for m in members]])
        cursor.copy_expert("COPY orgs_zone (park_id, name) FROM STDIN", io.StringIO(f"{world.park.pk}\t经开区北片\n"))

    for i, m in enumerate(members):
        labels = [(e.pgh_label, e.phone, e.ethnicity) for e in events(MemberHistory, m)]
        assert labels == [("insert", "", "汉族"), ("update", f"1390000000{i}", "汉族"), ("update", f"1390000000{i}", "回族")]
    with scopes_disabled():
        zone = Zone.objects.get(name="经开区北片")
    assert [(e.pgh_label, e.name, e.park_id) for e in events(ZoneHistory, zone)] == [("insert", "经开区北片", world.park.pk)]


def test_a_delete_keeps_the_row_as_it_was(world):
    zone = Zone.objects.create(park=world.park, name="南片")
    pk = zone.pk
    with scopes_disabled():
        zone.delete()
    assert [(e.pgh_label, e.name) for e in events(ZoneHistory, pk)] == [("insert", "南片"), ("delete", "南片")]


def test_a_celery_job_is_named_in_its_events(world):
    branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation="temporary", ends_on=date(2026, 6, 30))
    assert dissolve_ended_branches.apply(args=[world.park.pk, "2026-07-01"]).get() == 1
    last = events(Organisation.pgh_event_model, branch)[-1]
    assert (last.pgh_label, last.dissolved_on) == ("update", date(2026, 6, 30))
    assert last.pgh_context == {"job": "orgs.tasks.dissolve_ended_branches"}


def test_events_cannot_be_changed_or_deleted(world):
    member = MemberFactory(park=world.park, branch=world.branch)
    for sql in ("UPDATE members_memberhistory SET name = 'x' WHERE pgh_obj_id = %s",
                "DELETE FROM members_memberhistory WHERE pgh_obj_id = %s"):
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [member.pk])
    assert len(events(MemberHistory, member)) == 1


def test_the_id_ciphertext_is_never_copied_into_the_history():
    fields = {f.name for f in MemberHistory._meta.fields}
    assert "id_cipher" not in fields and "id_tail_hash" not in fields
    assert "id_hash" in fields  # a keyed hash: tells that the number changed, not what it is


def test_pruning_touches_only_pgtrigger_triggers(world):
    """Other triggers of the project (the payout guard, hongfan_same_park_*) are not pgtrigger's to prune."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE FUNCTION hongfan_test_noop() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql")
        cursor.execute("CREATE TRIGGER hongfan_same_park_test BEFORE INSERT ON orgs_zone FOR EACH ROW EXECUTE FUNCTION hongfan_test_noop()")
    assert pgtrigger.prunable() == []  # every pgtrigger trigger in the database is a registered one
    pgtrigger.prune()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'hongfan_same_park_test'")
        assert cursor.fetchone()[0] == 1


# --- The history page --------------------------------------------------------------------------
def test_admin_sees_the_change_in_chinese_with_the_id_number_hidden(client, world):
    old_number, new_number = valid_id_number(n=71), valid_id_number(birth="19900505", n=72)
    member = MemberFactory(park=world.park, branch=world.branch, name="旧名", id_number=old_number)
    client.force_login(world.admin)
    update = reverse("members:update", args=[world.park.code, member.pk])
    assert client.post(update, member_form(member, name="新名", id_number=new_number, stage="full")).status_code == 302

    page = client.get(history_url(world, "members.member", member.pk))
    assert page.status_code == 200
    content = page.content.decode()
    newest = page.context["entries"][0]
    assert (newest.action, newest.who, newest.where, newest.detail) == ("修改", str(world.admin), "党员页面", update)
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["姓名"] == ("旧名", "新名")
    assert changes["身份证号"] == ("", "已修改")
    assert changes["出生日期"] == ("1985-03-12", "1990-05-05")
    assert "修改记录" in content and "姓名：旧名 → 新名" in content and "身份证号：已修改" in content
    member.refresh_from_db()
    for secret in (old_number, new_number, mask_id_number(new_number), member.id_hash, member.id_cipher):
        assert secret not in content
    oldest = page.context["entries"][-1]
    assert (oldest.action, oldest.who, oldest.where) == ("新建", "未知", "数据库直接修改")  # a factory's row
    assert ("姓名", "", "旧名") in [(c.label, c.old, c.new) for c in oldest.changes]  # a new row: its values alone
    shown = english(" ".join(re.sub(r"<[^>]+>", " ", content).split())) - {world.admin.username, world.park.code}
    assert shown == set()  # the path is a tooltip only


def test_an_id_number_in_free_text_is_masked(client, world):
    number = valid_id_number(n=81)
    enterprise = EnterpriseFactory(park=world.park, address="旧地址")
    with scopes_disabled():
        Enterprise.objects.filter(pk=enterprise.pk).update(address=f"联系人身份证{number}")
    client.force_login(world.admin)
    content = client.get(history_url(world, "orgs.enterprise", enterprise.pk)).content.decode()
    assert f"地址：旧地址 → 联系人身份证{mask_id_number(number)}" in content or mask_id_number(number) in content
    assert number not in content


def test_the_page_is_newest_first_a_page_at_a_time(client, world):
    member = MemberFactory(park=world.park, branch=world.branch, phone="")
    with scopes_disabled():
        for i in range(24):
            Member.objects.filter(pk=member.pk).update(phone=f"138000000{i:02d}")
    client.force_login(world.admin)
    first = client.get(history_url(world, "members.member", member.pk))
    second = client.get(history_url(world, "members.member", member.pk, page=2))
    assert len(first.context["entries"]) == 20 and len(second.context["entries"]) == 5
    top = {c.label: (c.old, c.new) for c in first.context["entries"][0].changes}
    assert top == {"联系电话": ("13800000022", "13800000023")}
    # the oldest update on page 2 is measured against the insert below it
    bottom_update = {c.label: (c.old, c.new) for c in second.context["entries"][-2].changes}
    assert bottom_update == {"联系电话": ("—", "13800000000")}
    assert second.context["entries"][-1].action == "新建"


@pytest.mark.parametrize("who", ["secretary", "inspector", "instructor_user", "county_viewer"])
def test_only_the_park_admin_opens_it(client, world, county_viewer, who):
    member = MemberFactory(park=world.park, branch=world.branch)
    client.force_login(county_viewer if who == "county_viewer" else getattr(world, who))
    assert client.get(history_url(world, "members.member", member.pk)).status_code == 403


def test_another_parks_object_an_unknown_kind_and_an_untracked_one_are_404(client, world, other):
    elsewhere = MemberFactory(park=other.park, branch=other.branch)
    client.force_login(world.admin)
    assert client.get(history_url(world, "members.member", elsewhere.pk)).status_code == 404
    assert client.get(history_url(other, "members.member", elsewhere.pk)).status_code == 404
    assert client.get(history_url(world, "nothing.here", 1)).status_code == 404
    assert client.get(history_url(world, "audit.auditentry", 1)).status_code == 404
    assert client.get(history_url(world, "members.member", 999999)).status_code == 404


def test_member_page_links_to_its_history_for_the_admin_only(client, world):
    member = MemberFactory(park=world.park, branch=world.branch)
    link = history_url(world, "members.member", member.pk)
    detail = reverse("members:detail", args=[world.park.code, member.pk])
    client.force_login(world.admin)
    assert link in client.get(detail).content.decode()
    client.force_login(world.secretary)
    assert link not in client.get(detail).content.decode()


def test_rotating_the_id_key_records_no_change_and_keeps_changes_readable(client, world, settings, monkeypatch):
    from django.core.management import call_command

    from core import crypto

    settings.HONGFAN_ID_KEY = "old-id-key-" + "o" * 40
    crypto._keys.cache_clear()
    crypto._tail_key.cache_clear()
    try:
        member = MemberFactory(park=world.park, branch=world.branch, id_number=valid_id_number(n=91))
        second = valid_id_number(birth="19900505", n=92)
        with scopes_disabled():  # a real change of number, then the rotation
            Member.objects.filter(pk=member.pk).update(id_cipher=crypto.encrypt_id(second), id_hash=crypto.id_hash(second))
        monkeypatch.setenv("HONGFAN_NEW_ID_KEY", "new-id-key-" + "k" * 40)
        call_command("rotate_id_key", stdout=io.StringIO())
        member.refresh_from_db()
        first, changed = events(MemberHistory, member)  # the rotation added none
        assert changed.id_hash == member.id_hash != first.id_hash
        client.force_login(world.admin)
        entries = client.get(history_url(world, "members.member", member.pk)).context["entries"]
        assert [(c.label, c.old, c.new) for c in entries[0].changes] == [("身份证号", "", "已修改")]
    finally:
        crypto._keys.cache_clear()
        crypto._tail_key.cache_clear()


def test_a_row_older_than_its_history_says_its_earlier_values_are_unknown(client, world):
    with pgtrigger.ignore("members.Member:insert_insert"):  # as a row written before the history began
        member = MemberFactory(park=world.park, branch=world.branch, phone="")
    with scopes_disabled():
        Member.objects.filter(pk=member.pk).update(phone="13800000001")
    client.force_login(world.admin)
    (entry,) = client.get(history_url(world, "members.member", member.pk)).context["entries"]
    assert entry.action == "修改（此前的值未记录）"
    assert ("联系电话", "（未记录）", "13800000001") in [(c.label, c.old, c.new) for c in entry.changes]
