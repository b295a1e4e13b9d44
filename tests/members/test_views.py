"""Member pages as users meet them: who sees whole ID numbers, search, scope by role, forms, transfers."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from audit.models import AuditEntry
from core.validators import mask_id_number
from members.models import Member, MemberTransfer
from orgs.models import Organisation
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def url(world, name, *args):
    return reverse(f"members:{name}", args=[world.park.code, *args])


def member(world, **kwargs):
    return MemberFactory(park=world.park, **{"branch": world.branch, **kwargs})


def form_data(branch, id_number, **overrides):
    data = {
        "name": "王红", "id_number": id_number, "gender": "", "ethnicity": "汉族", "phone": "", "education": "",
        "branch": branch.pk, "enterprise": "", "stage": "full", "applied_on": "", "activist_on": "",
        "candidate_on": "", "joined_on": "2010-07-01", "full_on": "2011-07-01", "post": "", "status": "active",
    }
    return {**data, **overrides}


def second_branch(world, name="第二党支部", parent=None):
    return OrganisationFactory(park=world.park, parent=parent or world.work_committee, name=name, formation=Organisation.Formation.FALLBACK)


# --- Who sees whole ID numbers -----------------------------------------------------------------
def test_park_admin_sees_whole_id_in_list_and_detail(client, world):
    number = valid_id_number()
    m = member(world, id_number=number)
    client.force_login(world.admin)
    assert number in client.get(url(world, "list")).content.decode()
    assert number in client.get(url(world, "detail", m.pk)).content.decode()


@pytest.mark.parametrize("who", ["inspector", "secretary", "county_viewer"])
def test_other_roles_see_masked_id_only(client, world, county_viewer, who):
    number = valid_id_number()
    m = member(world, id_number=number)
    client.force_login(county_viewer if who == "county_viewer" else getattr(world, who))
    for page in (client.get(url(world, "list")), client.get(url(world, "detail", m.pk))):
        assert page.status_code == 200
        content = page.content.decode()
        assert mask_id_number(number) in content
        assert number not in content
        assert number[6:14] not in content  # nor the birth date part of it


# --- Search, filters, pages --------------------------------------------------------------------
def test_search_by_name_phone_prefix_and_whole_id(client, world):
    number = next(n for n in (valid_id_number() for _ in range(30)) if n.endswith("X"))
    target = member(world, name="李建国", phone="13912345678", id_number=number)
    member(world, name="王芳", phone="13800000000")
    client.force_login(world.admin)

    def found(q):
        return list(client.get(url(world, "list"), {"q": q}).context["members"])

    assert found("建国") == [target]
    assert found("139123") == [target]
    assert found(number) == [target]
    assert found(number.lower()) == [target]
    assert found(number[:17] + ("0" if number[-1] != "0" else "1")) == []
    assert found(number[:10]) == []  # part of an ID number finds nothing: only the whole number is matched


def test_the_search_box_posts_and_a_whole_id_number_never_reaches_a_url(client, world, other, caplog):
    number = valid_id_number()
    target = member(world, name="李建国", id_number=number)
    MemberFactory(park=other.park, branch=other.branch, id_number=valid_id_number())
    client.force_login(world.admin)
    caplog.set_level("DEBUG", logger="django.request")
    response = client.post(url(world, "list"), {"q": f" {number.lower()} ", "status": "active"})
    assert response.status_code == 302
    assert number not in response.url and number.lower() not in response.url and "idh=" in response.url
    page = client.get(response.url)
    assert list(page.context["members"]) == [target] and "已按身份证号查找" in page.content.decode()
    assert all(number not in r.getMessage() and number.lower() not in r.getMessage() for r in caplog.records)
    by_name = client.post(url(world, "list"), {"q": "建国"})
    assert by_name.url.endswith("?q=%E5%BB%BA%E5%9B%BD")
    assert client.get(url(world, "list"), {"idh": "not-a-hash"}).status_code == 200  # a bad hash filters nothing, quietly


def test_the_county_viewer_searches_by_id_number_too(client, world, county_viewer):
    number = valid_id_number()
    target = member(world, name="李建国", id_number=number)
    client.force_login(county_viewer)
    response = client.post(url(world, "list"), {"q": number})
    assert response.status_code == 302 and number not in response.url
    assert list(client.get(response.url).context["members"]) == [target]


def test_filters_by_branch_stage_status(client, world):
    other_branch = second_branch(world)
    in_other = member(world, branch=other_branch)
    probationary = member(world, stage="probationary", joined_on=date(2025, 7, 1), full_on=None)
    mobile = member(world, status="mobile")
    client.force_login(world.admin)

    def listed(**params):
        return set(client.get(url(world, "list"), params).context["members"])

    assert listed(branch=other_branch.pk) == {in_other}
    assert listed(stage="probationary") == {probationary}
    assert listed(status="mobile") == {mobile}
    assert listed(branch=world.branch.pk, stage="full", status="active") == set()


def test_pages_of_25(client, world):
    MemberFactory.create_batch(30, park=world.park, branch=world.branch)
    client.force_login(world.admin)
    first = client.get(url(world, "list"))
    assert first.context["paginator"].count == 30
    assert len(first.context["members"]) == 25
    assert "共 30 人" in first.content.decode()
    assert len(client.get(url(world, "list"), {"page": 2}).context["members"]) == 5


def test_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    MemberFactory.create_batch(5, park=world.park, branch=world.branch)
    client.get(url(world, "list"))  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        client.get(url(world, "list"))
    MemberFactory.create_batch(35, park=world.park, branch=second_branch(world))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(world, "list"))
    assert len(response.context["members"]) == 25
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get(url(world, "list"))


# --- A branch secretary's roster ----------------------------------------------------------------
def test_secretary_sees_own_branch_and_below_only(client, world, other):
    sub = second_branch(world, name="第一党支部下属支部", parent=world.branch)
    mine, below = member(world), member(world, branch=sub)
    elsewhere = member(world, branch=second_branch(world))
    foreign = MemberFactory(park=other.park, branch=other.branch)
    client.force_login(world.secretary)
    assert set(client.get(url(world, "list")).context["members"]) == {mine, below}
    assert client.get(url(world, "detail", below.pk)).status_code == 200
    assert client.get(url(world, "detail", elsewhere.pk)).status_code == 404
    assert client.get(url(world, "update", elsewhere.pk)).status_code == 404
    assert client.get(url(world, "detail", foreign.pk)).status_code == 404


def test_secretary_creates_members_in_own_branch_only(client, world):
    elsewhere = second_branch(world)
    client.force_login(world.secretary)
    refused = client.post(url(world, "create"), form_data(elsewhere, valid_id_number()))
    assert refused.status_code == 200
    assert "branch" in refused.context["form"].errors
    number = valid_id_number()
    response = client.post(url(world, "create"), form_data(world.branch, number))
    assert response.status_code == 302
    with scopes_disabled():
        created = Member.objects.get()
    assert (created.branch, created.id_number, created.gender) == (world.branch, number, "M" if int(number[16]) % 2 else "F")
    assert response.url == url(world, "detail", created.pk)


# --- Forms --------------------------------------------------------------------------------------
def test_create_with_bad_id_shows_chinese_error_and_writes_nothing(client, world):
    number = valid_id_number()
    bad = number[:17] + ("0" if number[-1] != "0" else "1")
    client.force_login(world.admin)
    response = client.post(url(world, "create"), form_data(world.branch, bad))
    assert response.status_code == 200
    message = f"身份证号校验位错误：按 GB 11643 应为“{number[-1]}”。"
    assert response.context["form"].errors["id_number"] == [message]
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Member.objects.exists()
        assert not AuditEntry.objects.exists()


def test_secretary_edit_with_masked_id_keeps_stored_id(client, world):
    number = valid_id_number()
    m = member(world, id_number=number, name="旧名")
    client.force_login(world.secretary)
    page = client.get(url(world, "update", m.pk))
    assert page.context["form"].initial["id_number"] == mask_id_number(number)
    assert number not in page.content.decode()
    response = client.post(url(world, "update", m.pk), form_data(world.branch, mask_id_number(number), name="新名"))
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.name, m.id_number) == ("新名", number)


def test_admin_edit_with_new_id(client, world):
    m = member(world, id_number=valid_id_number(n=41))
    new = valid_id_number(birth="19900505", n=43)
    client.force_login(world.admin)
    response = client.post(url(world, "update", m.pk), form_data(world.branch, new.lower(), name=m.name))
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.id_number, m.birth_date) == (new, date(1990, 5, 5))


# --- Transfers ----------------------------------------------------------------------------------
def test_transfer_within_park_is_shown_on_detail(client, world):
    m = member(world)
    target = second_branch(world)
    client.force_login(world.admin)
    assert client.get(url(world, "transfer", m.pk)).status_code == 200
    response = client.post(url(world, "transfer", m.pk), {"kind": "within", "to_branch": target.pk, "on": "2024-03-01", "note": "工作调动"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.branch == target
    with scopes_disabled():
        transfer = MemberTransfer.objects.get()
    assert (transfer.from_branch, transfer.to_branch, transfer.kind) == (world.branch, target, "within")
    detail = client.get(url(world, "detail", m.pk)).content.decode()
    assert "2024-03-01" in detail and "园区内转接" in detail and "工作调动" in detail
    assert world.branch.name in detail and target.name in detail
    assert "园区内转接组织关系" in detail and "member.transfer_within" not in detail


def test_transfer_to_same_branch_shows_error(client, world):
    m = member(world)
    client.force_login(world.admin)
    response = client.post(url(world, "transfer", m.pk), {"kind": "within", "to_branch": world.branch.pk, "on": "2024-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["to_branch"] == ["转入的党支部与原党支部相同。"]


def test_create_as_transfer_in_records_the_origin(client, world):
    client.force_login(world.admin)
    data = form_data(world.branch, valid_id_number(), transfer_from="济宁市某党支部", transferred_on="2024-01-15")
    response = client.post(url(world, "create"), data)
    assert response.status_code == 302
    with scopes_disabled():
        transfer = MemberTransfer.objects.get()
    assert (transfer.kind, transfer.to_branch, transfer.external_organisation) == ("in", world.branch, "济宁市某党支部")
    detail = client.get(response.url).content.decode()
    assert "转入" in detail and "济宁市某党支部" in detail and "2024-01-15" in detail


def test_transfer_in_without_any_date_is_a_form_error(client, world):
    client.force_login(world.admin)
    data = form_data(world.branch, valid_id_number(), stage="applicant", applied_on="2020-01-01", joined_on="", full_on="",
                     transfer_from="济宁市某党支部")
    response = client.post(url(world, "create"), data)
    assert response.status_code == 200
    assert response.context["transfer_form"].errors == {"transferred_on": ["请填写转接日期。"]}
    with scopes_disabled():
        assert not Member.objects.exists()


def test_secretary_cannot_open_transfer_page(client, world):
    m = member(world)
    client.force_login(world.secretary)
    assert client.get(url(world, "transfer", m.pk)).status_code == 403
    assert client.post(url(world, "transfer", m.pk), {"kind": "out", "external_organisation": "x", "on": "2024-03-01"}).status_code == 403


def test_county_viewer_cannot_post(client, world, county_viewer):
    m = member(world)
    client.force_login(county_viewer)
    assert client.get(url(world, "list")).status_code == 200
    assert client.post(url(world, "create"), form_data(world.branch, valid_id_number())).status_code == 403
    assert client.post(url(world, "update", m.pk), form_data(world.branch, m.id_masked)).status_code == 403
    assert client.post(url(world, "transfer", m.pk), {"kind": "within", "to_branch": second_branch(world).pk, "on": "2024-03-01"}).status_code == 403
    with scopes_disabled():
        assert Member.objects.count() == 1 and not MemberTransfer.objects.exists()


@pytest.mark.parametrize("who", ["inspector", "instructor_user"])
def test_inspector_and_instructor_cannot_create(client, world, who):
    client.force_login(getattr(world, who))
    assert client.post(url(world, "create"), form_data(world.branch, valid_id_number())).status_code == 403
