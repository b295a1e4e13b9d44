"""plan_import / import_direct on real-looking rosters: layout, values, keys, atomicity, tenancy, rules."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from imports.pipeline import Change, plan_import
from imports.services import import_direct
from members.models import Member, MemberTransfer, StatusChange
from orgs.models import Enterprise, Organisation
from tests.imports.helpers import (
    MEMBER_HEADER,
    counts,
    csv_bytes,
    id_ending_in_digit,
    id_ending_in_x,
    member_row,
    xlsx,
    xlsx_with_integer_cell,
)
from tests.members.factories import MemberFactory, valid_id_number
from tests.orgs.factories import (
    CoverageFactory,
    EnterpriseFactory,
    OrganisationFactory,
    ZoneFactory,
    valid_credit_code,
)

TODAY = date(2025, 6, 1)
BRANCH = "alpha第一党支部"  # world.branch


def plan(park, kind, rows, fmt="xlsx", **kw):
    data = xlsx(rows) if fmt == "xlsx" else csv_bytes(rows)
    return plan_import(park=park, kind=kind, data=data, filename=f"roster.{fmt}", today=TODAY, **kw)


def direct(park, kind, rows, fmt="xlsx"):
    data = xlsx(rows) if fmt == "xlsx" else csv_bytes(rows)
    return import_direct(park=park, actor=None, kind=kind, data=data, filename=f"roster.{fmt}")


def members_file(*rows):
    return [MEMBER_HEADER, *rows]


def one_error(result):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --- Real files ------------------------------------------------------------------------------------
def test_title_rows_blanks_notes_and_extra_columns(in_park):
    first, second = valid_id_number(), valid_id_number()
    rows = [
        ["XX园区党员花名册"],
        ["填报单位：XX园区党工委", None, None, "填报日期：2025年5月"],
        [" 序号", "姓　名 ", "＊公民身份号码（18位）", "所在党支部", "手机号", "入党时间", "转正时间", "备注"],
        [1, "张三", first, BRANCH, "13912345678", "2010-07-01", "2011-07-01", "老党员"],
        [],
        [2, "李四", second, BRANCH, "", "2012-07-01", "2013-07-01", None],
        [None, None, None, None],
        ["注：身份证号请填写18位。"],
    ]
    result = direct(in_park, "members", rows)
    assert result.summary == "created 2, updated 0, unchanged 0, errors 0"
    zhang = Member.objects.get(name="张三")
    assert (zhang.id_number, zhang.phone, zhang.joined_on) == (first, "13912345678", date(2010, 7, 1))


def test_a_contact_line_above_the_header_is_not_taken_for_the_header(in_park):
    rows = [
        ["XX园区企业台账"],
        ["填报单位：XX园区管委会", None, "联系人：", "张三", "联系电话：", "0537-6201234"],
        ["序号", "企业名称", "统一社会信用代码", "联系人", "联系电话"],
        [1, "甲公司", valid_credit_code(), "王五", "13912345678"],
    ]
    result = plan(in_park, "enterprises", rows)
    assert result.errors == []
    assert result.summary == "created 1, updated 0, unchanged 0, errors 0"


def test_errors_point_at_the_spreadsheet_row(in_park):
    rows = [["XX园区党员花名册"], [], MEMBER_HEADER, member_row("张三", valid_id_number(), BRANCH), member_row("李四", valid_id_number(), "不存在的支部")]
    error = one_error(plan(in_park, "members", rows))
    assert (error.row, error.column, error.value) == (5, "所在党支部", "不存在的支部")


@pytest.mark.parametrize("id_header", ["身份证号", "公民身份号码", "身份证号码", " 身份证 号 ", "身份证号（必填）"])
@pytest.mark.parametrize("phone_header", ["联系电话", "手机号"])
@pytest.mark.parametrize("joined_header", ["入党时间", "入党日期", "入党日期 "])
def test_header_synonyms(in_park, id_header, phone_header, joined_header):
    number = valid_id_number()
    rows = [
        ["姓名", id_header, "所在党支部", phone_header, joined_header, "转正日期"],
        ["张三", number, BRANCH, "13912345678", "2010-07-01", "2011-07-01"],
    ]
    result = plan(in_park, "members", rows)
    assert result.errors == []
    values = result.creates[0]
    assert (values["id_number"], values["phone"], values["joined_on"]) == (number, "13912345678", date(2010, 7, 1))


def test_missing_required_column_is_one_error_on_the_header_row(in_park):
    rows = [
        ["XX园区党员花名册"],
        ["姓名", "身份证号", "入党日期", "转正日期"],
        ["张三", valid_id_number(), "2010-07-01", "2011-07-01"],
        ["李四", valid_id_number(), "2010-07-01", "2011-07-01"],
    ]
    error = one_error(plan(in_park, "members", rows))
    assert (error.row, error.column) == (2, "所在党支部")
    assert "缺少必填列“所在党支部”" in error.message


# --- Dates -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("joined", "expected"),
    [
        (datetime(2010, 7, 1), date(2010, 7, 1)),
        (40360, date(2010, 7, 1)),
        ("2020-07-01", date(2020, 7, 1)),
        ("2020/7/1", date(2020, 7, 1)),
        ("2020.07.01", date(2020, 7, 1)),
        ("2020年7月1日", date(2020, 7, 1)),
        ("202007", date(2020, 7, 1)),
    ],
)
def test_dates_in_every_office_format(in_park, joined, expected):
    rows = members_file(member_row("张三", valid_id_number(), BRANCH, joined=joined, full=None))
    result = plan(in_park, "members", rows)
    assert result.errors == []
    assert result.creates[0]["joined_on"] == expected


def test_unparseable_date_is_a_chinese_error_naming_the_value(in_park):
    rows = members_file(member_row("张三", valid_id_number(), BRANCH, joined="2010年13月1日", full=None))
    error = one_error(plan(in_park, "members", rows))
    assert (error.row, error.column, error.value) == (2, "入党日期", "2010年13月1日")
    assert "无法识别的日期“2010年13月1日”" in error.message


# --- ID numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape",
    ["full-width digits", "lowercase x", "surrounding spaces", "integer cell"],
)
def test_id_number_shapes_are_accepted(in_park, shape):
    number = id_ending_in_digit() if shape == "integer cell" else id_ending_in_x()
    cell = {
        "full-width digits": lambda: number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
        "lowercase x": lambda: number.lower(),
        "surrounding spaces": lambda: f"  {number} ",
        "integer cell": lambda: int(number),
    }[shape]()
    rows = members_file(member_row("张三", cell, BRANCH))
    data = xlsx_with_integer_cell(rows, cell) if shape == "integer cell" else xlsx(rows)
    result = import_direct(park=in_park, actor=None, kind="members", data=data, filename="roster.xlsx")
    assert result.summary == "created 1, updated 0, unchanged 0, errors 0"
    assert Member.objects.get().id_number == number


def test_an_18_digit_number_written_by_openpyxl_comes_back_as_a_float(in_park):
    """What Excel really stores for a number cell: a double, so the ID's tail is lost and rejected."""
    number = id_ending_in_digit()
    error = one_error(plan(in_park, "members", members_file(member_row("张三", int(number), BRANCH))))
    assert error.column == "身份证号" and "存成了数字" in error.message


