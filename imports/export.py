"""Roster export to .xlsx and .csv with the headers the import takes, and blank import templates.

Export then import of the same park reports every row unchanged. CSV cells that a spreadsheet would
run as a formula are neutralised; ID numbers are masked unless the reader may see them whole.
"""


from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.crypto import decrypt_id
from core.periods import month_start
from core.spreadsheets import save_workbook, workbook
from core.validators import mask_id_number
from dues.selectors import bases_at
from imports.columns import COLUMNS, KIND_LABELS
from members.development import STEPS
from members.dues import DuesCategory
from members.models import DevelopmentStep, Member
from orgs.models import Coverage, Enterprise, Organisation, Zone
from orgs.rules import KIND_RANK
from services.models import Policy


def headers(kind: str) -> list[str]:
    return [column.header for column in COLUMNS[kind]]


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def enterprise_rows(*, park):
    for e in Enterprise.objects.filter(park=park).select_related("zone").order_by("name", "pk"):
        yield [
            e.name, e.credit_code, _label(Enterprise.Ownership, e.ownership), e.industry, e.employees, e.legal_representative, e.contact_name,
            e.contact_phone, e.zone.name if e.zone else "", _label(Enterprise.Status, e.status),
        ]


def branch_rows(*, park):
    units: dict[int, list[str]] = {}
    for org_id, name in Coverage.objects.filter(park=park).order_by("enterprise__name").values_list("organisation_id", "enterprise__name"):
        units.setdefault(org_id, []).append(name)
    organisations = list(Organisation.objects.filter(park=park).select_related("parent"))
    organisations.sort(key=lambda o: (KIND_RANK[o.kind], o.name))
    for o in organisations:
        yield [
            o.name, _label(Organisation.Kind, o.kind), _label(Organisation.Formation, o.formation),
            o.parent.name if o.parent else "", "、".join(units.get(o.pk, [])), o.founded_on, o.secretary_name,
            o.ends_on, o.elected_on,
        ]


def member_rows(*, park, show_id: bool):
    members = (
        Member.objects.filter(park=park)
        .select_related("branch", "enterprise")
        .order_by("branch__name", "name", "pk")
        .iterator(chunk_size=2000)
    )
    for m in members:
        number = decrypt_id(m.id_cipher)
        yield [
            m.name, _label(Member.Gender, m.gender), m.ethnicity, number if show_id else mask_id_number(number),
            _label(Member.Education, m.education), m.phone, m.branch.name, m.enterprise.name if m.enterprise else "",
            _label(Member.Stage, m.stage), m.joined_on, m.full_on, _label(Member.Post, m.post),
            _label(Member.Status, m.status),
        ]


def policy_rows(*, park):
    for p in Policy.objects.filter(park=park).order_by("title", "pk").iterator(chunk_size=500):
        yield [
            p.title, p.issuer, p.doc_number, p.issued_on, _label(Policy.Level, p.level), p.category, p.tags, p.body,
            p.valid_until, "是" if p.repealed else "否",
        ]


def development_rows(*, park, show_id: bool):
    """The 发展党员台账: everyone with a step on record, a date per step of the procedure."""
    done: dict[int, dict] = {}
    for member_id, code, on in DevelopmentStep.objects.filter(park=park).values_list("member_id", "step", "on"):
        done.setdefault(member_id, {})[code] = on
    people = Member.objects.filter(park=park, pk__in=list(done)).select_related("branch").order_by("branch__name", "name", "pk")
    for m in people.iterator(chunk_size=2000):
        number = decrypt_id(m.id_cipher)
        yield [m.name, number if show_id else mask_id_number(number), *(done[m.pk].get(step.code) for step in STEPS)]


