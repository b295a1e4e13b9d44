"""The 红星津贴: months served pro rata, exact amounts, and a batch that cannot change once approved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction

from assessment import payouts
from assessment.models import PayoutBatch, PayoutLine
from tests.assessment.helpers import finalised_batch

pytestmark = pytest.mark.django_db


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
        for status in (PayoutBatch.Status.CHECKED, PayoutBatch.Status.APPROVED):
            batch = payouts.batch_transition(batch=batch, actor=world.admin, to=status)
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