def test_id_number_stored_as_a_float_is_a_clear_error(in_park):
    number = id_ending_in_digit()
    error = one_error(plan(in_park, "members", members_file(member_row("张三", float(number), BRANCH))))
    assert error.column == "身份证号"
    assert "存成了数字" in error.message


def test_wrong_check_digit_is_an_error_with_the_id_masked(in_park):
    number = id_ending_in_digit()
    wrong = number[:17] + str((int(number[17]) + 1) % 10)
    error = one_error(plan(in_park, "members", members_file(member_row("张三", wrong, BRANCH))))
    assert error.column == "身份证号"
    assert "校验位错误" in error.message
    assert error.value == wrong[:6] + "********" + wrong[14:]
    assert wrong not in error.value and wrong not in error.message and wrong not in error.line()


# --- CSV encodings ---------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encoding_is_detected(in_park, encoding):
    rows = [["园区党员花名册"], MEMBER_HEADER, member_row("张三丰", valid_id_number(), BRANCH)]
    result = import_direct(park=in_park, actor=None, kind="members", data=csv_bytes(rows, encoding), filename="花名册.csv")
    assert result.summary == "created 1, updated 0, unchanged 0, errors 0"
    assert Member.objects.get().name == "张三丰"


# --- Natural keys: idempotent imports ---------------------------------------------------------------
def test_enterprises_twice_by_credit_code(in_park):
    rows = [["企业名称", "统一社会信用代码", "职工人数"], ["甲公司", valid_credit_code(), 30], ["乙公司", valid_credit_code(), 40]]
    assert direct(in_park, "enterprises", rows).summary == "created 2, updated 0, unchanged 0, errors 0"
    assert direct(in_park, "enterprises", rows).summary == "created 0, updated 0, unchanged 2, errors 0"
    rows[2][2] = 45
    result = direct(in_park, "enterprises", rows)
    assert result.summary == "created 0, updated 1, unchanged 1, errors 0"
    assert result.changes == [Change(3, "乙公司", "职工人数", "40", "45")]
    assert Enterprise.objects.get(name="乙公司").employees == 45


