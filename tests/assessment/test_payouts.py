"""The 红星津贴: months served pro rata, exact amounts, and a batch that cannot change once approved."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from openpyxl import load_workbook

from assessment import payouts
from assessment.models import AssessmentSettings, PayoutBatch, PayoutLine
from assessment.paysheet import pay_sheet_xlsx
from core.roles import Role
from members.models import Member
from orgs.models import Enterprise, Organisation
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.assessment.helpers import finalised_batch

pytestmark = pytest.mark.django_db


def second_admin(world):
    """Another user of the park's office: checking and approving are two people's work."""
    user = UserFactory(username=f"{world.park.code}_second_admin")
    RoleAssignmentFactory(user=user, role=Role.PARK_ADMIN, county=world.park.county, park=world.park)
    return user


class TestPayouts:
    @pytest.mark.parametrize(
        "start, end, months",
        [
            (None, None, Decimal("3.00")),
            (date(2026, 8, 1), None, Decimal("2.00")),
            (date(2026, 8, 17), None, Decimal("1.48")),  # 15 of August's 31 days, then September
            (None, date(2026, 7, 15), Decimal("0.48")),  # 15 of July's 31 days
        ],
    )
    def test_months_served_pro_rata(self, start, end, months):
        assert payouts.months_served(date(2026, 7, 1), date(2026, 9, 30), start, end) == months

    def test_batch_amounts_are_exact_and_drafting_twice_makes_one(self, world, in_park):
        batch, assessment = finalised_batch(world, start=date(2026, 8, 17))
        line = PayoutLine.objects.get(batch=batch)
        assert (line.level, line.months, line.monthly, line.amount) == (5, Decimal("1.48"), Decimal("300.00"), Decimal("444.00"))
        assert batch.total == Decimal("444.00")
        payouts.draft_payouts(assessments=[assessment], actor=world.admin)
        assert PayoutBatch.objects.count() == 1 and PayoutLine.objects.count() == 1

    def test_approved_batch_is_immutable(self, world, in_park):
        batch, assessment = finalised_batch(world)
        batch = payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.CHECKED)
        batch = payouts.batch_transition(batch=batch, actor=second_admin(world), to=PayoutBatch.Status.APPROVED)
        assert [e.to_status for e in batch.events.all()] == ["checked", "approved"]
        with pytest.raises(ValidationError):
            payouts.batch_recompute(batch=batch, actor=world.admin)
        with pytest.raises(ValidationError):
            payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.DRAFT)
        payouts.draft_payouts(assessments=[assessment], actor=world.admin)  # a redraft leaves it alone
        assert PayoutLine.objects.get(batch=batch).amount == Decimal("900.00")
        # …and the database itself refuses, whatever code tries
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            PayoutLine.objects.filter(batch=batch).update(amount=Decimal("1"))
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            PayoutLine.objects.filter(batch=batch).delete()
        payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.PAID)


    def test_only_branches_covering_a_non_public_enterprise_are_paid(self, world, in_park):
        batch, assessment = finalised_batch(world)
        assert PayoutLine.objects.filter(batch=batch).count() == 1  # a 民营 enterprise by default
        Enterprise.objects.filter(park=world.park).update(ownership=Enterprise.Ownership.STATE)
        payouts.draft_payouts(assessments=[assessment], actor=world.admin)
        batch.refresh_from_db()
        assert (PayoutLine.objects.filter(batch=batch).count(), batch.total) == (0, Decimal("0"))


class TestApproval:
    def test_the_checker_cannot_approve_and_the_buttons_say_what_they_do(self, world, in_park):
        batch, _ = finalised_batch(world)
        batch = payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.CHECKED)
        with pytest.raises(ValidationError) as refused:
            payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.APPROVED)
        assert refused.value.messages == [str(payouts.MSG_SAME_PERSON)]
        assert PayoutBatch.objects.get(pk=batch.pk).status == PayoutBatch.Status.CHECKED
        approver = second_admin(world)
        batch = payouts.batch_transition(batch=batch, actor=approver, to=PayoutBatch.Status.APPROVED)
        assert [e.actor for e in batch.events.all()] == [world.admin, approver]
        buttons = {step.button for step in payouts.TRANSITIONS.values()}
        assert buttons == {"审核通过", "退回草稿", "批准", "登记已发放"}
        assert all("已已" not in step.done for step in payouts.TRANSITIONS.values())

    def test_an_office_of_one_may_approve_its_own_check_and_the_trail_says_so(self, world, in_park):
        batch, _ = finalised_batch(world)
        AssessmentSettings.objects.filter(park=world.park).update(separate_approver=False)
        batch = payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.CHECKED)
        batch = payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.APPROVED)
        approved = batch.events.get(to_status=PayoutBatch.Status.APPROVED)
        assert approved.note == payouts.NOTE_ONE_PERSON
        rows = [r[0] for r in load_workbook(io.BytesIO(pay_sheet_xlsx(batch))).active.iter_rows(values_only=True) if r[0]]
        assert any("已审核 → 已批准" in str(r) and payouts.NOTE_ONE_PERSON in str(r) for r in rows)

    def test_renaming_or_moving_a_worker_leaves_an_approved_sheet_as_it_was(self, world, in_park):
        batch, _ = finalised_batch(world)
        payouts.batch_transition(batch=batch, actor=world.admin, to=PayoutBatch.Status.CHECKED)
        batch = payouts.batch_transition(batch=batch, actor=second_admin(world), to=PayoutBatch.Status.APPROVED)
        before = pay_sheet_xlsx(batch)
        line = PayoutLine.objects.get(batch=batch)
        Member.objects.filter(pk=line.member_id).update(name="=HYPERLINK(\"x\")")
        Organisation.objects.filter(pk=line.branch_id).update(name="改名后的支部")
        sheet = lambda data: [r for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]  # noqa: E731
        assert [r[:11] for r in sheet(pay_sheet_xlsx(batch))] == [r[:11] for r in sheet(before)]
        assert (line.member_name, line.branch_name) == ("王书记", "甲支部")

    def test_the_pay_sheet_prints_landscape_on_a4(self, world, in_park):
        batch, _ = finalised_batch(world)
        page = load_workbook(io.BytesIO(pay_sheet_xlsx(batch))).active.page_setup
        assert (page.orientation, int(page.paperSize), page.fitToWidth) == ("landscape", 9, 1)
