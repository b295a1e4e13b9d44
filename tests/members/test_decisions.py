"""A member's branch and status change only by transfer and status decisions, and probation only
by a recorded extension: each is a record of its own (members.services)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from members import services
from members.models import Member, ProbationExtension, StatusChange
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)


def probationary(world, joined=date(2026, 1, 10)):
    return MemberFactory(park=world.park, branch=world.branch, stage=Member.Stage.PROBATIONARY, joined_on=joined, full_on=None)


def test_the_edit_path_refuses_a_new_branch_or_status(world, in_park):
    member = MemberFactory(park=world.park, branch=world.branch)
    elsewhere = OrganisationFactory(park=world.park, parent=world.work_committee)
    with pytest.raises(ValidationError) as refused:
        services.member_update(member=member, actor=world.admin, branch=elsewhere, status=Member.Status.DECEASED, today=TODAY)
    assert set(refused.value.error_dict) == {"branch", "status"}
    assert "组织关系转接" in refused.value.error_dict["branch"][0].messages[0]
    member.refresh_from_db()
    assert (member.branch, member.status) == (world.branch, Member.Status.ACTIVE)


def test_a_status_change_is_a_record_with_its_date_and_reason(world, in_park):
    member = MemberFactory(park=world.park, branch=world.branch)
    change = services.member_status_change(member=member, actor=world.secretary, status=Member.Status.MOBILE, on=date(2026, 11, 1), reason="外出务工", today=TODAY)
    member.refresh_from_db()
    assert member.status == Member.Status.MOBILE
    assert (change.from_status, change.to_status, change.reason, change.actor) == ("active", "mobile", "外出务工", world.secretary)
    assert AuditEntry.objects.get(action="member.status").changes["status"] == ["active", "mobile"]
    services.member_status_change(member=member, actor=world.admin, status=Member.Status.DECEASED, on=date(2026, 11, 20), reason="病故", today=TODAY)
    with pytest.raises(ValidationError) as final:  # 去世 ends the record
        services.member_status_change(member=member, actor=world.admin, status=Member.Status.ACTIVE, on=TODAY, reason="更正", today=TODAY)
    assert final.value.messages == ["该党员已“去世”，状态不能再变更。"]
    assert StatusChange.objects.filter(member=member).count() == 2


@pytest.mark.parametrize(
    "status, reason, on, field",
    [
        (Member.Status.TRANSFERRED_OUT, "转走", TODAY, "status"),  # a transfer, not a status decision
        (Member.Status.ACTIVE, "无变化", TODAY, "status"),
        (Member.Status.SUSPENDED, "   ", TODAY, "reason"),
        (Member.Status.SUSPENDED, "停止党籍", date(2026, 12, 1), "on"),
    ],
)
def test_a_status_decision_that_cannot_be_made_says_why(world, in_park, status, reason, on, field):
    member = MemberFactory(park=world.park, branch=world.branch)
    with pytest.raises(ValidationError) as refused:
        services.member_status_change(member=member, actor=world.admin, status=status, on=on, reason=reason, today=TODAY)
    assert field in refused.value.error_dict
    assert not StatusChange.objects.exists()


def test_probation_is_extended_once_by_six_to_twelve_months_and_moves_the_day_of_conversion(world, in_park):
    member = probationary(world, joined=date(2025, 10, 1))
    today = date(2026, 9, 15)
    for months in (5, 13):
        with pytest.raises(ValidationError) as refused:
            services.probation_extend(member=member, actor=world.secretary, decided_on=date(2026, 9, 10), months=months, reason="考察", today=today)
        assert refused.value.error_dict["months"][0].messages == ["预备期可延长6至12个月。"]
    extension = services.probation_extend(member=member, actor=world.secretary, decided_on=date(2026, 9, 10), months=6, reason="需继续考察", today=today)
    assert (extension.months, extension.decided_on) == (6, date(2026, 9, 10))
    with pytest.raises(ValidationError) as twice:
        services.probation_extend(member=member, actor=world.secretary, decided_on=date(2026, 9, 11), months=6, reason="再延", today=today)
    assert twice.value.messages == ["该党员的预备期已经延长过一次，不能再延长。"]
    # 转正 on the day the extended probation ends, and on no other
    with pytest.raises(ValidationError) as early:
        services.member_update(member=member, actor=world.admin, stage=Member.Stage.FULL, full_on=date(2026, 10, 1), today=date(2027, 4, 2))
    assert "2027-04-01" in early.value.error_dict["full_on"][0].messages[0]
    services.member_update(member=member, actor=world.admin, stage=Member.Stage.FULL, full_on=date(2027, 4, 1), today=date(2027, 4, 2))
    member.refresh_from_db()
    assert (member.stage, member.full_on) == (Member.Stage.FULL, date(2027, 4, 1))


def test_an_extension_is_decided_within_the_probation(world, in_park):
    member = probationary(world, joined=date(2025, 1, 10))
    with pytest.raises(ValidationError) as late:
        services.probation_extend(member=member, actor=world.admin, decided_on=date(2026, 2, 1), months=6, reason="考察", today=TODAY)
    assert "预备期至2026-01-10" in late.value.error_dict["decided_on"][0].messages[0]
    full = MemberFactory(park=world.park, branch=world.branch)
    with pytest.raises(ValidationError) as not_probationary:
        services.probation_extend(member=full, actor=world.admin, decided_on=date(2026, 2, 1), months=6, reason="考察", today=TODAY)
    assert not_probationary.value.messages == ["只有预备党员可以延长预备期。"]
    assert not ProbationExtension.objects.exists()


def test_the_pages_offer_decisions_not_edits(client, world):
    member = MemberFactory(park=world.park, branch=world.branch)
    client.force_login(world.secretary)
    edit = client.get(f"/p/{world.park.code}/members/{member.pk}/edit/")
    assert "branch" not in edit.context["form"].fields and "status" not in edit.context["form"].fields
    response = client.post(f"/p/{world.park.code}/members/{member.pk}/status/", {"status": "mobile", "on": "2026-11-01", "reason": "外出务工"})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "在册 → 流动" in detail and "外出务工" in detail