def test_a_roster_that_moves_a_member_leaves_a_transfer_and_a_status_record(in_park, world):
    second = OrganisationFactory(park=in_park, parent=world.work_committee, name="第二党支部")
    number = valid_id_number()
    header = [*MEMBER_HEADER, "状态"]
    assert direct(in_park, "members", [header, [*member_row("张三", number, BRANCH), "在册"]]).summary.startswith("created 1")
    result = direct(in_park, "members", [header, [*member_row("张三", number, second.name), "流动"]])
    assert result.summary == "created 0, updated 1, unchanged 0, errors 0"
    member = Member.objects.get(name="张三")
    transfer = MemberTransfer.objects.get(member=member)
    assert (transfer.kind, transfer.from_branch.name, transfer.to_branch, transfer.note) == ("within", BRANCH, second, "花名册导入")
    status = StatusChange.objects.get(member=member)
    assert (status.from_status, status.to_status, status.reason) == ("active", "mobile", "花名册导入")


def test_ownership_is_read_by_the_words_offices_use(in_park):
    rows = [["企业名称", "统一社会信用代码", "企业性质"], ["甲公司", valid_credit_code(), "民营企业"], ["乙公司", valid_credit_code(), "国有控股"],
            ["丙公司", valid_credit_code(), "中外合资"], ["丁公司", valid_credit_code(), ""]]
    assert direct(in_park, "enterprises", rows).summary == "created 4, updated 0, unchanged 0, errors 0"
    owned = dict(Enterprise.objects.values_list("name", "ownership"))
    assert owned == {"甲公司": "private", "乙公司": "state", "丙公司": "foreign", "丁公司": "private"}  # blank: the usual case
    rows[2][2] = "外星投资"
    result = direct(in_park, "enterprises", rows)
    assert result.summary.endswith("errors 1") and "第3行 [企业性质] “外星投资”" in result.errors[0].line()


def test_branches_twice_by_name(in_park):
    rows = [["党组织名称", "组织类型", "组建方式", "书记"], ["第二党支部", "党支部", "兜底", "王五"]]
    assert direct(in_park, "branches", rows).summary == "created 1, updated 0, unchanged 0, errors 0"
    assert direct(in_park, "branches", rows).summary == "created 0, updated 0, unchanged 1, errors 0"
    rows[1][3] = "赵六"
    result = direct(in_park, "branches", rows)
    assert result.summary == "created 0, updated 1, unchanged 0, errors 0"
    assert result.changes == [Change(2, "第二党支部", "书记", "王五", "赵六")]
    assert Organisation.objects.get(name="第二党支部").secretary_name == "赵六"


