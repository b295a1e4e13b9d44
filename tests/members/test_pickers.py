"""The member picker: its search answers only the members the user may see, at most PICK_LIMIT, by
name or the ID's last four, never with or for a whole ID number; the forms that use it (points,
sign-up, nominations) render none of the roster and refuse a forged id in Chinese."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from activities.models import SignUp
from core.pickers import PICK_LIMIT
from cycle.models import Nomination
from members.models import Member
from points.models import PointEntry
from tests.activities.factories import ParkActivityFactory
from tests.cycle.factories import HalfYearSummaryFactory
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MSG_REFUSED = "所选党员不在您可选择的范围内，请重新搜索选择。"


def pick(client, world, q, **params):
    return client.get(reverse("members:pick", args=[world.park.code]), {"q": q, **params})


def found(response) -> list[int]:
    return [int(v) for v in re.findall(r'data-value="(\d+)"', response.content.decode())]


def other_branch(world, name="第二党支部"):
    return OrganisationFactory(park=world.park, parent=world.work_committee, name=name)


def many_members(world, n: int, name: str = "花名册人员") -> list[Member]:
    with scopes_disabled():
        return Member.objects.bulk_create(
            MemberFactory.build_batch(n, park=world.park, branch=world.branch, name=factory_name(name))
        )


def factory_name(prefix):
    import factory

    return factory.Sequence(lambda n: f"{prefix}{n:04d}")


# --- The search: scope -----------------------------------------------------------------------------
def test_another_parks_namesake_never_appears(client, world, other):
    mine = MemberFactory(park=world.park, branch=world.branch, name="周磊")
    theirs = MemberFactory(park=other.park, branch=other.branch, name="周磊")
    for user in (world.admin, world.inspector, world.secretary):
        client.force_login(user)
        response = pick(client, world, "周磊")
        assert response.status_code == 200
        assert found(response) == [mine.pk]
        assert theirs.pk not in found(response)


def test_a_secretary_never_sees_another_branchs_member(client, world):
    mine = MemberFactory(park=world.park, branch=world.branch, name="周磊")
    elsewhere = MemberFactory(park=world.park, branch=other_branch(world), name="周磊")
    client.force_login(world.secretary)
    assert found(pick(client, world, "周")) == [mine.pk]
    client.force_login(world.admin)
    assert sorted(found(pick(client, world, "周磊"))) == sorted([mine.pk, elsewhere.pk])
    with scopes_disabled():
        tail = Member.objects.get(pk=elsewhere.pk).id_number[-4:]
    client.force_login(world.secretary)
    assert elsewhere.pk not in found(pick(client, world, tail))


def test_roles_without_the_roster_are_refused(client, world):
    client.force_login(world.instructor_user)
    assert pick(client, world, "周").status_code == 403


def test_namesakes_are_told_apart_by_branch_and_id_tail_never_the_whole_number(client, world):
    first, second = valid_id_number(n=11), valid_id_number(n=22)
    a = MemberFactory(park=world.park, branch=world.branch, name="周磊", id_number=first)
    b = MemberFactory(park=world.park, branch=other_branch(world, "第二党支部"), name="周磊", id_number=second)
    client.force_login(world.admin)
    content = pick(client, world, "周磊").content.decode()
    assert sorted(found(pick(client, world, "周磊"))) == sorted([a.pk, b.pk])
    assert f"{world.branch.name} · 身份证尾号{first[-4:]}" in content
    assert f"第二党支部 · 身份证尾号{second[-4:]}" in content
    assert first not in content and second not in content
    assert first[6:14] not in content  # the birth date is never shown either


def test_the_last_four_find_the_member_whatever_the_case_or_width(client, world):
    number = next(n for n in (valid_id_number(n=k) for k in range(100, 200)) if n.endswith("X"))
    m = MemberFactory(park=world.park, branch=world.branch, name="李娜", id_number=number)
    MemberFactory(park=world.park, branch=world.branch, name="王强")
    client.force_login(world.admin)
    tail = number[-4:]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in tail.lower())  # １２３ｘ
    for q in (tail, tail.lower(), full_width):
        assert found(pick(client, world, q)) == [m.pk], q


def test_a_member_saved_by_the_service_is_found_by_the_last_four(client, world):
    from members import services

    number = valid_id_number(birth="19900101", n=35)
    with scopes_disabled():
        m = services.member_create(park=world.park, actor=world.admin, id_number=number, name="赵敏", branch=world.branch,
                                   stage=Member.Stage.APPLICANT, applied_on=date(2026, 1, 5))
    client.force_login(world.admin)
    assert found(pick(client, world, number[-4:])) == [m.pk]


def test_scopes_narrow_to_what_the_form_accepts(client, world):
    activist = MemberFactory(park=world.park, branch=world.branch, name="张积极", stage=Member.Stage.ACTIVIST,
                             joined_on=None, full_on=None)
    full = MemberFactory(park=world.park, branch=world.branch, name="张正式")
    gone = MemberFactory(park=world.park, branch=world.branch, name="张去世", status=Member.Status.DECEASED)
    client.force_login(world.admin)
    assert sorted(found(pick(client, world, "张"))) == sorted([activist.pk, full.pk, gone.pk])
    assert sorted(found(pick(client, world, "张", scope="roll"))) == sorted([activist.pk, full.pk])
    assert found(pick(client, world, "张", scope="activists")) == [activist.pk]


def test_the_exact_name_comes_first(client, world):
    longer = MemberFactory(park=world.park, branch=world.branch, name="王磊磊")
    exact = MemberFactory(park=world.park, branch=world.branch, name="王磊")
    middle = MemberFactory(park=world.park, branch=world.branch, name="陈王磊")
    client.force_login(world.admin)
    assert found(pick(client, world, "王磊")) == [exact.pk, longer.pk, middle.pk]


# --- The search: bounds and hostile queries ----------------------------------------------------------
def test_at_most_pick_limit_matches_and_a_note_when_there_are_more(client, world):
    many_members(world, PICK_LIMIT + 15)
    client.force_login(world.admin)
    response = pick(client, world, "花名册")
    assert len(found(response)) == PICK_LIMIT
    assert f"只列出前{PICK_LIMIT}条" in response.content.decode()
    assert response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("q", "status", "message"), [
    ("", 200, "请输入姓名或身份证号后四位。"),
    ("   ", 200, "请输入姓名或身份证号后四位。"),
    ("周" * 33, 400, "搜索内容过长"),
    ("周" * 5000, 400, "搜索内容过长"),
    ("周\x00磊", 400, "搜索内容含有无效字符"),
    ("\x1b[31m", 400, "搜索内容含有无效字符"),
    ("' OR 1=1 --", 200, "没有找到符合条件的党员"),
    ("%", 200, "没有找到符合条件的党员"),
    ("_", 200, "没有找到符合条件的党员"),
    ("周磊'); DROP TABLE members_member; --", 400, "搜索内容过长"),
    ("12345", 400, "请只输入身份证号后四位"),
    ("1985031", 400, "请只输入身份证号后四位"),
])
def test_hostile_queries_answer_in_chinese_never_500(client, world, q, status, message):
    MemberFactory(park=world.park, branch=world.branch, name="周磊")
    client.force_login(world.admin)
    response = pick(client, world, q)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not found(response)


def test_a_whole_id_number_is_refused_and_never_echoed(client, world):
    number = valid_id_number()
    MemberFactory(park=world.park, branch=world.branch, name="周磊", id_number=number)
    client.force_login(world.admin)
    for q in (number, number.lower(), f"周磊{number}", number[:15]):
        response = pick(client, world, q)
        assert response.status_code == 400
        content = response.content.decode()
        assert "请只输入身份证号后四位，不要输入完整身份证号。" in content
        assert number[:15] not in content


def test_an_unknown_scope_is_400_in_chinese(client, world):
    client.force_login(world.admin)
    response = pick(client, world, "周", scope="everyone'--")
    assert response.status_code == 400
    assert "选择范围无效" in response.content.decode()


def test_the_search_is_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    many_members(world, 60, name="周")
    client.force_login(world.admin)
    pick(client, world, "周")
    with django_assert_max_num_queries(12):
        assert len(found(pick(client, world, "周"))) == PICK_LIMIT


# --- The forms -----------------------------------------------------------------------------------
def points_url(world, name="points"):
    return reverse(f"points:{name}", args=[world.park.code])


def test_the_points_page_holds_none_of_the_roster(client, world):
    client.force_login(world.admin)
    small = len(client.get(points_url(world)).content)
    members = many_members(world, 400)
    response = client.get(points_url(world))
    content = response.content.decode()
    assert response.status_code == 200
    assert not any(m.name in content for m in members)
    assert len(response.content) < small + 2000  # bounded: the page does not grow with the roster
    assert 'role="combobox"' in content and reverse("members:pick", args=[world.park.code]) in content


def test_points_are_saved_for_a_picked_member(client, world):
    m = MemberFactory(park=world.park, branch=world.branch, name="周磊")
    client.force_login(world.secretary)
    data = {"member": m.pk, "category": "care", "points": 5, "month": "2026-11", "reason": "志愿服务"}
    response = client.post(points_url(world, "add"), data)
    assert response.status_code == 302
    with scopes_disabled():
        assert PointEntry.objects.get().member_id == m.pk


@pytest.mark.parametrize("forged", ["other_park", "other_branch", "not_a_number", "nul", "huge"])
def test_a_forged_member_is_refused_in_chinese(client, world, other, forged):
    value = {
        "other_park": lambda: MemberFactory(park=other.park, branch=other.branch).pk,
        "other_branch": lambda: MemberFactory(park=world.park, branch=other_branch(world)).pk,
        "not_a_number": lambda: "1 OR 1=1",
        "nul": lambda: "1\x00",
        "huge": lambda: "9" * 40,
    }[forged]()
    client.force_login(world.secretary)
    data = {"member": value, "category": "care", "points": 5, "month": "2026-11", "reason": "志愿服务"}
    response = client.post(points_url(world, "add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["member"] == [MSG_REFUSED]
    assert MSG_REFUSED in response.content.decode()
    with scopes_disabled():
        assert not PointEntry.objects.exists()


def test_after_an_error_the_chosen_member_is_shown_again(client, world):
    m = MemberFactory(park=world.park, branch=world.branch, name="周磊")
    client.force_login(world.admin)
    response = client.post(points_url(world, "add"), {"member": m.pk, "category": "care", "points": 500, "month": "2026-11", "reason": "x"})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<input type="hidden" name="member" value="{m.pk}">' in content
    assert "周磊" in content


def test_the_activists_card_accepts_activists_only(client, world):
    full = MemberFactory(park=world.park, branch=world.branch)
    client.force_login(world.admin)
    data = {"member": full.pk, "political": 20, "discipline": 20, "solidarity": 20, "performance": 20}
    response = client.post(points_url(world, "card_save"), data)
    assert response.context["form"].errors["member"] == [MSG_REFUSED]


def test_sign_up_page_is_bounded_saves_and_refuses_a_forged_member(client, world, other):
    activity = ParkActivityFactory(park=world.park)
    members = many_members(world, 300)
    url = reverse("activities:park_activity", args=[world.park.code, activity.pk])
    create = reverse("activities:signup_create", args=[world.park.code, activity.pk])
    client.force_login(world.admin)
    content = client.get(url).content.decode()
    assert not any(m.name in content for m in members)
    response = client.post(create, {"member": MemberFactory(park=other.park, branch=other.branch).pk})
    assert response.status_code == 200 and MSG_REFUSED in response.content.decode()
    assert client.post(create, {"member": members[0].pk}).status_code == 302
    with scopes_disabled():
        assert SignUp.objects.get().member_id == members[0].pk


def test_a_nomination_is_saved_with_a_picked_member_and_refuses_another_branchs(client, world):
    summary = HalfYearSummaryFactory(park=world.park, nominations_due=date(2099, 6, 30))
    mine = MemberFactory(park=world.park, branch=world.branch, name="周磊")
    theirs = MemberFactory(park=world.park, branch=other_branch(world), name="周磊")
    many_members(world, 200)
    url = reverse("cycle:nomination_create", args=[world.park.code, summary.pk])
    client.force_login(world.secretary)
    page = client.get(reverse("cycle:halfyear", args=[world.park.code, summary.pk])).content.decode()
    assert "花名册人员0001" not in page
    data = {"branch": world.branch.pk, "kind": Nomination.Kind.MEMBER, "reason": "带头作用突出"}
    response = client.post(url, {**data, "member": theirs.pk})
    assert response.status_code == 200 and MSG_REFUSED in response.content.decode()
    assert client.post(url, {**data, "member": mine.pk}).status_code == 302
    with scopes_disabled():
        assert Nomination.objects.get().member_id == mine.pk


def test_members_imported_from_a_roster_are_found_by_the_last_four(client, world, in_park):
    from imports.services import import_direct
    from tests.imports.helpers import MEMBER_HEADER, id_ending_in_x, member_row, xlsx

    number = id_ending_in_x("19800101")
    rows = [MEMBER_HEADER, member_row("孙悟", number, world.branch.name)]
    assert import_direct(park=world.park, actor=None, kind="members", data=xlsx(rows), filename="roster.xlsx").summary.startswith("created 1")
    client.force_login(world.admin)
    assert found(pick(client, world, number[-4:].lower())) == [Member.objects.get(name="孙悟").pk]


def test_the_migration_fills_the_tail_of_members_saved_before_it(world):
    from importlib import import_module

    from django.apps import apps

    from core.crypto import id_tail_hash

    number = valid_id_number()
    m = MemberFactory(park=world.park, branch=world.branch, id_number=number)
    with scopes_disabled():
        Member.objects.filter(pk=m.pk).update(id_tail_hash="")
        import_module("members.migrations.0008_member_id_tail_hash").fill_tail_hashes(apps, None)
        assert Member.objects.get(pk=m.pk).id_tail_hash == id_tail_hash(number[-4:])
