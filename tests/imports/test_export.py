"""Export → import round trips, CSV formula neutralisation, ID masking."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.spreadsheets import write_csv, write_xlsx
from imports.columns import KIND_LABELS
from imports.export import export_headers, export_rows
from imports.pipeline import plan_import
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    OrganisationFactory,
    ZoneFactory,
)

FORMULA = '=HYPERLINK("http://evil.example","点击")'


def export(park, kind, fmt, show_id=True) -> bytes:
    header, rows = export_headers(kind), export_rows(park=park, kind=kind, show_id=show_id)
    return write_csv(header, rows) if fmt == "csv" else write_xlsx(header, rows, title=KIND_LABELS[kind])


def reimport(park, kind, data, fmt):
    return plan_import(park=park, kind=kind, data=data, filename=f"export.{fmt}")


@pytest.fixture
def roster(in_park, world):
    """A park with a bit of everything an export writes."""
    park, today = in_park, timezone.localdate()
    east = ZoneFactory(park=park, name="东区")
    a = EnterpriseFactory(park=park, name="甲机械有限公司", zone=east, contact_name="王五", contact_phone="0537-6201234",
                          legal_representative="赵六", employees=120)
    b = EnterpriseFactory(park=park, name="乙化工有限公司", industry="")
    c = EnterpriseFactory(park=park, name="丙科技有限公司", employees=0)
    EnterpriseFactory(park=park, name="丁贸易有限公司", status="moved_out", moved_out_on=date(2024, 3, 1))
    EnterpriseFactory(park=park, name=FORMULA, industry="-", contact_name="@admin")
    general = OrganisationFactory(park=park, name="园区党总支", kind="general_branch", formation="fallback",
                                  parent=world.work_committee, founded_on=date(2015, 6, 1), secretary_name="钱七")
    joint = OrganisationFactory(park=park, name="甲乙联合党支部", formation="joint", parent=general, founded_on=date(2018, 7, 1))
    CoverageFactory(organisation=joint, enterprise=a)
    CoverageFactory(organisation=joint, enterprise=b)
    single = OrganisationFactory(park=park, name="丙科技党支部", formation="single", parent=world.work_committee)
    CoverageFactory(organisation=single, enterprise=c)
    OrganisationFactory(park=park, name="项目临时党支部", formation="temporary", parent=world.work_committee,
                        founded_on=date(2024, 1, 1), ends_on=date(2026, 12, 31))
    OrganisationFactory(park=park, name="第一党小组", kind="group", formation="", parent=world.branch)
    MemberFactory(park=park, branch=world.branch, name="张三", enterprise=a, phone="13912345678", education="bachelor",
                  post="secretary", ethnicity="回族")
    MemberFactory(park=park, branch=joint, name="李四", status="mobile")
    MemberFactory(park=park, branch=general, name="王五", id_number=valid_id_number("19900101"),
                  stage="probationary", joined_on=today - timedelta(days=200), full_on=None)
    MemberFactory(park=park, branch=single, name="孙八", stage="applicant", joined_on=None, full_on=None)
    return park


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("kind", "expected"), [("enterprises", 5), ("branches", 7), ("members", 4)])
def test_export_then_import_is_all_unchanged(roster, kind, expected, fmt):
    result = reimport(roster, kind, export(roster, kind, fmt), fmt)
    assert result.errors == []
    assert result.summary == f"created 0, updated 0, unchanged {expected}, errors 0"


def test_csv_export_neutralises_formula_cells_and_reimports_unchanged(in_park):
    EnterpriseFactory(park=in_park, name=FORMULA, industry="-", contact_name="@admin", legal_representative="+1")
    data = export(in_park, "enterprises", "csv")
    assert ("'" + FORMULA).replace('"', '""').encode() in data
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert {"'" + FORMULA, "'-", "'@admin", "'+1"} <= set(cells)
    result = reimport(in_park, "enterprises", data, "csv")
    assert result.summary == "created 0, updated 0, unchanged 1, errors 0"


def test_xlsx_export_writes_no_formula(in_park):
    from openpyxl import load_workbook

    EnterpriseFactory(park=in_park, name=FORMULA)
    sheet = load_workbook(io.BytesIO(export(in_park, "enterprises", "xlsx"))).worksheets[0]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "'" + FORMULA


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_masks_id_numbers_unless_shown(in_park, world, fmt):
    number = valid_id_number("19850312", n=123)
    MemberFactory(park=in_park, branch=world.branch, id_number=number)
    masked = list(export_rows(park=in_park, kind="members", show_id=False))[0][3]
    assert masked == "370827********123" + number[-1]
    assert re.fullmatch(r"370827\*{8}123[\dX]", masked)
    hidden = export(in_park, "members", fmt, show_id=False)
    assert number.encode() not in hidden
    shown = list(export_rows(park=in_park, kind="members", show_id=True))[0][3]
    assert shown == number


def test_a_masked_export_does_not_import_as_new_members(in_park, world):
    """Re-importing a masked export must not create or change anyone: the masked IDs are errors."""
    MemberFactory(park=in_park, branch=world.branch)
    result = reimport(in_park, "members", export(in_park, "members", "csv", show_id=False), "csv")
    assert result.creates == [] and result.updates == []
    assert len(result.errors) >= 1 and result.errors[0].column == "身份证号"