def dues_basis_rows(*, park, show_id: bool):
    """Each member's basis in force this month, as the payroll import takes it back."""
    month = month_start(timezone.localdate())
    people = {m.pk: m for m in Member.objects.filter(park=park).select_related("branch")}
    bases = bases_at(park=park, member_ids=list(people), month=month)
    for basis in sorted(bases.values(), key=lambda b: (people[b.member_id].branch.name, people[b.member_id].name, b.member_id)):
        number = decrypt_id(people[basis.member_id].id_cipher)
        yield [people[basis.member_id].name, number if show_id else mask_id_number(number), _label(DuesCategory, basis.category),
               basis.base, basis.agreed, basis.voluntary, basis.effective_from.strftime("%Y-%m")]


def export_rows(*, park, kind: str, show_id: bool):
    if kind == "dues_bases":
        return dues_basis_rows(park=park, show_id=show_id)
    if kind == "development":
        return development_rows(park=park, show_id=show_id)
    if kind == "enterprises":
        return enterprise_rows(park=park)
    if kind == "branches":
        return branch_rows(park=park)
    if kind == "policies":
        return policy_rows(park=park)
    return member_rows(park=park, show_id=show_id)


def export_headers(kind: str) -> list[str]:
    return headers(kind)


# --- Blank templates -----------------------------------------------------------------------------
def _choice_labels(choices) -> list[str]:
    return [str(label) for _, label in choices]


ENUMERATIONS = {
    "enterprises": {"经济类型": _choice_labels(Enterprise.Ownership.choices), "状态": _choice_labels(Enterprise.Status.choices)},
    "branches": {
        "组织类型": _choice_labels(Organisation.Kind.choices),
        "组建方式": _choice_labels(Organisation.Formation.choices),
    },
    "members": {
        "性别": _choice_labels(Member.Gender.choices),
        "学历": _choice_labels(Member.Education.choices),
        "党员类别": _choice_labels(Member.Stage.choices),
        "党内职务": _choice_labels(Member.Post.choices),
        "状态": _choice_labels(Member.Status.choices),
    },
    "policies": {"层级": _choice_labels(Policy.Level.choices), "是否废止": ["否", "是"]},
    "development": {},
    "dues_bases": {"交纳类别": _choice_labels(DuesCategory.choices)},
}


def template_xlsx(*, park, kind: str) -> bytes:
    """A blank roster with the header row and drop-downs: enumerations, and the park's own names."""
    book = workbook()
    sheet = book.active
    sheet.title = KIND_LABELS[kind]
    header = export_headers(kind)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[cell_letter(index)].width = max(12, len(name) * 2 + 4)
    options = book.create_sheet("选项")
    options.sheet_state = "hidden"
    lists = dict(ENUMERATIONS[kind])
    if kind == "members":
        lists["所在党支部"] = list(
            Organisation.objects.filter(park=park, kind__in=["branch", "general_branch"], dissolved_on__isnull=True)
            .order_by("name").values_list("name", flat=True)
        )
        lists["工作单位"] = list(Enterprise.objects.filter(park=park, status=Enterprise.Status.ACTIVE).order_by("name").values_list("name", flat=True))
    if kind == "enterprises":
        lists["所在片区"] = list(Zone.objects.filter(park=park).order_by("name").values_list("name", flat=True))
    for column_number, (name, values) in enumerate(lists.items(), start=1):
        if name not in header or not values:
            continue
        letter = cell_letter(column_number)
        for row_number, value in enumerate(values, start=1):
            options.cell(row=row_number, column=column_number, value=value)
        target = cell_letter(header.index(name) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"=选项!${letter}$1:${letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请从下拉列表中选择",
            error=f"“{name}”只能填写下拉列表中的值。",
        )
        validation.add(f"{target}2:{target}5000")
        sheet.add_data_validation(validation)
    for name in ("身份证号", "统一社会信用代码", "联系电话"):  # text cells: Excel must not turn them into numbers
        if name in header:
            letter = cell_letter(header.index(name) + 1)
            for row in range(2, 1001):
                sheet[f"{letter}{row}"].number_format = "@"
    return save_workbook(book)  # a branch or enterprise named =… is a name in the hidden list, not a formula


def cell_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