def test_members_twice_by_id_number(in_park):
    rows = [
        MEMBER_HEADER + ["联系电话"],
        member_row("张三", valid_id_number(), BRANCH) + [""],
        member_row("李四", valid_id_number(), BRANCH) + ["13912345678"],
    ]
    assert direct(in_park, "members", rows).summary == "created 2, updated 0, unchanged 0, errors 0"
    assert direct(in_park, "members", rows).summary == "created 0, updated 0, unchanged 2, errors 0"
    rows[1][-1] = "13800001111"
    result = direct(in_park, "members", rows)
    assert result.summary == "created 0, updated 1, unchanged 1, errors 0"
    assert result.changes == [Change(2, "张三", "联系电话", "", "13800001111")]
    assert Member.objects.get(name="张三").phone == "13800001111"


def test_members_update_from_a_file_with_only_some_columns(in_park, world):
    number = valid_id_number()
    MemberFactory(park=in_park, branch=world.branch, name="张三", id_number=number)
    rows = [["姓名", "身份证号", "所在党支部", "联系电话"], ["张三", number, BRANCH, "13800001111"]]
    result = plan(in_park, "members", rows)
    assert result.errors == []
    assert result.summary == "created 0, updated 1, unchanged 0, errors 0"


def test_branches_update_from_a_file_with_only_some_columns(in_park):
    rows = [["党组织名称", "书记"], [BRANCH, "王五"]]
    result = plan(in_park, "branches", rows)
    assert result.errors == []
    assert result.summary == "created 0, updated 1, unchanged 0, errors 0"


def test_names_with_backslash_tab_and_quotes_are_stored_exactly(in_park):
    names = ["张\\三", "李\t四", 'O"Brien', "王\\N"]
    rows = members_file(*(member_row(name, valid_id_number(), BRANCH) for name in names))
    assert direct(in_park, "members", rows).summary == "created 4, updated 0, unchanged 0, errors 0"
    assert sorted(Member.objects.values_list("name", flat=True)) == sorted(names)
    assert plan(in_park, "members", rows).summary == "created 0, updated 0, unchanged 4, errors 0"


# --- Atomicity -------------------------------------------------------------------------------------
def test_a_bad_last_row_writes_nothing(in_park):
    rows = members_file(
        member_row("张三", valid_id_number(), BRANCH),
        member_row("李四", valid_id_number(), BRANCH),
        member_row("王五", valid_id_number(), BRANCH, joined="不详"),
    )
    before = counts(in_park)
    result = direct(in_park, "members", rows)
    assert result.summary == "created 0, updated 0, unchanged 0, errors 1"
    assert counts(in_park) == before


def test_a_value_the_database_rejects_in_the_last_row_writes_nothing(in_park):
    """Even when the database itself refuses the last row, the rows before it are not kept."""
    rows = members_file(member_row("张三", valid_id_number(), BRANCH), member_row("李" * 40, valid_id_number(), BRANCH))
    before = counts(in_park)
    try:
        direct(in_park, "members", rows)
    except Exception:  # noqa: BLE001 - whatever the database raises, the first row must not stay
        pass
    assert counts(in_park) == before


def test_an_over_long_name_is_a_row_error(in_park):
    rows = members_file(member_row("李" * 40, valid_id_number(), BRANCH))
    error = one_error(plan(in_park, "members", rows))
    assert error.column == "姓名"


# --- Tenancy ---------------------------------------------------------------------------------------
def test_member_naming_another_parks_branch_is_an_error(in_park, world, other):
    rows = members_file(member_row("张三", valid_id_number(), other.branch.name))
    before = counts(in_park), counts(other.park)
    result = direct(in_park, "members", rows)
    error = one_error(result)
    assert (error.column, error.value) == ("所在党支部", other.branch.name)
    assert (counts(in_park), counts(other.park)) == before


