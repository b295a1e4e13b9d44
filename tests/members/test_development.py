"""发展党员: the 25 steps as data, each timing rule, the working-day count of 公示, and recording steps
through the member's own rules (docs/domain.md)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from cycle.jobs import run_jobs
from cycle.models import Notification
from members import development as dev
from members.models import DevelopmentSettings, DevelopmentStep, Holiday, Member
from members.selectors import development_due, working_calendar
from members.services import development_step_record
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import OrganisationFactory
from tests.points.factories import ActivistCardFactory

# A calendar of its own: National Day week 2026 off, Saturday 10 October worked (调休).
HOLIDAYS = {date(2026, 10, d) for d in range(1, 8)}
WORKDAYS = {date(2026, 10, 10)}


def test_the_procedure_has_twenty_five_steps_in_five_stages_each_with_its_source():
    assert len(dev.STEPS) == 25
    assert [s.stage for s in dev.STEPS] == sorted((s.stage for s in dev.STEPS), key=["applicant", "activist", "candidate", "probationary", "full"].index)
    assert all(s.source and s.actor and s.name for s in dev.STEPS)
    assert len({s.code for s in dev.STEPS}) == 25


@pytest.mark.parametrize(
    ("start", "days", "ends"),
    [
        (date(2026, 6, 1), 5, date(2026, 6, 5)),  # Monday to Friday
        (date(2026, 6, 5), 5, date(2026, 6, 11)),  # from a Friday: over the weekend to Thursday
        (date(2026, 6, 6), 1, date(2026, 6, 8)),  # a Saturday start counts from Monday
        (date(2026, 9, 29), 5, date(2026, 10, 10)),  # Tue 29, Wed 30, the holiday week skipped, Thu 8, Fri 9, Sat 10 worked
        (date(2026, 9, 30), 3, date(2026, 10, 9)),
        (date(2026, 10, 2), 2, date(2026, 10, 9)),  # a start inside the holiday counts from the first working day
    ],
)
def test_publicity_counts_working_days_across_weekends_holidays_and_swapped_saturdays(start, days, ends):
    assert dev.working_days_after(start, days, holidays=HOLIDAYS, workdays=WORKDAYS) == ends


def rules(code, on, done, days=5):
    return dev.timing_errors(code, on, done, publicity=dev.Publicity(days, frozenset(HOLIDAYS), frozenset(WORKDAYS)))


def test_each_timing_rule():
    applied = {"apply": date(2026, 1, 31)}
    assert rules("talk", date(2026, 2, 28), applied) == []  # 31 Jan + a month = 28 Feb
    assert rules("talk", date(2026, 3, 1), applied) == ["谈话应在收到入党申请书（2026-01-31）后一个月内进行（细则第七条）。"]
    assert rules("admit", date(2026, 10, 13), {}) == ["支部大会讨论前须先对发展对象进行公示。"]
    published = {"publicity": date(2026, 9, 29)}
    assert rules("admit", date(2026, 10, 10), published) == [
        "公示自 2026-09-29 起 5 个工作日，至 2026-10-10 期满；支部大会须在公示期满后召开。"]
    assert rules("admit", date(2026, 10, 11), published) == []
    assert rules("admit", date(2026, 10, 11), published, days=7) != []  # the park's own number of days: to the 13th
    admitted = {"admit": date(2025, 11, 30)}
    assert rules("approve", date(2026, 2, 28), admitted) == []
    assert rules("approve", date(2026, 3, 1), admitted) == ["上级党委应在支部大会通过（2025-11-30）后三个月内审批。"]
    assert rules("full_meeting", date(2026, 11, 29), admitted)  # before the year is out
    assert rules("full_meeting", date(2026, 11, 30), admitted) == []
    assert dev.timing_errors("full_meeting", date(2026, 11, 30), admitted, publicity=dev.Publicity(5), extension_months=6)  # an extended probation ends later
    assert rules("full_approve", date(2027, 3, 1), {"full_meeting": date(2026, 12, 1)}) == []
    assert rules("full_approve", date(2027, 3, 2), {"full_meeting": date(2026, 12, 1)}) == [
        "上级党委应在支部大会讨论转正（2026-12-01）后三个月内审批。"]


def test_the_holiday_calendar_is_data_loaded_for_2025_and_2026(holiday_calendar):
    holidays, workdays = working_calendar()
    assert date(2026, 10, 1) in holidays and date(2026, 2, 17) in holidays
    assert date(2026, 10, 10) in workdays and date(2026, 10, 10) not in holidays
    Holiday.objects.create(day=date(2027, 1, 1), name="元旦")
    assert date(2027, 1, 1) in working_calendar()[0]


# --- Recording steps -------------------------------------------------------------------------------
TODAY = date(2026, 11, 20)


@pytest.fixture
def applicant(world, in_park, holiday_calendar):
    return MemberFactory(park=world.park, branch=world.branch, name="周敏", stage="applicant", joined_on=None, full_on=None,
                         id_number=valid_id_number("19980506"))


def step(world, person, code, on, **kw):
    return development_step_record(park=world.park, actor=world.admin, member=person, step=code, on=on, today=TODAY, **kw)


def walk(world, person, steps):
    for code, on in steps:
        step(world, person, code, on)


def test_steps_go_in_order_with_their_dates_and_move_the_stage(world, applicant):
    with pytest.raises(ValidationError) as refused:
        step(world, applicant, "talk", date(2024, 3, 10))
    assert refused.value.message_dict == {"on": ["请先记录“递交入党申请书”。"]}
    step(world, applicant, "apply", date(2024, 3, 1), document="入党申请书")
    applicant.refresh_from_db()
    assert applicant.applied_on == date(2024, 3, 1)
    with pytest.raises(ValidationError) as refused:
        step(world, applicant, "talk", date(2024, 4, 2))
    assert refused.value.message_dict == {"on": ["谈话应在收到入党申请书（2024-03-01）后一个月内进行（细则第七条）。"]}
    walk(world, applicant, [("talk", date(2024, 3, 20)), ("recommend", date(2024, 5, 1))])
    applicant.refresh_from_db()
    assert (applicant.stage, applicant.activist_on) == ("activist", date(2024, 5, 1))
    walk(world, applicant, [("activist_file", date(2024, 5, 10)), ("mentors", date(2024, 5, 10)), ("cultivate", date(2024, 11, 1))])
    # A year as activist: the member's own rule (members.rules) refuses an early 发展对象, and nothing is kept.
    with pytest.raises(ValidationError) as refused:
        step(world, applicant, "candidate", date(2025, 4, 30))
    assert "candidate_on" in refused.value.message_dict
    assert not DevelopmentStep.objects.filter(member=applicant, step="candidate").exists()
    walk(world, applicant, [
        ("candidate", date(2025, 5, 6)), ("candidate_file", date(2025, 5, 10)), ("introducers", date(2025, 5, 10)),
        ("vetting", date(2025, 6, 1)), ("training", date(2025, 6, 20)), ("committee_review", date(2025, 9, 1)),
        ("publicity", date(2025, 9, 26)),  # Friday; 5 working days of the 2025 calendar: Sep 26, 28 (调休), 29, 30, Oct 9
        ("pre_review", date(2025, 9, 30)), ("application_form", date(2025, 10, 9)),
    ])
    with pytest.raises(ValidationError) as refused:
        step(world, applicant, "admit", date(2025, 10, 9))
    assert "至 2025-10-09 期满" in refused.value.message_dict["on"][0]
    walk(world, applicant, [("admit", date(2025, 10, 10)), ("higher_talk", date(2025, 10, 20)), ("approve", date(2025, 11, 5))])
    applicant.refresh_from_db()
    assert (applicant.stage, applicant.joined_on) == ("probationary", date(2025, 10, 10))
    with pytest.raises(ValidationError) as refused:
        step(world, applicant, "approve", date(2025, 11, 6))
    assert refused.value.message_dict == {"on": ["“上级党委审批”已于 2025-11-05 记录。"]}
    assert AuditEntry.objects.filter(park=world.park, action="development.step", target_id=applicant.pk).count() == 18


def test_the_due_list_says_who_waits_for_what_and_by_when(world, applicant, other):
    DevelopmentSettings.objects.create(park=world.park, publicity_days=7)
    late = MemberFactory(park=world.park, branch=world.branch, name="吴刚", stage="applicant", joined_on=None, full_on=None,
                         id_number=valid_id_number("19950101"))
    step(world, applicant, "apply", date(2026, 11, 1))
    walk(world, late, [("apply", date(2026, 10, 1)), ("talk", date(2026, 10, 15)), ("recommend", date(2026, 11, 2))])
    MemberFactory(park=world.park, branch=world.branch, stage="applicant", joined_on=None, full_on=None)  # no application on record
    rows = development_due(park=world.park)
    assert [(m.name, d.code, d.start, d.end) for m, d in rows] == [
        ("周敏", "talk", None, date(2026, 12, 1)),
        ("吴刚", "activist_file", None, None),
    ]
    assert development_due(park=world.park, branch_ids=set()) == []
    assert Member.objects.filter(park=world.park, stage="activist").count() == 1


# --- Pages ---------------------------------------------------------------------------------------
def test_the_office_records_a_step_on_the_persons_page_and_the_due_list_follows(client, world, applicant):
    page_url = reverse("members:development", args=[world.park.code, applicant.pk])
    due_url = reverse("members:development_due", args=[world.park.code])
    client.force_login(world.secretary)
    page = client.get(page_url).content.decode()
    assert "1. 递交入党申请书" in page and "25. 上级党委审批转正" in page
    response = client.post(page_url, {"step": "talk", "on": "2026-11-01"})
    assert "请先记录“递交入党申请书”。" in response.content.decode()
    response = client.post(page_url, {"step": "apply", "on": "2026-11-02", "document": "入党申请书"}, follow=True)
    assert "已记录“递交入党申请书”（2026-11-02）。" in response.content.decode()
    assert "下一步：党组织派人谈话" in response.content.decode()
    listing = client.get(due_url).content.decode()
    assert "周敏" in listing and "党组织派人谈话" in listing and "2026-12-02" in listing
    for bad in ({"step": "nope", "on": "2026-11-02"}, {"step": "talk", "on": "2099-01-01"}, {"step": "talk", "on": "x"}):
        assert client.post(page_url, bad).status_code == 200  # the form again, with the reason
    assert DevelopmentStep.objects.filter(member=applicant).count() == 1


def test_the_development_pages_respect_the_wall(client, world, other, county_viewer):
    sibling = OrganisationFactory(park=world.park, name="第二党支部", parent=world.work_committee)
    stranger = MemberFactory(park=world.park, branch=sibling, stage="applicant", joined_on=None, full_on=None)
    client.force_login(world.secretary)
    assert client.get(reverse("members:development", args=[world.park.code, stranger.pk])).status_code == 404
    client.force_login(county_viewer)
    assert client.get(reverse("members:development_due", args=[world.park.code])).status_code == 200


def test_the_branch_and_the_office_are_told_a_week_before_a_step_is_due_and_when_it_is_late(world, applicant):
    step(world, applicant, "apply", date(2026, 11, 1))  # the talk is due by 1 December
    assert run_jobs(world.park, date(2026, 11, 23), ["development_deadlines"]) == {"development_deadlines": 0}
    assert run_jobs(world.park, date(2026, 11, 24), ["development_deadlines"]) == {"development_deadlines": 2}
    assert run_jobs(world.park, date(2026, 11, 25), ["development_deadlines"]) == {"development_deadlines": 0}  # told once
    assert run_jobs(world.park, date(2026, 12, 2), ["development_deadlines"]) == {"development_deadlines": 2}
    told = Notification.objects.filter(park=world.park, user=world.secretary).order_by("pk").values_list("message", flat=True)
    assert list(told) == ["发展党员：周敏（alpha第一党支部）的“党组织派人谈话”须在12月01日前办理。",
                          "发展党员：周敏（alpha第一党支部）的“党组织派人谈话”已超过时限12月01日。"]


def test_the_activists_cards_are_shown_beside_the_decision_to_make_them_a_development_target(client, world, applicant):
    walk(world, applicant, [("apply", date(2024, 3, 1)), ("talk", date(2024, 3, 20)), ("recommend", date(2024, 5, 1)),
                            ("activist_file", date(2024, 5, 10)), ("mentors", date(2024, 5, 10))])
    ActivistCardFactory(park=world.park, member=applicant, year=2024, quarter=3, political=20, discipline=22, solidarity=18, performance=21)
    ActivistCardFactory(park=world.park, member=applicant, year=2025, quarter=1, published=True)
    client.force_login(world.admin)
    url = reverse("members:development", args=[world.park.code, applicant.pk])
    assert "积分卡" not in client.get(url).content.decode()  # next is 培养教育考察: no card beside it
    step(world, applicant, "cultivate", date(2024, 11, 1))
    page = client.get(url).content.decode()
    assert "下一步：确定发展对象" in page
    assert "2024年第3季度积分卡</dt><dd>81 分（未公示）" in page
    assert page.index("2025年第1季度积分卡") < page.index("2024年第3季度积分卡")  # latest first


def test_the_park_sets_its_publicity_days_on_a_page_the_office_can_read(client, world, applicant):
    url = reverse("members:development_settings", args=[world.park.code])
    client.force_login(world.admin)
    assert 'value="5"' in client.get(url).content.decode()
    for bad in ("0", "31", "x", "\x00", "5.5"):
        response = client.post(url, {"publicity_days": bad})
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not DevelopmentSettings.objects.filter(park=world.park).exists()
    response = client.post(url, {"publicity_days": "7"}, follow=True)
    assert "发展党员设置已保存。" in response.content.decode()
    assert dev.Publicity(7) == dev.Publicity(DevelopmentSettings.objects.get(park=world.park).publicity_days)
    entry = AuditEntry.objects.get(park=world.park, action="development.settings")
    assert entry.changes == {"publicity_days": [5, 7]}
    client.force_login(world.inspector)
    assert "<td>7</td>" in client.get(url).content.decode()
    assert client.post(url, {"publicity_days": "3"}).status_code == 403
    client.force_login(world.secretary)
    assert client.get(url).status_code == 403
