"""The pay sheet (红星津贴发放表): its header, a total row equal to the batch's Decimal total, and
only the batch's own lines."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.models import PayoutLine, StarLevel
from assessment.paysheet import pay_sheet_xlsx
from tests.assessment.helpers import branch_with_enterprise, finalised_batch

pytestmark = pytest.mark.django_db


def test_pay_sheet_total_row_matches_the_decimal_total(world, in_park):
    batch, assessment = finalised_batch(world, start=date(2026, 8, 17))
    second = branch_with_enterprise(world, "乙支部")  # not scored: no level this round, no line
    assert not StarLevel.objects.filter(assessment=assessment, branch=second).exists()
    assert not PayoutLine.objects.filter(batch=batch, branch=second).exists()
    sheet = load_workbook(io.BytesIO(pay_sheet_xlsx(batch))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "园区", "党支部", "所在企业") and rows[1][-1] == "领取人签字"
    total_row = next(r for r in rows if r[0] == "合计")
    amounts = [Decimal(str(r[9])) for r in rows[2:] if isinstance(r[0], int)]
    assert Decimal(str(total_row[9])) == batch.total == sum(amounts)
    assert [r[2] for r in rows[2:] if isinstance(r[0], int)] == ["甲支部"]  # the second branch has no line on the sheet
    assert any(r[0] == "审批记录：" for r in rows)