def test_member_naming_another_parks_enterprise_is_an_error(in_park, other):
    foreign = EnterpriseFactory(park=other.park, name="外园区企业有限公司")
    rows = [MEMBER_HEADER + ["工作单位"], member_row("张三", valid_id_number(), BRANCH) + [foreign.name]]
    before = counts(in_park), counts(other.park)
    error = one_error(direct(in_park, "members", rows))
    assert (error.column, error.value) == ("工作单位", foreign.name)
    assert (counts(in_park), counts(other.park)) == before


def test_branch_covering_another_parks_enterprise_is_an_error(in_park, other):
    foreign = EnterpriseFactory(park=other.park, name="外园区企业有限公司")
    rows = [["党组织名称", "组织类型", "组建方式", "所在单位"], ["新党支部", "党支部", "单独组建", foreign.name]]
    before = counts(in_park), counts(other.park)
    error = one_error(direct(in_park, "branches", rows))
    assert (error.column, error.value) == ("所在单位", foreign.name)
    assert (counts(in_park), counts(other.park)) == before


# --- Duplicates inside one file --------------------------------------------------------------------
def test_duplicate_credit_code_names_the_earlier_row(in_park):
    code = valid_credit_code()
    rows = [["企业台账"], ["企业名称", "统一社会信用代码"], ["甲公司", code], ["乙公司", valid_credit_code()], ["甲公司分厂", code.lower()]]
    error = one_error(plan(in_park, "enterprises", rows))
    assert (error.row, error.column) == (5, "统一社会信用代码")
    assert "与第3行重复" in error.message


def test_duplicate_id_number_names_the_earlier_row_and_stays_masked(in_park):
    number = id_ending_in_x()
    rows = members_file(member_row("张三", number, BRANCH), member_row("张三", number.lower(), BRANCH))
    error = one_error(plan(in_park, "members", rows))
    assert error.row == 3 and "与第2行重复" in error.message
    assert number not in error.line()


def test_duplicate_branch_name_names_the_earlier_row(in_park):
    rows = [["党组织名称", "组织类型", "组建方式"], ["第二党支部", "党支部", "兜底"], ["第二党支部", "党支部", "兜底"]]
    error = one_error(plan(in_park, "branches", rows))
    assert error.row == 3 and "与第2行重复" in error.message


# --- Member rules ----------------------------------------------------------------------------------
def test_gender_not_matching_the_id_number(in_park):
    number = valid_id_number()  # 17th digit decides: build a man, call him 女
    gender = "女" if int(number[16]) % 2 else "男"
    rows = [MEMBER_HEADER + ["性别"], member_row("张三", number, BRANCH) + [gender]]
    error = one_error(plan(in_park, "members", rows))
    assert error.column == "性别" and "性别与身份证号不符" in error.message


def test_full_member_without_joined_date(in_park):
    rows = members_file(member_row("张三", valid_id_number(), BRANCH, joined="", full=""))
    error = one_error(plan(in_park, "members", rows))
    assert error.column == "入党日期" and "须填写入党日期" in error.message


def test_probationary_member_with_full_date(in_park):
    rows = members_file(member_row("张三", valid_id_number(), BRANCH, stage="预备党员", joined="2023-12-01", full="2025-01-01"))
    error = one_error(plan(in_park, "members", rows))
    assert error.column == "转正日期" and "预备党员不应有转正日期" in error.message


def test_under_18_when_joining(in_park):
    rows = members_file(member_row("张三", valid_id_number(birth="20000301"), BRANCH, joined="2017-07-01", full="2018-07-01"))
    error = one_error(plan(in_park, "members", rows))
    assert error.column == "入党日期" and "入党须年满18周岁" in error.message


# --- Enterprises -----------------------------------------------------------------------------------
def test_invalid_credit_code_is_a_chinese_error(in_park):
    code = valid_credit_code()
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    rows = [["企业名称", "统一社会信用代码"], ["甲公司", bad]]
    error = one_error(plan(in_park, "enterprises", rows))
    assert (error.column, error.value) == ("统一社会信用代码", bad)
    assert "统一社会信用代码校验位错误" in error.message


