"""The park pages as users meet them: what they list, what they refuse, the messages they show."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from audit.models import AuditEntry
from orgs.models import Enterprise, Organisation
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    InstructorAssignmentFactory,
    InstructorFactory,
    ZoneFactory,
    valid_credit_code,
)

pytestmark = pytest.mark.django_db


def park_url(world, name, *args):
    return reverse(f"orgs:{name}", args=[world.park.code, *args])


def test_enterprise_list_search_filter_and_pages(client, world, django_assert_max_num_queries):
    zone = ZoneFactory(park=world.park, name="精细化工产业园")
    EnterpriseFactory.create_batch(30, park=world.park)
    target = EnterpriseFactory(park=world.park, name="鱼台华鲁化工有限公司", zone=zone)
    client.force_login(world.admin)

    first = client.get(park_url(world, "enterprise_list"))
    assert first.context["paginator"].count == 31
    assert len(first.context["enterprises"]) == 25
    second = client.get(park_url(world, "enterprise_list") + "?page=2")
    assert len(second.context["enterprises"]) == 6

    found = client.get(park_url(world, "enterprise_list"), {"q": "华鲁"})
    assert list(found.context["enterprises"]) == [target]
    by_code = client.get(park_url(world, "enterprise_list"), {"q": target.credit_code[-6:].lower()})
    assert list(by_code.context["enterprises"]) == [target]
    by_zone = client.get(park_url(world, "enterprise_list"), {"zone": zone.pk})
    assert list(by_zone.context["enterprises"]) == [target]
    assert "华鲁" in by_zone.content.decode()

    CoverageFactory(organisation=world.branch, enterprise=target)
    covered = client.get(park_url(world, "enterprise_list"), {"covered": "yes"})
    assert list(covered.context["enterprises"]) == [target]
    uncovered = client.get(park_url(world, "enterprise_list"), {"covered": "no"})
    assert uncovered.context["paginator"].count == 30

    with django_assert_max_num_queries(12):  # session, user, roles, count, page: not per row
        client.get(park_url(world, "enterprise_list"))


def test_create_enterprise_shows_chinese_field_errors_and_writes_nothing(client, world):
    client.force_login(world.admin)
    response = client.post(
        park_url(world, "enterprise_create"),
        {"name": "新企业有限公司", "credit_code": "91350100M000100Y44", "ownership": "private", "employees": "50", "status": "active", "contact_phone": "123"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["credit_code"] == ["统一社会信用代码校验位错误：按 GB 32100-2015 应为“3”。"]
    assert "电话号码格式不正确" in errors["contact_phone"][0]
    assert "校验位错误" in response.content.decode()
    with scopes_disabled():
        assert Enterprise.objects.count() == 0


def test_create_enterprise(client, world):
    client.force_login(world.admin)
    code = valid_credit_code()
    response = client.post(
        park_url(world, "enterprise_create"),
        {"name": "新企业有限公司", "credit_code": code, "ownership": "private", "employees": "50", "status": "active"},
    )
    with scopes_disabled():
        enterprise = Enterprise.objects.get(credit_code=code)
        assert AuditEntry.objects.get(target_id=enterprise.pk).actor == world.admin
    assert response.status_code == 302
    assert response.url == park_url(world, "enterprise_detail", enterprise.pk)
    assert enterprise.park == world.park


def test_edit_enterprise_records_the_change(client, world):
    enterprise = EnterpriseFactory(park=world.park, employees=10)
    client.force_login(world.admin)
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "ownership": enterprise.ownership,
        "industry": enterprise.industry,
        "employees": "80",
        "status": "active",
    }
    response = client.post(park_url(world, "enterprise_update", enterprise.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        assert AuditEntry.objects.get().changes == {"employees": [10, 80]}


@pytest.mark.parametrize("role", ["inspector", "secretary", "instructor_user"])
def test_only_park_admin_creates_enterprises(client, world, role):
    client.force_login(getattr(world, role))
    response = client.post(park_url(world, "enterprise_create"), {"name": "x"})
    assert response.status_code == 403


def test_create_organisation_with_rule_errors_in_chinese(client, world):
    units = EnterpriseFactory.create_batch(6, park=world.park)
    client.force_login(world.admin)
    response = client.post(
        park_url(world, "organisation_create"),
        {"name": "城东联合党支部", "kind": "branch", "formation": "joint", "enterprises": [u.pk for u in units]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["enterprises"] == ["联合组建的党支部应覆盖2至5家单位，当前选择了6家。"]
    response = client.post(
        park_url(world, "organisation_create"),
        {"name": "城东联合党支部", "kind": "branch", "formation": "joint", "enterprises": [u.pk for u in units[:3]]},
    )
    assert response.status_code == 302
    with scopes_disabled():
        branch = Organisation.objects.get(name="城东联合党支部")
        assert branch.parent == world.work_committee
        assert branch.enterprises.count() == 3


def test_organisation_form_offers_only_own_park(client, world, other):
    EnterpriseFactory(park=other.park, name="别园企业")
    client.force_login(world.admin)
    response = client.get(park_url(world, "organisation_create"))
    form = response.context["form"]
    assert set(form.fields["parent"].queryset) == {world.work_committee, world.branch}
    assert "别园企业" not in response.content.decode()


def test_secretary_edits_contact_of_own_branch_only(client, world):
    client.force_login(world.secretary)
    response = client.get(park_url(world, "organisation_update", world.branch.pk))
    assert list(response.context["form"].fields) == ["secretary_name", "secretary_phone"]
    response = client.post(
        park_url(world, "organisation_update", world.branch.pk),
        {"secretary_name": "李明", "secretary_phone": "13912345678", "name": "改名企图", "kind": "group"},
    )
    assert response.status_code == 302
    world.branch.refresh_from_db()
    assert (world.branch.secretary_name, world.branch.name, world.branch.kind) == ("李明", "alpha第一党支部", "branch")
    assert client.get(park_url(world, "organisation_update", world.work_committee.pk)).status_code == 404


def test_inspector_reads_but_cannot_edit_organisations(client, world):
    client.force_login(world.inspector)
    assert client.get(park_url(world, "organisation_detail", world.branch.pk)).status_code == 200
    assert client.get(park_url(world, "organisation_update", world.branch.pk)).status_code == 403


def test_instructor_sees_only_assigned_enterprises(client, world):
    instructor = InstructorFactory(park=world.park, user=world.instructor_user)
    mine = InstructorAssignmentFactory(instructor=instructor, starts_on=date(2025, 1, 1)).enterprise
    ended = InstructorAssignmentFactory(instructor=instructor, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)).enterprise
    someone_elses = EnterpriseFactory(park=world.park)
    client.force_login(world.instructor_user)
    response = client.get(park_url(world, "enterprise_list"))
    assert list(response.context["enterprises"]) == [mine]
    assert client.get(park_url(world, "enterprise_detail", mine.pk)).status_code == 200
    assert client.get(park_url(world, "enterprise_detail", ended.pk)).status_code == 404
    assert client.get(park_url(world, "enterprise_detail", someone_elses.pk)).status_code == 404
    assert client.get(park_url(world, "instructor_list")).status_code == 403


def test_secretary_sees_enterprises_of_own_branch(client, world):
    mine = CoverageFactory(organisation=world.branch).enterprise
    EnterpriseFactory(park=world.park)
    client.force_login(world.secretary)
    assert list(client.get(park_url(world, "enterprise_list")).context["enterprises"]) == [mine]


def test_coverage_page_lists_gaps(client, world):
    covered = CoverageFactory(organisation=world.branch).enterprise
    gap = EnterpriseFactory(park=world.park, name="未覆盖企业有限公司")
    client.force_login(world.admin)
    response = client.get(reverse("members:coverage_gaps", args=[world.park.code]))
    assert [e.pk for e in response.context["gaps"]] == [gap.pk]
    assert response.context["coverage"].org_rate == 50.0
    assert covered.name not in response.content.decode()


def test_instructor_pages(client, world):
    enterprise = EnterpriseFactory(park=world.park)
    client.force_login(world.admin)
    response = client.post(park_url(world, "instructor_create"), {"name": "赵刚", "phone": "13812345678", "unit": "县委组织部", "is_active": "on"})
    assert response.status_code == 302
    instructor_pk = int(response.url.rstrip("/").split("/")[-1])
    response = client.post(park_url(world, "instructor_assign", instructor_pk), {"enterprise": enterprise.pk, "starts_on": "2026-01-05"})
    assert response.status_code == 302
    listing = client.get(park_url(world, "instructor_list"))
    assert [(i.name, i.enterprise_count) for i in listing.context["instructors"]] == [("赵刚", 1)]
    detail = client.get(park_url(world, "instructor_detail", instructor_pk))
    assignment = detail.context["instructor"].assignments.all()[0]
    response = client.post(park_url(world, "assignment_end", assignment.pk), {"ends_on": "2025-12-01"})
    assert response.context["form"].errors["ends_on"] == ["结束日期不能早于开始日期（2026-01-05）。"]
    response = client.post(park_url(world, "assignment_end", assignment.pk), {"ends_on": "2026-06-30"})
    assert response.status_code == 302


def test_rule_on_a_field_the_form_does_not_show_is_named_in_chinese(client, world):
    """A secretary's save of a branch whose data breaks a rule: the message says which field."""
    with scopes_disabled():
        Organisation.objects.filter(pk=world.branch.pk).update(formation="single")  # but covers no unit
    client.force_login(world.secretary)
    response = client.post(
        park_url(world, "organisation_update", world.branch.pk), {"secretary_name": "李明", "secretary_phone": ""}
    )
    assert response.context["form"].non_field_errors() == ["所在单位：单独组建的党组织应对应1家企业，当前选择了0家。"]
