"""The enterprise picker: its search answers only the enterprises the user may see, at most
PICK_LIMIT, by name or credit code; the forms that link enterprises (an organisation's units, an
instructor's assignment, a demand, the member's work unit, the demands' filter) render none of the
roster and refuse a forged id in Chinese."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from core.pickers import PICK_LIMIT
from orgs.models import Enterprise, Organisation
from services.models import Demand
from tests.members.factories import MemberFactory
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    OrganisationFactory,
    ZoneFactory,
    valid_credit_code,
)

pytestmark = pytest.mark.django_db

MSG_REFUSED = "所选企业不在您可选择的范围内，请重新搜索选择。"


def pick(client, world, q, **params):
    return client.get(reverse("orgs:enterprise_pick", args=[world.park.code]), {"q": q, **params})


def found(response) -> list[int]:
    return [int(v) for v in re.findall(r'data-value="(\d+)"', response.content.decode())]


def many_enterprises(world, n: int) -> list[Enterprise]:
    with scopes_disabled():
        return Enterprise.objects.bulk_create(
            [Enterprise(park=world.park, name=f"名录企业{k:04d}有限公司", credit_code=valid_credit_code()) for k in range(n)]
        )


# --- The search ----------------------------------------------------------------------------------
def test_another_parks_enterprise_never_appears(client, world, other):
    mine = EnterpriseFactory(park=world.park, name="华源机械有限公司")
    EnterpriseFactory(park=other.park, name="华源机械有限公司")
    client.force_login(world.admin)
    assert found(pick(client, world, "华源")) == [mine.pk]


def test_each_role_finds_only_what_it_may_see(client, world):
    covered = CoverageFactory(organisation=world.branch, enterprise=EnterpriseFactory(park=world.park, name="华源甲")).enterprise
    instructor = InstructorFactory(park=world.park, user=world.instructor_user)
    assigned = InstructorAssignmentFactory(instructor=instructor, enterprise=EnterpriseFactory(park=world.park, name="华源乙"),
                                           starts_on=date(2025, 1, 1)).enterprise
    EnterpriseFactory(park=world.park, name="华源丙")
    client.force_login(world.secretary)
    assert found(pick(client, world, "华源")) == [covered.pk]
    client.force_login(world.instructor_user)
    assert found(pick(client, world, "华源")) == [assigned.pk]
    client.force_login(world.inspector)
    assert len(found(pick(client, world, "华源"))) == 3


def test_namesakes_show_zone_and_credit_code_tail(client, world):
    code = valid_credit_code()
    zone = ZoneFactory(park=world.park, name="精细化工园")
    EnterpriseFactory(park=world.park, name="华源", zone=zone, credit_code=code)
    EnterpriseFactory(park=world.park, name="华源")
    client.force_login(world.admin)
    content = pick(client, world, "华源").content.decode()
    assert f"精细化工园 · 信用代码尾号{code[-6:]}" in content
    assert "未分片区 · 信用代码尾号" in content


def test_found_by_credit_code_and_active_scope(client, world):
    code = valid_credit_code()
    active = EnterpriseFactory(park=world.park, credit_code=code)
    moved = EnterpriseFactory(park=world.park, name="迁出企业", status=Enterprise.Status.MOVED_OUT, moved_out_on=date(2025, 1, 1))
    client.force_login(world.admin)
    assert found(pick(client, world, code[-6:].lower())) == [active.pk]
    assert found(pick(client, world, "迁出")) == [moved.pk]
    assert found(pick(client, world, "迁出", scope="active")) == []


def test_at_most_pick_limit_and_hostile_queries(client, world):
    many_enterprises(world, PICK_LIMIT + 5)
    client.force_login(world.admin)
    response = pick(client, world, "名录")
    assert len(found(response)) == PICK_LIMIT and f"只列出前{PICK_LIMIT}条" in response.content.decode()
    for q, status in [("", 200), ("x" * 40, 400), ("名录\x00", 400), ("' OR ''='", 200), ("%%", 200), ("\\", 200)]:
        response = pick(client, world, q)
        assert response.status_code == status, q
        assert not found(response) or q == ""
    assert pick(client, world, "名录", scope="../../etc").status_code == 400


# --- The forms -----------------------------------------------------------------------------------
def test_organisation_form_holds_none_of_the_roster_and_shows_the_chosen(client, world):
    many = many_enterprises(world, 300)
    branch = OrganisationFactory(park=world.park, parent=world.work_committee, formation=Organisation.Formation.JOINT, name="联合支部")
    CoverageFactory(organisation=branch, enterprise=many[0])
    CoverageFactory(organisation=branch, enterprise=many[1])
    client.force_login(world.admin)
    content = client.get(reverse("orgs:organisation_create", args=[world.park.code])).content.decode()
    assert not any(e.name in content for e in many)
    assert "按住 Ctrl" not in content
    content = client.get(reverse("orgs:organisation_update", args=[world.park.code, branch.pk])).content.decode()
    assert f'<input type="hidden" name="enterprises" value="{many[0].pk}">' in content
    assert many[1].name in content
    assert many[2].name not in content


def test_organisation_form_refuses_another_parks_enterprise(client, world, other):
    mine = EnterpriseFactory(park=world.park)
    theirs = EnterpriseFactory(park=other.park)
    client.force_login(world.admin)
    data = {"name": "城东联合党支部", "kind": "branch", "formation": "joint"}
    response = client.post(reverse("orgs:organisation_create", args=[world.park.code]), {**data, "enterprises": [mine.pk, theirs.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["enterprises"] == [MSG_REFUSED]
    with scopes_disabled():
        assert not Organisation.objects.filter(name="城东联合党支部").exists()


def test_assignment_refuses_a_moved_out_enterprise(client, world):
    instructor = InstructorFactory(park=world.park)
    moved = EnterpriseFactory(park=world.park, status=Enterprise.Status.MOVED_OUT, moved_out_on=date(2025, 1, 1))
    client.force_login(world.admin)
    url = reverse("orgs:instructor_assign", args=[world.park.code, instructor.pk])
    response = client.post(url, {"enterprise": moved.pk, "starts_on": "2026-01-05"})
    assert response.status_code == 200 and MSG_REFUSED in response.content.decode()


def test_a_secretary_raises_a_demand_only_for_a_covered_enterprise(client, world):
    covered = CoverageFactory(organisation=world.branch).enterprise
    elsewhere = EnterpriseFactory(park=world.park)
    client.force_login(world.secretary)
    url = reverse("services:demand_create", args=[world.park.code])
    data = {"category": "其他", "description": "用工需求", "urgency": "normal"}
    response = client.post(url, {**data, "enterprise": elsewhere.pk})
    assert response.status_code == 200 and MSG_REFUSED in response.content.decode()
    assert client.post(url, {**data, "enterprise": covered.pk}).status_code == 302
    with scopes_disabled():
        assert Demand.objects.get().enterprise_id == covered.pk


def test_the_demands_filter_picks_an_enterprise(client, world):
    many = many_enterprises(world, 200)
    client.force_login(world.admin)
    url = reverse("services:demands", args=[world.park.code])
    content = client.get(url).content.decode()
    assert not any(e.name in content for e in many)
    response = client.get(url, {"enterprise": many[3].pk})
    assert response.status_code == 200
    assert f'<input type="hidden" name="enterprise" value="{many[3].pk}">' in response.content.decode()


def test_the_member_form_picks_the_work_unit(client, world):
    many = many_enterprises(world, 200)
    member = MemberFactory(park=world.park, branch=world.branch, enterprise=many[5])
    client.force_login(world.admin)
    content = client.get(reverse("members:update", args=[world.park.code, member.pk])).content.decode()
    assert many[5].name in content
    assert many[6].name not in content