def test_unknown_zone_lists_the_allowed_zones(in_park):
    ZoneFactory(park=in_park, name="东区")
    ZoneFactory(park=in_park, name="西区")
    rows = [["企业名称", "统一社会信用代码", "所在片区"], ["甲公司", valid_credit_code(), "北区"]]
    error = one_error(plan(in_park, "enterprises", rows))
    assert (error.column, error.value) == ("所在片区", "北区")
    assert "“北区”" in error.message and "东区" in error.message and "西区" in error.message


def test_moved_out_status_sets_moved_out_on(in_park):
    kept = EnterpriseFactory(park=in_park, name="老公司")
    rows = [["企业名称", "统一社会信用代码", "状态"], ["新公司", valid_credit_code(), "迁出"], ["老公司", kept.credit_code, "已迁出"]]
    assert direct(in_park, "enterprises", rows).summary == "created 1, updated 1, unchanged 0, errors 0"
    for name in ("新公司", "老公司"):
        enterprise = Enterprise.objects.get(name=name)
        assert (enterprise.status, enterprise.moved_out_on) == ("moved_out", timezone.localdate())


# --- Branches --------------------------------------------------------------------------------------
def test_joint_branch_covers_several_enterprises(in_park, world):
    for name in ("甲公司", "乙公司", "丙公司"):
        EnterpriseFactory(park=in_park, name=name)
    rows = [["党组织名称", "组织类型", "组建方式", "所在单位"], ["联合党支部", "党支部", "联合组建", "甲公司、乙公司、 丙公司"]]
    assert direct(in_park, "branches", rows).summary == "created 1, updated 0, unchanged 0, errors 0"
    joint = Organisation.objects.get(name="联合党支部")
    assert joint.formation == "joint" and joint.parent == world.work_committee
    assert sorted(joint.enterprises.values_list("name", flat=True)) == ["丙公司", "乙公司", "甲公司"]


def test_parent_defined_in_a_later_row(in_park, world):
    rows = [
        ["党组织名称", "组织类型", "组建方式", "上级党组织"],
        ["一车间党支部", "党支部", "兜底", "新党总支"],
        ["新党总支", "党总支", "兜底", ""],
    ]
    assert direct(in_park, "branches", rows).summary == "created 2, updated 0, unchanged 0, errors 0"
    general = Organisation.objects.get(name="新党总支")
    assert general.parent == world.work_committee
    assert Organisation.objects.get(name="一车间党支部").parent == general
    assert direct(in_park, "branches", rows).summary == "created 0, updated 0, unchanged 2, errors 0"


def test_blank_parent_defaults_to_the_work_committee(in_park, world):
    rows = [["党组织名称", "组建方式", "上级党组织"], ["第三党支部", "兜底", None]]
    direct(in_park, "branches", rows)
    assert Organisation.objects.get(name="第三党支部").parent == world.work_committee


def test_existing_joint_branch_reimports_unchanged(in_park):
    joint = OrganisationFactory(park=in_park, name="联合党支部", formation="joint", parent=Organisation.objects.get(kind="work_committee"))
    for name in ("甲公司", "乙公司"):
        CoverageFactory(organisation=joint, enterprise=EnterpriseFactory(park=in_park, name=name))
    rows = [["党组织名称", "组织类型", "组建方式", "所在单位"], ["联合党支部", "党支部", "联合组建", "乙公司，甲公司"]]
    assert plan(in_park, "branches", rows).summary == "created 0, updated 0, unchanged 1, errors 0"


def test_no_writes_outside_scope_leak(in_park, other):
    """Sanity: the other park's data is untouched by a clean import into this park."""
    before = counts(other.park)
    direct(in_park, "enterprises", [["企业名称", "统一社会信用代码"], ["甲公司", valid_credit_code()]])
    assert counts(other.park) == before
    with scopes_disabled():
        assert Enterprise.objects.filter(name="甲公司").get().park == in_park
