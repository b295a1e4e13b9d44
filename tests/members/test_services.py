"""Writes through members.services: ID numbers encrypted at rest, the shared rules, transfers, audit."""

import json
import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from audit.models import AuditEntry
from core.crypto import id_hash
from core.validators import mask_id_number
from imports.services import import_confirm, import_preview
from members import services
from members.models import Member, MemberTransfer
from orgs.models import Organisation
from tests.members.factories import valid_id_number
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def create(world, id_number=None, **data):
    values = {"name": "张三", "branch": world.branch, "stage": "full", "joined_on": date(2010, 7, 1), "full_on": date(2011, 7, 1)}
    return services.member_create(park=world.park, actor=world.admin, id_number=id_number or valid_id_number(), **{**values, **data})


def messages(exc, field):
    return exc.value.message_dict[field]


def raw_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM members_member")
        return cursor.fetchall()


class TestCreate:
    def test_id_number_is_not_stored_in_clear(self, world, in_park):
        number = valid_id_number(birth="19850312", n=17)
        member = create(world, id_number=number[:6] + " " + number[6:].lower())
        spelled = {number, number[:17], "".join(c for c in number if c.isdigit()), number[6:14] + number[14:]}
        rows = raw_rows()
        assert len(rows) == 1
        for column in rows[0]:
            for form in spelled:
                assert form not in str(column)
        member.refresh_from_db()
        assert member.id_number == number
        assert member.id_hash == id_hash(number)
        assert Member.objects.get(id_hash=id_hash(number)) == member
        assert member.birth_date == date(1985, 3, 12)
        assert member.gender == "M"

    def test_audit_entry_holds_the_id_masked_only(self, world, in_park):
        number = valid_id_number()
        member = create(world, id_number=number)
        entry = AuditEntry.objects.get(target_type="members.member", target_id=member.pk)
        assert entry.action == "member.create"
        assert entry.changes["id_number"] == [None, mask_id_number(number)]
        assert number not in json.dumps(entry.changes) and number[:14] not in json.dumps(entry.changes)

    def test_duplicate_id_refused_in_same_park_allowed_in_another(self, world, other):
        number = valid_id_number()
        with scopes_disabled():
            create(world, id_number=number, name="张三")
            with pytest.raises(ValidationError) as exc:
                create(world, id_number=number, name="李四")
            assert messages(exc, "id_number") == [str(services.MSG_ID_TAKEN % {"name": "张三"})]
            assert messages(exc, "id_number") == ["本园区已有该身份证号的人员（张三）。"]
            create(other, id_number=number, name="李四")
            assert Member.objects.filter(id_hash=id_hash(number)).count() == 2

    def test_gender_mismatch_refused(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            create(world, id_number=valid_id_number(n=2), gender="M")
        assert messages(exc, "gender") == ["性别与身份证号不符：按身份证号应为“女”。"]
        assert Member.objects.count() == 0

    def test_branch_of_another_park_refused(self, world, other, in_park):
        with pytest.raises(ValidationError) as exc:
            create(world, branch=other.branch)
        assert messages(exc, "branch") == [str(services.MSG_BRANCH_OTHER_PARK % {"name": other.branch.name})]
        assert "不属于本园区" in messages(exc, "branch")[0]

    def test_party_group_is_not_a_branch(self, world, in_park):
        group = OrganisationFactory(park=world.park, parent=world.branch, name="第一党小组", kind=Organisation.Kind.GROUP)
        with pytest.raises(ValidationError) as exc:
            create(world, branch=group)
        assert messages(exc, "branch") == ["“第一党小组”是党小组，党员应编入党支部或党总支。"]

    def test_invalid_id_refused_with_its_reason(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            create(world, id_number="37082719850312")
        assert messages(exc, "id_number") == ["身份证号应为18位，当前为14位。"]


class TestUpdate:
    def test_new_id_is_re_encrypted_and_audited_masked(self, world, in_park):
        old = valid_id_number(birth="19850312", n=13)  # both male: the new ID must agree with the stored gender
        member = create(world, id_number=old)
        new = valid_id_number(birth="19900505", n=11)
        services.member_update(member=member, actor=world.admin, id_number=new)
        member.refresh_from_db()
        assert member.id_number == new
        assert member.id_hash == id_hash(new)
        assert member.birth_date == date(1990, 5, 5)
        assert Member.objects.filter(id_hash=id_hash(old)).count() == 0
        assert all(new not in str(c) and old not in str(c) for c in raw_rows()[0])
        entry = AuditEntry.objects.get(action="member.update", target_id=member.pk)
        assert entry.changes == {"id_number": [mask_id_number(old), mask_id_number(new)]}

    def test_update_without_changes_writes_no_audit(self, world, in_park):
        member = create(world)
        services.member_update(member=member, actor=world.admin, name="张三")
        assert not AuditEntry.objects.filter(action="member.update").exists()

    def test_update_to_a_taken_id_refused(self, world, in_park):
        taken = create(world, name="李四")
        member = create(world)
        with pytest.raises(ValidationError) as exc:
            services.member_update(member=member, actor=world.admin, id_number=taken.id_number)
        assert messages(exc, "id_number") == ["本园区已有该身份证号的人员（李四）。"]


class TestTransfers:
    def test_within_park_moves_the_member_and_records_it(self, world, in_park):
        member = create(world)
        second = OrganisationFactory(park=world.park, parent=world.work_committee, name="第二党支部")
        transfer = services.member_transfer_within(member=member, actor=world.admin, to_branch=second, on=date(2024, 3, 1), note=" 工作调动 ")
        member.refresh_from_db()
        assert member.branch == second
        assert (transfer.kind, transfer.from_branch, transfer.to_branch, transfer.note) == ("within", world.branch, second, "工作调动")
        assert list(member.transfers.all()) == [transfer]
        assert AuditEntry.objects.filter(action="member.transfer_within", target_id=member.pk).exists()

    def test_within_to_the_same_branch_refused(self, world, in_park):
        member = create(world)
        with pytest.raises(ValidationError) as exc:
            services.member_transfer_within(member=member, actor=world.admin, to_branch=world.branch, on=date(2024, 3, 1))
        assert messages(exc, "to_branch") == [str(services.MSG_SAME_BRANCH)]
        assert messages(exc, "to_branch") == ["转入的党支部与原党支部相同。"]
        assert MemberTransfer.objects.count() == 0

    def test_out_sets_status_and_a_second_transfer_is_refused(self, world, in_park):
        member = create(world, post="secretary")
        transfer = services.member_transfer_out(member=member, actor=world.admin, external_organisation="济宁市某党支部", on=date(2024, 3, 1))
        member.refresh_from_db()
        assert (member.status, member.get_status_display(), member.post) == ("transferred_out", "转出", "")
        assert (transfer.kind, transfer.from_branch, transfer.external_organisation) == ("out", world.branch, "济宁市某党支部")
        with pytest.raises(ValidationError) as exc:
            services.member_transfer_out(member=member, actor=world.admin, external_organisation="另一党支部", on=date(2024, 4, 1))
        assert messages(exc, "__all__") == ["该党员已转出，不能再转接。"]
        second = OrganisationFactory(park=world.park, name="第二党支部")
        with pytest.raises(ValidationError):
            services.member_transfer_within(member=member, actor=world.admin, to_branch=second, on=date(2024, 4, 1))
        assert MemberTransfer.objects.count() == 1

    def test_out_needs_an_external_organisation(self, world, in_park):
        member = create(world)
        with pytest.raises(ValidationError) as exc:
            services.member_transfer_out(member=member, actor=world.admin, external_organisation=" ", on=date(2024, 3, 1))
        assert messages(exc, "external_organisation") == ["请填写园区外党组织名称。"]

    def test_in_creates_member_and_an_in_transfer(self, world, in_park):
        number = valid_id_number()
        member = services.member_transfer_in(
            park=world.park, actor=world.admin, external_organisation="济宁市某党支部", on=date(2024, 3, 1),
            id_number=number, name="王五", branch=world.branch, stage="full", joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1),
        )
        assert member.id_number == number
        transfer = member.transfers.get()
        assert (transfer.kind, transfer.to_branch, transfer.external_organisation, transfer.on) == ("in", world.branch, "济宁市某党支部", date(2024, 3, 1))


def test_no_log_record_holds_the_id_number(world, in_park, caplog, settings, tmp_path):
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    number = valid_id_number(n=21)
    imported = valid_id_number(n=23)
    create(world, id_number=number)
    csv = f"姓名,性别,身份证号,所在党支部,党员类别,入党日期,转正日期\n李四,男,{imported},{world.branch.name},正式党员,2010-07-01,2011-07-01\n"
    job, plan = import_preview(park=world.park, actor=world.admin, kind="members", data=csv.encode(), filename="a.csv")
    assert not plan.errors
    import_confirm(job=job, actor=world.admin)
    assert Member.objects.count() == 2
    assert any("INSERT" in r.getMessage() for r in caplog.records)  # SQL was logged
    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        for value in (number, imported):
            assert value not in text and value[:17] not in text
