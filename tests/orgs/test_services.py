"""Writes through orgs.services: the shared rules, Chinese messages, audit entries."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from core.validators import MSG_CREDIT_CODE_CHECK
from orgs import rules, services
from orgs.models import Coverage, Enterprise, Organisation
from tests.orgs.factories import (
    EnterpriseFactory,
    InstructorFactory,
    OrganisationFactory,
    ZoneFactory,
    valid_credit_code,
)

Kind, Formation = Organisation.Kind, Organisation.Formation


def messages(exc, field):
    return exc.value.message_dict[field]


@pytest.mark.django_db
class TestEnterprise:
    def test_create_normalises_and_audits(self, world, in_park):
        zone = ZoneFactory(park=world.park)
        code = valid_credit_code()
        enterprise = services.enterprise_create(
            park=world.park,
            actor=world.admin,
            name="  鱼台华鲁化工有限公司 ",
            credit_code=" " + code.lower(),
            contact_phone="139 1234 5678",
            zone=zone,
            employees=120,
        )
        assert (enterprise.name, enterprise.credit_code, enterprise.contact_phone) == (
            "鱼台华鲁化工有限公司",
            code,
            "13912345678",
        )
        entry = AuditEntry.objects.get(target_id=enterprise.pk)
        assert (entry.action, entry.actor, entry.changes["credit_code"]) == ("enterprise.create", world.admin, [None, code])

    def test_bad_credit_code_is_refused_in_chinese_and_nothing_written(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            services.enterprise_create(park=world.park, actor=world.admin, name="甲公司", credit_code="91350100M000100Y44")
        assert messages(exc, "credit_code") == [str(MSG_CREDIT_CODE_CHECK % {"expected": "3"})]
        assert Enterprise.objects.count() == 0
        assert AuditEntry.objects.count() == 0

    def test_duplicate_credit_code_in_same_park_is_refused(self, world, in_park):
        existing = EnterpriseFactory(park=world.park)
        with pytest.raises(ValidationError) as exc:
            services.enterprise_create(park=world.park, actor=world.admin, name="乙公司", credit_code=existing.credit_code)
        assert messages(exc, "__all__") == ["本园区已有使用该统一社会信用代码的企业。"]

    def test_same_credit_code_may_exist_in_another_park(self, world, other, in_park):
        theirs = EnterpriseFactory(park=other.park)
        mine = services.enterprise_create(park=world.park, actor=world.admin, name="乙公司", credit_code=theirs.credit_code)
        assert mine.park == world.park

    def test_zone_of_another_park_is_refused(self, world, other, in_park):
        with pytest.raises(ValidationError) as exc:
            services.enterprise_create(
                park=world.park, actor=world.admin, name="丙公司", credit_code=valid_credit_code(), zone=ZoneFactory(park=other.park)
            )
        assert messages(exc, "zone") == [str(services.MSG_ZONE_OTHER_PARK)]

    def test_moving_out_needs_a_date(self, world, in_park):
        enterprise = EnterpriseFactory(park=world.park)
        with pytest.raises(ValidationError) as exc:
            services.enterprise_update(enterprise=enterprise, actor=world.admin, status=Enterprise.Status.MOVED_OUT)
        assert messages(exc, "moved_out_on") == [str(services.MSG_MOVED_OUT_NEEDS_DATE)]

    def test_update_without_change_writes_no_audit(self, world, in_park):
        enterprise = EnterpriseFactory(park=world.park)
        services.enterprise_update(enterprise=enterprise, actor=world.admin, name=enterprise.name)
        assert AuditEntry.objects.count() == 0
        services.enterprise_update(enterprise=enterprise, actor=world.admin, employees=999)
        assert AuditEntry.objects.get().changes == {"employees": [50, 999]}


@pytest.mark.django_db
class TestOrganisation:
    def create(self, world, **data):
        return services.organisation_create(park=world.park, actor=world.admin, **data)

    def test_branch_defaults_to_the_work_committee(self, world, in_park):
        enterprise = EnterpriseFactory(park=world.park)
        branch = self.create(world, name="新支部", kind=Kind.BRANCH, formation=Formation.SINGLE, enterprises=[enterprise])
        assert branch.parent == world.work_committee
        assert list(Coverage.objects.filter(organisation=branch).values_list("enterprise", flat=True)) == [enterprise.pk]

    def test_joint_branch_covers_two_to_five_units(self, world, in_park):
        six = EnterpriseFactory.create_batch(6, park=world.park)
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="联合支部", kind=Kind.BRANCH, formation=Formation.JOINT, enterprises=six)
        assert messages(exc, "enterprises") == ["联合组建的党支部应覆盖2至5家单位，当前选择了6家。"]
        branch = self.create(world, name="联合支部", kind=Kind.BRANCH, formation=Formation.JOINT, enterprises=six[:5])
        assert branch.enterprises.count() == 5

    def test_single_branch_covers_exactly_one(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="单建支部", kind=Kind.BRANCH, formation=Formation.SINGLE, enterprises=[])
        assert messages(exc, "enterprises") == ["单独组建的党组织应对应1家企业，当前选择了0家。"]

    def test_temporary_branch_needs_an_end_date(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="项目临时党支部", kind=Kind.BRANCH, formation=Formation.TEMPORARY)
        assert str(rules.MSG_TEMPORARY_END) in messages(exc, "ends_on")

    def test_branch_needs_a_formation(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="无方式支部", kind=Kind.BRANCH, formation="")
        assert messages(exc, "formation") == [str(rules.MSG_FORMATION_REQUIRED)]

    def test_group_must_sit_under_a_branch(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="党小组", kind=Kind.GROUP, parent=world.work_committee)
        assert messages(exc, "parent") == [str(rules.MSG_GROUP_PARENT)]
        group = self.create(world, name="党小组", kind=Kind.GROUP, parent=world.branch)
        assert group.parent == world.branch

    def test_parent_must_rank_above(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="综合党委", kind=Kind.COMPREHENSIVE_COMMITTEE, parent=world.branch)
        assert messages(exc, "parent") == ["“alpha第一党支部”（党支部）不能作为综合党委的上级党组织。"]

    def test_kind_change_cannot_put_an_organisation_below_its_children(self, world, in_park):
        OrganisationFactory(park=world.park, parent=world.branch, kind=Kind.GROUP, formation="", name="第一党小组")
        with pytest.raises(ValidationError) as exc:
            services.organisation_update(organisation=world.branch, actor=world.admin, kind=Kind.GROUP, formation="")
        assert messages(exc, "kind") == ["该组织下还有党小组“第一党小组”，不能改为党小组。"]

    def test_parent_of_another_park_is_refused(self, world, other, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="外园支部", kind=Kind.BRANCH, formation=Formation.FALLBACK, parent=other.work_committee)
        assert messages(exc, "parent") == [str(rules.MSG_PARENT_OTHER_PARK)]

    def test_enterprise_of_another_park_is_refused(self, world, other, in_park):
        theirs = EnterpriseFactory(park=other.park)
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="越界支部", kind=Kind.BRANCH, formation=Formation.SINGLE, enterprises=[theirs])
        assert messages(exc, "enterprises") == [f"所选企业“{theirs.name}”不属于本园区。"]

    def test_one_work_committee_per_park(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name="第二个党工委", kind=Kind.WORK_COMMITTEE)
        assert "每个园区只能有一个党工委。" in messages(exc, "__all__")

    def test_duplicate_name_in_park_is_refused(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            self.create(world, name=world.branch.name, kind=Kind.BRANCH, formation=Formation.FALLBACK)
        assert messages(exc, "__all__") == ["本园区已有同名党组织。"]

    def test_update_records_coverage_change(self, world, in_park):
        a, b = EnterpriseFactory.create_batch(2, park=world.park)
        services.organisation_update(organisation=world.branch, actor=world.admin, enterprises=[a])
        services.organisation_update(organisation=world.branch, actor=world.admin, enterprises=[b])
        last = AuditEntry.objects.filter(action="organisation.update").first()
        assert last.changes == {"enterprises": [[a.pk], [b.pk]]}

    def test_ended_temporary_branches_are_dissolved_once(self, world, in_park):
        temp = OrganisationFactory(
            park=world.park, parent=world.work_committee, formation=Formation.TEMPORARY, ends_on=date(2026, 6, 30)
        )
        assert services.organisations_dissolve_ended(park=world.park, today=date(2026, 6, 30)) == 0
        assert services.organisations_dissolve_ended(park=world.park, today=date(2026, 7, 1)) == 1
        assert services.organisations_dissolve_ended(park=world.park, today=date(2026, 7, 2)) == 0
        temp.refresh_from_db()
        assert temp.dissolved_on == date(2026, 6, 30)


@pytest.mark.django_db
class TestInstructors:
    def test_assign_and_end(self, world, in_park):
        instructor = InstructorFactory(park=world.park)
        enterprise = EnterpriseFactory(park=world.park)
        assignment = services.instructor_assign(
            park=world.park, actor=world.admin, instructor=instructor, enterprise=enterprise, starts_on=date(2026, 1, 1)
        )
        with pytest.raises(ValidationError) as exc:
            services.instructor_assign(
                park=world.park, actor=world.admin, instructor=instructor, enterprise=enterprise, starts_on=date(2026, 2, 1)
            )
        assert "该指导员已在联系这家企业。" in messages(exc, "__all__")
        with pytest.raises(ValidationError):
            services.instructor_assignment_end(assignment=assignment, actor=world.admin, ends_on=date(2025, 12, 31))
        services.instructor_assignment_end(assignment=assignment, actor=world.admin, ends_on=date(2026, 3, 31))
        assert assignment.ends_on == date(2026, 3, 31)

    def test_cross_park_assignment_is_refused(self, world, other, in_park):
        with pytest.raises(ValidationError):
            services.instructor_assign(
                park=world.park,
                actor=world.admin,
                instructor=InstructorFactory(park=world.park),
                enterprise=EnterpriseFactory(park=other.park),
                starts_on=date(2026, 1, 1),
            )

    def test_bad_phone_is_refused(self, world, in_park):
        with pytest.raises(ValidationError) as exc:
            services.instructor_create(park=world.park, actor=world.admin, name="张三", phone="12345")
        assert "phone" in exc.value.message_dict
