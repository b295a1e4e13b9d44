"""通知公告 (services.notices): recipients, read receipts, typed replies until the deadline,
reminders, and the replies as one sheet."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from accounts.access import park_access
from core.roles import Role
from cycle.models import Notification
from services import notices
from services.models import Notice, NoticeRecipient
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)
FIELDS = "本支部党员人数|数字\n参会人员名单|文字\n是否参加|选项|参加、不参加\n会议日期|日期\n签到表|文件"


def publish(world, **kw):
    values = dict(park=world.park, actor=world.admin, title="关于召开七一表彰大会的通知", body="请各支部报名。", kind=Notice.Kind.MEETING,
                  audience=Notice.Audience.ALL_BRANCHES, reply_due=date(2026, 11, 30), fields_text=FIELDS, today=TODAY)
    return notices.notice_publish(**{**values, **kw})


def answers(notice, **values):
    by_label = {f.label: f"field_{f.pk}" for f in notice.fields.all()}
    return {by_label[k]: v for k, v in values.items()}


def test_fields_are_written_one_a_line_and_bad_lines_are_named():
    assert [f["kind"] for f in notices.parse_fields(FIELDS)] == ["number", "text", "choice", "date", "file"]
    with pytest.raises(ValidationError) as bad:
        notices.parse_fields("人数|数字\n名单\n是否|选项|只一项\n人数|文字")
    problems = bad.value.message_dict["fields_text"]
    assert problems[0].startswith("第2行“名单”") and "至少两个选项" in problems[1] and "第4行“人数”与前面的栏目重名" in problems[2]


def test_published_to_every_live_branch_and_their_secretaries_are_told(world, in_park):
    OrganisationFactory(park=world.park, parent=world.work_committee, name="已撤销支部", dissolved_on=date(2026, 1, 1))
    notice = publish(world)
    assert list(notice.recipients.values_list("branch__name", flat=True)) == [world.branch.name]
    told = Notification.objects.get(key=f"notice:{notice.pk}")
    assert told.user == world.secretary and "请于11月30日前回复" in told.message


def test_published_to_roles(world, in_park):
    notice = publish(world, audience=Notice.Audience.ROLES, roles=[Role.INSTRUCTOR, Role.INSPECTOR], fields_text="")
    assert set(notice.recipients.values_list("user", flat=True)) == {world.instructor_user.pk, world.inspector.pk}
    with pytest.raises(ValidationError) as nobody:
        publish(world, audience=Notice.Audience.BRANCHES, branches=[])
    assert "audience" in nobody.value.message_dict


def test_read_once_reply_revise_until_the_deadline(world, in_park):
    notice = publish(world)
    access = park_access(world.secretary, world.park)
    recipient = notices.recipients_of(notice, access)[0]
    assert notices.notice_read(notice=notice, access=access, actor=world.secretary) == 1
    assert notices.notice_read(notice=notice, access=access, actor=world.secretary) == 0  # the first read only
    data = answers(notice, 本支部党员人数="十二", 是否参加="也许", 会议日期="2026-13-01")
    with pytest.raises(ValidationError) as bad:
        notices.notice_reply(notice=notice, recipient=recipient, access=access, actor=world.secretary, data=data, files={}, today=TODAY)
    assert sorted(m for ms in bad.value.message_dict.values() for m in ms) == sorted(
        ["“本支部党员人数”应为数字。", "“是否参加”应从以下选项中选择：参加、不参加。", "“会议日期”应为日期，例如2026-11-21。"])
    sign_in_sheet = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    file_key = answers(notice, 签到表="")
    notices.notice_reply(notice=notice, recipient=recipient, access=access, actor=world.secretary, today=TODAY,
                         data=answers(notice, 本支部党员人数="12", 参会人员名单="张三、李四", 是否参加="参加"),
                         files={next(iter(file_key)): sign_in_sheet})
    notices.notice_reply(notice=notice, recipient=recipient, access=access, actor=world.secretary, today=date(2026, 11, 30),
                         data=answers(notice, 本支部党员人数="13", 参会人员名单="张三、李四", 是否参加="参加"), files={})  # revised on the last day
    recipient.refresh_from_db()
    assert sorted(recipient.answers.values()) == sorted(["13", "张三、李四", "参加", "", "签到表.pdf"])
    with pytest.raises(ValidationError) as closed:
        notices.notice_reply(notice=notice, recipient=recipient, access=access, actor=world.secretary, data={}, files={}, today=date(2026, 12, 1))
    assert closed.value.messages == ["已过回复截止日期（2026-11-30），不能再回复或修改。"]


def test_another_branch_cannot_answer_or_see(world, in_park):
    notice = publish(world, audience=Notice.Audience.BRANCHES, branches=[world.branch])
    stranger = UserFactory(username="other_secretary")
    elsewhere = OrganisationFactory(park=world.park, parent=world.work_committee)
    RoleAssignmentFactory(user=stranger, role=Role.BRANCH_SECRETARY, county=world.park.county, park=world.park, organisation=elsewhere)
    access = park_access(stranger, world.park)
    assert notices.recipients_of(notice, access) == []
    assert not notices.visible_notices(Notice.objects.filter(park=world.park), access).exists()
    with pytest.raises(ValidationError):
        notices.notice_reply(notice=notice, recipient=notice.recipients.get(), access=access, actor=stranger, data={}, files={}, today=TODAY)


def test_reminders_go_to_who_has_not_read_or_replied_and_the_sheet_has_a_row_each(world, in_park):
    second = OrganisationFactory(park=world.park, parent=world.work_committee, name="乙支部")
    second_secretary = UserFactory(username="yi_secretary")
    RoleAssignmentFactory(user=second_secretary, role=Role.BRANCH_SECRETARY, county=world.park.county, park=world.park, organisation=second)
    notice = publish(world)
    access = park_access(world.secretary, world.park)
    recipient = notices.recipients_of(notice, access)[0]
    notices.notice_reply(notice=notice, recipient=recipient, access=access, actor=world.secretary, data=answers(notice, 本支部党员人数="12"), files={}, today=TODAY)
    assert notices.notice_remind(notice=notice, actor=world.admin, today=TODAY) == 1
    assert Notification.objects.filter(key__startswith=f"notice-remind:{notice.pk}").get().user == second_secretary
    assert notices.notice_remind(notice=notice, actor=world.admin, today=TODAY) == 0  # once a day
    rows = list(load_workbook(io.BytesIO(notices.replies_xlsx(notice))).active.iter_rows(values_only=True))
    assert rows[0] == ("接收方", "首次阅读", "回复时间", "本支部党员人数", "参会人员名单", "是否参加", "会议日期", "签到表")
    by_branch = {r[0]: r for r in rows[1:]}
    assert by_branch[world.branch.name][3] == "12" and by_branch["乙支部"][1:3] == ("未读", "未回复")
    assert NoticeRecipient.objects.filter(notice=notice).count() == 2
