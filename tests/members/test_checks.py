"""组织体检 (members.checks): each rule of the 支部工作条例 on a fixture, the page, the overview's
figure, and the reminder before a term ends."""

from datetime import date

import pytest
from django.urls import reverse

from cycle.jobs import job_term_reminders
from cycle.models import Notification
from members import checks
from members.models import Member
from orgs.models import Organisation
from tests.activities.factories import CycleSettingsFactory
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)


def branch(world, name, formation=Organisation.Formation.JOINT, **kw):
    return OrganisationFactory(park=world.park, parent=world.work_committee, name=name, formation=formation, **kw)


def members(world, org, n, **kw):
    for _ in range(n):
        MemberFactory(park=world.park, branch=org, **kw)


def found(world, **kw) -> dict[str, set[str]]:
    result = {}
    for f in checks.organisation_check(park=world.park, today=TODAY, **kw):
        result.setdefault(f.organisation.name, set()).add(f.rule)
    return result


def test_every_rule_on_one_park(world, in_park):
    few = branch(world, "甲单独组建", formation=Organisation.Formation.SINGLE)
    members(world, few, 2)
    members(world, few, 3, stage=Member.Stage.PROBATIONARY, full_on=None, joined_on=date(2026, 3, 1))  # not full yet
    crowded = branch(world, "乙五十人以上")
    members(world, crowded, 51, stage=Member.Stage.PROBATIONARY, full_on=None, joined_on=date(2026, 3, 1))
    uncommitted = branch(world, "丙无支委会")
    members(world, uncommitted, 7)
    members(world, uncommitted, 1, post=Member.Post.SECRETARY)
    committee = branch(world, "丁有支委会", elected_on=date(2023, 11, 22))  # term ends tomorrow
    members(world, committee, 5)
    members(world, committee, 3, post=Member.Post.COMMITTEE)
    expired = branch(world, "戊换届已到期", elected_on=date(2023, 11, 21))
    temporary = branch(world, "己临时党支部", formation=Organisation.Formation.TEMPORARY, ends_on=date(2026, 10, 31))
    dissolved = branch(world, "庚已撤销的临时党支部", formation=Organisation.Formation.TEMPORARY, ends_on=date(2026, 10, 31), dissolved_on=date(2026, 11, 1))
    members(world, world.branch, 3)  # the fixture's branch (兜底) breaks nothing

    assert found(world) == {
        few.name: {checks.FEW_FOR_SINGLE},
        crowded.name: {checks.TOO_MANY},
        uncommitted.name: {checks.NO_COMMITTEE},
        expired.name: {checks.TERM_ENDED},
        temporary.name: {checks.TEMPORARY_ENDED},
    }
    assert committee.name not in found(world) and dissolved.name not in found(world)
    messages = {f.rule: (f.message, f.article) for f in checks.organisation_check(park=world.park, today=TODAY)}
    assert messages[checks.FEW_FOR_SINGLE] == ("单独组建的党支部正式党员不足3人（现有2人），宜改为联合组建", "支部工作条例第四条")
    assert "党员51人" in messages[checks.TOO_MANY][0]
    assert messages[checks.NO_COMMITTEE][0] == "正式党员8人，应选举产生3至5人的支部委员会（现登记支委1人）"
    assert "已于2026-11-21届满" in messages[checks.TERM_ENDED][0] and messages[checks.TERM_ENDED][1] == "支部工作条例第六章"
    assert found(world, organisation_ids=[few.pk]) == {few.name: {checks.FEW_FOR_SINGLE}}  # a secretary's own


def test_the_page_the_overview_and_a_secretary_sees_their_own(client, world):
    few = branch(world, "甲单独组建", formation=Organisation.Formation.SINGLE)
    client.force_login(world.admin)
    page = client.get(reverse("members:org_check", args=[world.park.code]))
    assert "单独组建的党支部正式党员不足3人（现有0人）" in page.content.decode() and "支部工作条例第四条" in page.content.decode()
    overview = client.get(reverse("dashboards:park_home", args=[world.park.code]))
    assert overview.context["figures"].findings == 1 and "有<strong>1</strong>项不符合" in overview.content.decode()
    client.force_login(world.secretary)  # world.branch's secretary: 甲单独组建 is not theirs
    assert list(client.get(reverse("members:org_check", args=[world.park.code])).context["findings"]) == []
    assert few.name not in client.get(reverse("members:org_check", args=[world.park.code])).content.decode()


def test_ninety_days_before_a_term_ends_the_admin_and_the_secretary_are_told_once(world, in_park):
    world.branch.elected_on = date(2024, 3, 1)  # the term ends on 2027-03-01
    world.branch.save()
    assert job_term_reminders(world.park, date(2026, 11, 30)) == 0
    assert job_term_reminders(world.park, date(2026, 12, 1)) == 2  # 90 days before
    assert job_term_reminders(world.park, date(2026, 12, 1)) == 0  # once
    told = Notification.objects.filter(park=world.park, key__startswith="term-ends:")
    assert {n.user for n in told} == {world.admin, world.secretary}
    assert "本届任期将于2027年03月01日届满" in told.first().message
    CycleSettingsFactory(park=world.park, term_reminder_days=30)
    world.branch.elected_on = date(2024, 1, 31)
    world.branch.save()
    assert job_term_reminders(world.park, date(2027, 1, 1)) == 2  # the park's own notice period
