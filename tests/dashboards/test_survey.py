"""The 六个清 survey: snapshots computed from the records as of a survey day, taken once per park and
day by the daily job on the county's survey days, and compared side by side on the county's page."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from audit.models import AuditEntry
from config.celery import app
from core.roles import Role
from core.tenancy.scoping import park_scope
from dashboards.models import SurveySettings, SurveySnapshot, parse_survey_days
from dashboards.survey import (
    compare,
    compare_county,
    compute_snapshots,
    counties_surveying_on,
    county_total,
    survey_days,
    take_snapshots,
)
from dashboards.tasks import survey_all_parks
from members.models import Member
from orgs.models import Enterprise, Organisation
from orgs.selectors import coverage_by_park
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.conftest import make_park_world
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import (
    CountyFactory,
    CoverageFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

JAN, JUL = date(2026, 1, 1), date(2026, 7, 1)
FORMULA = "=HYPERLINK(\"http://evil\",\"x\")"


def person(world, name, *, stage=Member.Stage.FULL, branch=None, **kwargs):
    party = stage in (Member.Stage.PROBATIONARY, Member.Stage.FULL)
    defaults = {"joined_on": date(2010, 7, 1) if party else None, "full_on": date(2011, 7, 1) if stage == "full" else None}
    return MemberFactory(park=world.park, branch=branch or world.branch, name=name, stage=stage, **{**defaults, **kwargs})


@pytest.fixture
def roster(world):
    """Park A as of 1 July 2026, with what must and must not count (the comments say why)."""
    w = world
    b2 = OrganisationFactory(park=w.park, parent=w.work_committee, name="二支部", founded_on=date(2025, 1, 1))
    b3 = OrganisationFactory(park=w.park, parent=w.work_committee, name="三支部", dissolved_on=date(2026, 5, 1))  # dissolved before
    OrganisationFactory(park=w.park, parent=w.work_committee, name="临时支部", formation="temporary", ends_on=date(2026, 6, 30))  # ended
    OrganisationFactory(park=w.park, parent=w.branch, name="一组", kind="group", formation="", founded_on=date(2026, 8, 1))  # not yet
    e1 = EnterpriseFactory(park=w.park, name="甲公司", ownership="private", employees=100, moved_in_on=date(2020, 1, 1))
    e2 = EnterpriseFactory(park=w.park, name="乙公司", ownership="foreign", employees=40)
    e3 = EnterpriseFactory(park=w.park, name="丙公司", employees=30, status="moved_out", moved_out_on=date(2026, 3, 1))  # moved out before
    e4 = EnterpriseFactory(park=w.park, name="丁公司", ownership="state", employees=10, status="moved_out", moved_out_on=date(2026, 9, 1))
    EnterpriseFactory(park=w.park, name="戊公司", employees=500, moved_in_on=date(2026, 8, 1))  # moves in after
    CoverageFactory(organisation=w.branch, enterprise=e1)
    CoverageFactory(organisation=b2, enterprise=e4)
    CoverageFactory(organisation=b3, enterprise=e2)  # its organisation is gone: e2 not covered
    InstructorAssignmentFactory(instructor=InstructorFactory(park=w.park), enterprise=e2, starts_on=date(2026, 1, 1))
    InstructorAssignmentFactory(instructor=InstructorFactory(park=w.park, is_active=False), enterprise=e1, starts_on=date(2026, 1, 1))
    people = {
        "m1": person(w, "张一", enterprise=e1, gender="M", education="bachelor"),
        "m2": person(w, "李二", stage="probationary", enterprise=e3, gender="F", status="mobile", joined_on=date(2026, 3, 1)),
        "m3": person(w, "王三", stage="activist", enterprise=e1, gender="F", education="college"),
        "m4": person(w, "赵四", enterprise=e1, gender="M", status="transferred_out"),  # off the roll
        "m5": person(w, "钱五", branch=b2, enterprise=e4, gender="M", education="bachelor"),
    }
    return {"b2": b2, "b3": b3, "e1": e1, "e2": e2, "e4": e4, **people}


def snapshot_data(park, day):
    with park_scope(park):
        return compute_snapshots(parks=[park], day=day)[park.pk]


def test_snapshot_by_hand(world, roster):
    data = snapshot_data(world.park, JUL)
    r = roster
    assert data["entities"]["total"] == 3  # 甲, 乙, 丁 (丁 moves out only in September)
    assert data["entities"]["by_ownership"] == {"private": 1, "foreign": 1, "state": 1, "collective": 0, "social": 0}
    assert data["entities"]["list"] == [
        {"id": e.pk, "name": e.name, "credit_code": e.credit_code} for e in sorted([r["e1"], r["e2"], r["e4"]], key=lambda e: e.name)
    ]
    assert data["employees"] == {"total": 150, "party_members": 2}  # 张一 at 甲, 钱五 at 丁; 李二's 丙 is gone
    organisations = data["organisations"]
    assert organisations["total"] == 3
    assert organisations["by_kind"]["work_committee"] == 1 and organisations["by_kind"]["branch"] == 2
    assert sum(organisations["by_kind"].values()) == 3
    assert organisations["by_formation"] == {"single": 1, "joint": 0, "attached": 0, "temporary": 0, "fallback": 1}
    assert organisations["coverage"] == {
        "enterprises": 3, "org_covered": 2, "work_covered": 3, "org_rate": 66.7, "work_rate": 100.0,
    }
    assert data["structure"] == [
        {"id": world.work_committee.pk, "name": world.work_committee.name, "kind": "work_committee", "parent_id": None},
        {"id": world.branch.pk, "name": "alpha第一党支部", "kind": "branch", "parent_id": world.work_committee.pk},
        {"id": r["b2"].pk, "name": "二支部", "kind": "branch", "parent_id": world.work_committee.pk},
    ]
    members = data["members"]
    assert members["total"] == 4 and members["party_members"] == 3
    assert members["by_stage"] == {"applicant": 0, "activist": 1, "candidate": 0, "probationary": 1, "full": 2}
    assert members["by_gender"] == {"M": 2, "F": 2}
    assert members["by_education"]["bachelor"] == 2 and members["by_education"]["college"] == 1
    assert members["by_education"][""] == 1
    assert {m["name"] for m in members["list"]} == {"张一", "李二", "王三", "钱五"}
    assert members["list"][0].keys() == {"id", "name", "branch", "stage"}  # names only: never an ID number
    assert data["instructors"] == {"active": 1, "enterprises_with": 1, "enterprises_without": 2}


def test_coverage_agrees_with_the_coverage_selector_on_a_live_day(world, roster):
    """Where no enterprise moves in or out after the day, the survey's coverage is orgs.selectors'."""
    day = date(2026, 6, 1)
    with park_scope(world.park):
        Enterprise.objects.filter(pk=roster["e4"].pk).update(status="active", moved_out_on=None)
        Enterprise.objects.filter(moved_in_on__gt=day).delete()
        expected = coverage_by_park(parks=[world.park], on=day)[world.park.pk]
    coverage = snapshot_data(world.park, day)["organisations"]["coverage"]
    assert (coverage["enterprises"], coverage["org_covered"], coverage["work_covered"]) == (
        expected.enterprises, expected.org_covered, expected.work_covered,
    )
    assert (coverage["org_rate"], coverage["work_rate"]) == (expected.org_rate, expected.work_rate)


def test_no_id_number_is_ever_in_a_snapshot(world):
    number = valid_id_number("19850312", n=321)
    MemberFactory(park=world.park, branch=world.branch, id_number=number)
    take_snapshots(parks=[world.park], day=JUL)
    with scopes_disabled():
        stored = str(SurveySnapshot.objects.get().data)
    assert number not in stored and number[-7:] not in stored


def test_take_snapshots_is_idempotent_and_audited(world, other, roster):
    assert take_snapshots(county=world.park.county, day=JUL) == 2
    person(world, "孙六")  # the records change; the snapshot taken stays as taken
    assert take_snapshots(county=world.park.county, day=JUL) == 0
    with scopes_disabled():
        snapshot = SurveySnapshot.objects.get(park=world.park, taken_on=JUL)
        assert snapshot.data["members"]["total"] == 4
        entries = AuditEntry.objects.filter(action="survey.snapshot")
        assert sorted(entries.values_list("park_id", flat=True)) == sorted([world.park.pk, other.park.pk])
        assert entries.get(park=world.park).changes["members"] == [None, 4]


def test_a_run_killed_halfway_ends_as_one_clean_run(world, other):
    take_snapshots(parks=[world.park], day=JUL)  # the run that stopped after park A
    assert take_snapshots(county=world.park.county, day=JUL) == 1
    with scopes_disabled():
        assert SurveySnapshot.objects.filter(taken_on=JUL).count() == 2
        assert AuditEntry.objects.filter(action="survey.snapshot").count() == 2


def test_a_snapshot_is_never_changed(world):
    take_snapshots(parks=[world.park], day=JUL)
    with scopes_disabled():
        snapshot = SurveySnapshot.objects.get()
    snapshot.data = {}
    with pytest.raises(ValueError):
        snapshot.save()


def test_computing_takes_the_same_queries_for_one_park_and_for_two(world, other, roster):
    def count(parks):
        with park_scope(parks), CaptureQueriesContext(connection) as ctx:
            compute_snapshots(parks=parks, day=JUL)
        return len(ctx.captured_queries)

    assert count([world.park]) == count([world.park, other.park]) == 4


# --- Comparison ----------------------------------------------------------------------------------------
@pytest.fixture
def two_days(world, other):
    """January's snapshot, then the records change, then July's (as the job would take them)."""
    w = world
    e1 = EnterpriseFactory(park=w.park, name="甲公司", employees=100)
    e2 = EnterpriseFactory(park=w.park, name="乙公司", employees=40)
    old = OrganisationFactory(park=w.park, parent=w.work_committee, name="老支部")
    group = OrganisationFactory(park=w.park, parent=w.branch, name="一组", kind="group", formation="")
    m1 = person(w, "张一", enterprise=e1)
    m2 = person(w, "李二", enterprise=e2)
    EnterpriseFactory(park=other.park, name="外园公司", employees=20)
    take_snapshots(county=w.park.county, day=JAN)
    with park_scope(w.park):
        Enterprise.objects.filter(pk=e2.pk).update(status="moved_out", moved_out_on=date(2026, 3, 1))
        e3 = EnterpriseFactory(park=w.park, name="丙公司", employees=60, moved_in_on=date(2026, 4, 1))
        Organisation.objects.filter(pk=old.pk).update(dissolved_on=date(2026, 5, 1))
        new = OrganisationFactory(park=w.park, parent=w.work_committee, name="新支部", founded_on=date(2026, 2, 1))
        Organisation.objects.filter(pk=group.pk).update(parent=new)
        Member.objects.filter(pk=m2.pk).update(status="transferred_out")
        m3 = person(w, "王三", enterprise=e3)
    take_snapshots(county=w.park.county, day=JUL)
    return {"e1": e1, "e2": e2, "e3": e3, "old": old, "new": new, "group": group, "m1": m1, "m2": m2, "m3": m3}


def snapshots_of(day):
    with scopes_disabled():
        return {s.park_id: s.data for s in SurveySnapshot.objects.filter(taken_on=day)}


def test_comparison_by_hand(world, other, two_days):
    t = two_days
    before, after = snapshots_of(JAN), snapshots_of(JUL)
    c = compare(before[world.park.pk], after[world.park.pk])
    assert [e["name"] for e in c.enterprises.added] == ["丙公司"]
    assert [e["name"] for e in c.enterprises.removed] == ["乙公司"]
    assert [o["id"] for o in c.organisations.added] == [t["new"].pk]
    assert [o["id"] for o in c.organisations.removed] == [t["old"].pk]
    assert [(o["name"], o["parent_before"], o["parent_after"]) for o in c.reparented] == [("一组", world.branch.name, "新支部")]
    assert [m["name"] for m in c.members.added] == ["王三"]
    assert [m["name"] for m in c.members.removed] == ["李二"]
    changes = {(f.item, f.label): ch for f, ch in c.changes}
    assert (changes["entities", "企业总数"].before, changes["entities", "企业总数"].after) == (2, 2)
    assert changes["employees", "职工人数"].delta == 20  # 140 → 160
    assert changes["members", "在册人数"].delta == 0
    assert (changes["organisations", "党组织总数"].before, changes["organisations", "党组织总数"].after) == (4, 4)


def test_county_total_adds_the_parks_and_recomputes_the_rates(world, other, two_days):
    CoverageFactory(organisation=world.branch, enterprise=two_days["e1"])
    rows, total = compare_county([world.park, other.park], snapshots_of(JAN), snapshots_of(JUL))
    assert [row.label for row in rows] == [world.park.name, other.park.name]
    changes = {f.label: ch for f, ch in total.changes}
    assert (changes["企业总数"].before, changes["企业总数"].after) == (3, 3)
    assert (changes["职工人数"].before, changes["职工人数"].after) == (160, 180)
    assert [e["name"] for e in total.enterprises.added] == ["丙公司"]
    assert total.enterprises.added[0]["park"] == world.park.name
    summed = county_total([{"organisations": {"coverage": {"enterprises": 3, "org_covered": 1, "work_covered": 2, "org_rate": 33.3}}},
                           {"organisations": {"coverage": {"enterprises": 1, "org_covered": 1, "work_covered": 1, "org_rate": 100.0}}}])
    assert summed["organisations"]["coverage"] == {"enterprises": 4, "org_covered": 2, "work_covered": 3, "org_rate": 50.0, "work_rate": 75.0}


def test_a_park_without_a_snapshot_on_a_day_shows_nothing_changed_for_it(world):
    c = compare(None, snapshot_data(world.park, JUL))
    assert c.enterprises.added is None and c.members.removed is None
    assert all(ch.before is None and ch.delta is None for _, ch in c.changes)


# --- When: the settings, the job, the command ----------------------------------------------------------
def test_survey_days_parse_and_validate():
    assert parse_survey_days("01-01,07-01") == [(1, 1), (7, 1)]
    assert parse_survey_days("7月1日、1月1日，7-1") == [(1, 1), (7, 1)]
    for bad in ("", " , ", "02-30", "02-29", "13-01", "0-1", "first of July", "=1+1"):
        with pytest.raises(ValidationError):
            parse_survey_days(bad)


def test_settings_default_and_normalised(county):
    assert survey_days(county) == [(1, 1), (7, 1)]
    settings = SurveySettings(county=county, days="3月15日、09-1")
    settings.full_clean()
    settings.save()
    assert settings.days == "03-15,09-01"
    assert survey_days(county) == [(3, 15), (9, 1)]
    with pytest.raises(ValidationError):
        SurveySettings(county=CountyFactory(), days="04-31").full_clean()


def test_the_admin_keeps_the_county_settings(client, county, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    add = reverse("admin:dashboards_surveysettings_add")
    refused = client.post(add, {"county": county.pk, "days": "02-29"})
    assert refused.status_code == 200 and refused.content.decode().count("2月29日不是每年都有") == 1
    assert client.post(add, {"county": county.pk, "days": "1-1, 7-1"}).status_code == 302
    assert SurveySettings.objects.get(county=county).days == "01-01,07-01"
    assert client.get(reverse("admin:dashboards_surveysnapshot_changelist")).status_code == 200


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_the_job_takes_snapshots_on_survey_days_only(world, other, eager):
    foreign = make_park_world(CountyFactory(code="faraway"), "charlie")
    SurveySettings.objects.create(county=foreign.park.county, days="03-15")
    assert survey_all_parks("2026-07-02") == 0
    assert survey_all_parks("2026-03-15") == 1  # only the county that surveys that day
    assert survey_all_parks("2026-07-01") == 2  # the default days: alpha and bravo, not charlie
    assert survey_all_parks("2026-07-01") == 2  # sent again: still one snapshot each
    with scopes_disabled():
        assert sorted(SurveySnapshot.objects.values_list("park__code", "taken_on")) == [
            ("alpha", JUL), ("bravo", JUL), ("charlie", date(2026, 3, 15)),
        ]
    assert [c.code for c in counties_surveying_on(date(2027, 1, 1))] == ["demo"]


def test_the_job_skips_inactive_parks(world, other, eager):
    other.park.is_active = False
    other.park.save()
    assert survey_all_parks("2026-01-01") == 1


def test_command(world, other, capsys):
    call_command("take_survey", "--county", "demo", "--date", "2026-07-01")
    out = capsys.readouterr().out
    assert "demo: taken 2, already 0" in out and "补录" in out
    call_command("take_survey", "--date", "2026-07-01")
    assert "demo: taken 0, already 2" in capsys.readouterr().out
    call_command("take_survey", "--date", "2026-07-02")
    assert "不是任何区县的普查日" in capsys.readouterr().out
    for args, message in (
        (["--county", "demo", "--date", "2026-07-02"], "不是示范县的普查日"),
        (["--date", "2026-13-01"], "不是有效日期"),
        (["--date", "2999-07-01"], "尚未到来"),
        (["--county", "nowhere"], "没有代码"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("take_survey", *args)


# --- The county's pages --------------------------------------------------------------------------------
def survey_url(county="demo", **query):
    from urllib.parse import urlencode

    return reverse("county_survey", args=[county]) + ("?" + urlencode(query) if query else "")


def test_county_page_compares_the_latest_two_days(client, county_viewer, world, other, two_days):
    take_snapshots(county=world.park.county, day=date(2025, 7, 1))  # an older day: not the default
    client.force_login(county_viewer)
    response = client.get(survey_url())
    assert response.status_code == 200
    assert (response.context["choice"].before, response.context["choice"].after) == (JAN, JUL)
    page = response.content.decode()
    for text in ("一、经营主体", "二、从业人员", "三、党组织情况", "四、组织架构", "五、党员队伍", "六、党建指导员配备",
                 "丙公司", "乙公司", "新支部", "老支部", "全县合计", "2 → 2", "140 → 160"):
        assert text in page, text
    assert "王三" not in page  # members are counted on the overview; their names are on the park's detail
    detail = client.get(survey_url(a="2026-01-01", b="2026-07-01", park="alpha"))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "王三" in text and "李二" in text
    assert two_days["e3"].credit_code in text


def test_county_page_with_one_day_and_with_none(client, county_viewer, world):
    client.force_login(county_viewer)
    assert "尚无“六个清”快照" in client.get(survey_url()).content.decode()
    take_snapshots(county=world.park.county, day=JUL)
    response = client.get(survey_url())
    assert response.status_code == 200 and "尚无可对比的快照" in response.content.decode()


@pytest.mark.parametrize("query, message", [
    ({"a": "9999-99-99"}, "不是有效日期"),
    ({"a": "garbage"}, "不是有效日期"),
    ({"b": "2026-02-01"}, "2026年2月1日没有“六个清”快照"),
    ({"a": "2026-07-01", "b": "2026-07-01"}, "请选择两个不同的普查日"),
    ({"a": "2026-07-01\x00"}, "不是有效日期"),
    ({"a": "x" * 5000}, "不是有效日期"),
    ({"park": "nowhere"}, "本县没有代码为“nowhere”的园区"),
    ({"park": "<script>"}, "本县没有代码为“&lt;script&gt;”的园区"),
])
@pytest.mark.parametrize("name", ["county_survey", "county_survey_xlsx"])
def test_hostile_query_gets_a_chinese_message(client, county_viewer, world, two_days, query, message, name):
    from urllib.parse import urlencode

    client.force_login(county_viewer)
    response = client.get(reverse(name, args=["demo"]) + "?" + urlencode(query))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_county_viewer_of_another_county_and_park_users_see_no_survey(client, world, two_days):
    foreign = make_park_world(CountyFactory(code="faraway"), "charlie")
    stranger = UserFactory(username="stranger")
    RoleAssignmentFactory(user=stranger, role=Role.COUNTY_VIEWER, county=foreign.park.county)
    client.force_login(stranger)
    for name in ("county_survey", "county_survey_xlsx"):
        assert client.get(reverse(name, args=["demo"])).status_code == 404
        own = client.get(reverse(name, args=["faraway"]))
        assert own.status_code == 200 and "甲公司".encode() not in own.content
    for user in (world.admin, world.secretary, world.inspector, world.instructor_user):
        client.force_login(user)
        assert client.get(survey_url()).status_code == 404


def test_the_page_takes_the_same_queries_for_one_park_and_for_two(client, world, county_viewer):
    def queries():
        client.get(survey_url())  # warm: the session and the user
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(survey_url())
        assert response.status_code == 200
        return len(ctx.captured_queries)

    client.force_login(county_viewer)
    for day in (JAN, JUL):
        take_snapshots(parks=[world.park], day=day)
    one = queries()
    second = make_park_world(world.park.county, "delta")
    for day in (JAN, JUL):
        take_snapshots(parks=[second.park], day=day)
    assert queries() == one
    assert len(client.get(survey_url()).context["columns"]) == 3  # two parks and the total


def test_export_opens_with_a_title_row_and_no_formula(client, county_viewer, world, other, two_days):
    with park_scope(world.park):
        Enterprise.objects.filter(pk=two_days["e3"].pk).update(name=FORMULA)
    # the July snapshot already holds the old name; a new day's shows the hostile one as in/out
    take_snapshots(county=world.park.county, day=date(2026, 10, 1))
    client.force_login(county_viewer)
    response = client.get(reverse("county_survey_xlsx", args=["demo"]) + "?a=2026-01-01&b=2026-10-01")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["对比", "变动明细", "2026年1月1日快照", "2026年1月1日名单", "2026年10月1日快照", "2026年10月1日名单"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == "示范县“六个清”普查对比：2026年1月1日 与 2026年10月1日"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    details = [[c.value for c in row] for row in book["变动明细"].iter_rows(min_row=3)]
    assert [world.park.name, "经营主体", "迁入企业", "'" + FORMULA, two_days["e3"].credit_code] in details
    assert [world.park.name, "党员队伍", "减少人员", "李二", f"{world.branch.name}，正式党员"] in details
    listed = [[c.value for c in row] for row in book["2026年10月1日名单"].iter_rows(min_row=3)]
    assert [world.park.name, "经营主体", "'" + FORMULA, two_days["e3"].credit_code] in listed
    assert [world.park.name, "党员队伍", "王三", f"{world.branch.name}，正式党员"] in listed
    assert [world.park.name, "组织架构", "一组", "党小组，上级：新支部"] in listed
    compared = [[c.value for c in row] for row in book["对比"].iter_rows(min_row=2, max_row=2)]
    assert compared == [["项目", "指标", "园区", "2026年1月1日", "2026年10月1日", "增减"]]
