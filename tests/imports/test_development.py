"""发展党员台账 through the import pipeline: people on the roster, each date checked by the rules a step
is recorded by (members.development.step_errors), the member moved as recording would, round trips."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.spreadsheets import write_xlsx
from imports.export import export_headers, export_rows
from imports.pipeline import apply_import, plan_import
from members.development import STEPS
from members.models import DevelopmentStep, Member
from members.selectors import development_due
from members.services import development_step_record
from tests.imports.helpers import csv_bytes, xlsx
from tests.members.factories import MemberFactory, valid_id_number

TODAY = date(2026, 11, 20)
HEADER = ["姓名", "身份证号", "递交入党申请书", "谈话日期", "确定为入党积极分子", "确定为发展对象", "公示日期", "支部大会接收", "上级党委审批日期"]
# Friday 26 September 2025: five working days of the 2025 calendar are Sep 26, 28 (调休), 29, 30 and Oct 9.
ZHOU = ["2024-03-01", "2024-03-20", "2024-05-01", "2025-05-06", "2025-09-26", "2025-10-10", "2025-11-05"]


@pytest.fixture
def people(world, in_park, holiday_calendar):
    zhou = MemberFactory(park=world.park, branch=world.branch, name="周敏", stage="applicant", joined_on=None, full_on=None,
                         id_number=valid_id_number("19980506"))
    wu = MemberFactory(park=world.park, branch=world.branch, name="吴刚", stage="applicant", joined_on=None, full_on=None,
                       id_number=valid_id_number("19950101"))
    return zhou, wu


def plan(park, rows):
    return plan_import(park=park, kind="development", data=xlsx(rows), filename="发展党员台账.xlsx", today=TODAY)


def run(world, rows):
    result = plan(world.park, rows)
    if not result.errors:
        apply_import(park=world.park, plan=result, actor=world.admin, target=world.park)
    return result


def steps(member):
    return dict(DevelopmentStep.objects.filter(member=member).values_list("step", "on"))


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_ledger_of_stage_dates_records_the_steps_and_moves_the_member(world, people):
    zhou, wu = people
    result = run(world, [HEADER, ["周敏", zhou.id_number, *ZHOU], ["吴刚", wu.id_number, "2026-10-09", "", "", "", "", "", ""]])
    assert result.summary == "created 0, updated 2, unchanged 0, errors 0"
    assert steps(zhou) == dict(zip(["apply", "talk", "recommend", "candidate", "publicity", "admit", "approve"],
                                   [date.fromisoformat(d) for d in ZHOU]))
    zhou.refresh_from_db()
    assert (zhou.stage, zhou.applied_on, zhou.activist_on, zhou.candidate_on, zhou.joined_on) == (
        "probationary", date(2024, 3, 1), date(2024, 5, 1), date(2025, 5, 6), date(2025, 10, 10))
    wu.refresh_from_db()
    assert (wu.stage, wu.applied_on) == ("applicant", date(2026, 10, 9))
    # The steps the ledger leaves out stay unrecorded; what is due is the step after the furthest one.
    due = dict((m.name, d.code) for m, d in development_due(park=world.park))
    assert due == {"周敏": "approve_file", "吴刚": "talk"}
    # Recording goes on from there, by the page's rules.
    development_step_record(park=world.park, actor=world.admin, member=zhou, step="approve_file", on=date(2025, 11, 10), today=TODAY)
    # Exported and imported again: nothing to do.
    rows = list(export_rows(park=world.park, kind="development", show_id=True))
    again = plan_import(park=world.park, kind="development", data=write_xlsx(export_headers("development"), rows, title="发展党员台账"),
                        filename="export.xlsx", today=TODAY)
    assert again.summary == "created 0, updated 0, unchanged 2, errors 0"
    assert export_headers("development") == ["姓名", "身份证号", *(s.name for s in STEPS)]


def test_each_timing_rule_is_checked_with_its_step_its_rule_and_its_article_and_nothing_is_written(world, people):
    zhou, wu = people
    late_talk = ["周敏", zhou.id_number, "2024-03-01", "2024-04-02", "", "", "", "", ""]
    early = ["吴刚", wu.id_number, "2024-03-01", "2024-03-20", "2024-05-01", "2025-04-30", "2025-09-26", "2025-10-09", "2026-02-11"]
    result = run(world, [HEADER, late_talk, early])
    assert errors(result) == [
        (2, "谈话日期", "谈话应在收到入党申请书（2024-03-01）后一个月内进行（细则第七条）。"),
        (3, "支部大会接收", "公示自 2025-09-26 起 5 个工作日，至 2025-10-09 期满；支部大会须在公示期满后召开。"),
        (3, "上级党委审批日期", "上级党委应在支部大会通过（2025-10-09）后三个月内审批。"),
    ]
    assert not DevelopmentStep.objects.filter(park=world.park).exists()
    # With the windows kept, the member's own rule holds too: a year as activist before 发展对象.
    early[7], early[8] = "2025-10-10", "2025-11-05"
    result = run(world, [HEADER, early])
    assert errors(result) == [(2, "确定为发展对象", "入党积极分子须经一年以上培养才能列为发展对象：2024-05-01确定为积极分子，最早2025-05-01。")]
    out_of_order = ["吴刚", wu.id_number, "2024-03-01", "2024-02-20", "", "", "", "", ""]
    assert errors(run(world, [HEADER, out_of_order])) == [(2, "谈话日期", "“党组织派人谈话”的日期不能早于上一步“递交入党申请书”（2024-03-01）。")]
    future = ["吴刚", wu.id_number, "2026-12-01", "", "", "", "", "", ""]
    assert errors(run(world, [HEADER, future]))[0][2] == "“递交入党申请书”的日期不能晚于今天。"
    assert not DevelopmentStep.objects.filter(park=world.park).exists()
    assert Member.objects.get(pk=wu.pk).stage == "applicant"


def test_a_step_on_record_is_never_changed_and_the_roster_is_never_overwritten(world, people, other):
    zhou, wu = people
    development_step_record(park=world.park, actor=world.admin, member=zhou, step="apply", on=date(2024, 3, 1), today=TODAY)
    result = run(world, [HEADER, ["周敏", zhou.id_number, "2024-03-02", "", "", "", "", "", ""]])
    assert errors(result)[0][1:] == ("递交入党申请书", "“递交入党申请书”已于 2024-03-01 记录，与本行的 2024-03-02 不符：已记录的步骤不在导入中更改，请在人员的发展党员纪实页更正。")
    # The same date is no change; a later step after it is checked against it.
    result = run(world, [HEADER, ["周敏", zhou.id_number, "2024-03-01", "2024-03-15", "", "", "", "", ""]])
    assert result.summary == "created 0, updated 1, unchanged 0, errors 0"
    # A roster 入党日期 that the ledger's 支部大会 date contradicts is an error, not an overwrite.
    member = MemberFactory(park=world.park, branch=world.branch, name="郑洁", stage="probationary", joined_on=date(2025, 10, 1), full_on=None,
                           id_number=valid_id_number("19900303"))
    result = run(world, [HEADER, ["郑洁", member.id_number, "", "", "", "", "", "2025-10-10", ""]])
    assert errors(result) == [(2, "支部大会接收", "花名册记载的入党日期为 2025-10-01，与“支部大会讨论接收预备党员”的日期 2025-10-10 不符：请先核对花名册。")]
    # Who is not on this park's roster, or under another name, is named as such.
    stranger = MemberFactory(park=other.park, branch=other.branch, name="外园", id_number=valid_id_number("19880808"))
    result = run(world, [HEADER, ["外园", stranger.id_number, "2024-01-01", "", "", "", "", "", ""],
                         ["周某", zhou.id_number, "", "", "", "", "", "", ""]])
    assert errors(result) == [
        (2, "身份证号", "本园区花名册中没有这个身份证号：请先在党员花名册中登记此人。"),
        (3, "姓名", "花名册中该身份证号的人员为“周敏”，与本行姓名不符。"),
    ]


def test_hostile_cells_get_a_message_not_a_crash(world, people):
    zhou, _ = people
    rows = [HEADER, ["周敏", zhou.id_number, "9999-99-99", "=1+1", "\x00", "0001-01-01", "", "", ""], ["", "", "", "", "", "", "", "", ""]]
    result = plan_import(park=world.park, kind="development", data=csv_bytes(rows), filename="台账.csv", today=TODAY)
    assert [column for _, column, _ in errors(result)] == ["递交入党申请书", "谈话日期", "确定为入党积极分子", "确定为发展对象"]
    messages = [message for _, _, message in errors(result)]
    assert all(message.startswith("无法识别的日期") for message in messages[:3])
    assert messages[3].startswith("日期0001-01-01不在合理范围内：应在1900年至")  # the forms' rule, word for word
    assert not DevelopmentStep.objects.filter(park=world.park).exists()


def test_the_page_goes_forward_from_an_imported_history_and_sends_earlier_steps_to_the_import(world, people):
    zhou, _ = people
    run(world, [HEADER, ["周敏", zhou.id_number, "2024-03-01", "", "2024-05-01", "", "", "", ""]])
    with pytest.raises(ValidationError) as refused:
        development_step_record(park=world.park, actor=world.admin, member=zhou, step="talk", on=date(2024, 3, 20), today=TODAY)
    assert refused.value.message_dict == {"on": [
        "已记录到“推荐和确定入党积极分子”，“党组织派人谈话”在它之前：补记更早的步骤请通过发展党员台账导入，以便与其后各步一并核对时限。"]}
    # Through the import, the filled gap is checked against the steps on either side of it.
    assert errors(run(world, [HEADER, ["周敏", zhou.id_number, "", "2024-05-02", "", "", "", "", ""]])) == [
        (2, "谈话日期", "谈话应在收到入党申请书（2024-03-01）后一个月内进行（细则第七条）。"),
        (2, "确定为入党积极分子", "“推荐和确定入党积极分子”的日期不能早于上一步“党组织派人谈话”（2024-05-02）。")]
    assert run(world, [HEADER, ["周敏", zhou.id_number, "", "2024-03-20", "", "", "", "", ""]]).summary == (
        "created 0, updated 1, unchanged 0, errors 0")
