"""Rules of the party organisation tree (支部工作条例), shared by forms, API and import."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orgs.models import Organisation

Kind = Organisation.Kind
Formation = Organisation.Formation

# Depth of each kind in the tree; a parent always has a smaller rank, so the tree cannot loop.
KIND_RANK = {
    Kind.WORK_COMMITTEE: 0,
    Kind.COMPREHENSIVE_COMMITTEE: 1,
    Kind.REGIONAL_COMMITTEE: 1,
    Kind.ENTERPRISE_COMMITTEE: 1,
    Kind.GENERAL_BRANCH: 2,
    Kind.BRANCH: 3,
    Kind.GROUP: 4,
}
JOINT_BRANCH_MAX_UNITS = 5  # a joint branch covers at most five units

MSG_PARENT_REQUIRED = _("请选择上级党组织。")
MSG_WORK_COMMITTEE_NO_PARENT = _("党工委是园区最高一级党组织，不能有上级党组织。")
MSG_PARENT_OTHER_PARK = _("上级党组织不属于本园区。")
MSG_PARENT_RANK = _("“%(parent)s”（%(parent_kind)s）不能作为%(kind)s的上级党组织。")
MSG_GROUP_PARENT = _("党小组的上级必须是党支部。")
MSG_CHILD_RANK = _("该组织下还有%(child_kind)s“%(child)s”，不能改为%(kind)s。")
MSG_FORMATION_REQUIRED = _("党支部和党总支须填写组建方式。")
MSG_FORMATION_NOT_ALLOWED = _("%(kind)s不填写组建方式。")
MSG_TEMPORARY_ONLY_BRANCH = _("只有党支部可以是临时党支部。")
MSG_TEMPORARY_END = _("临时党支部必须填写终止日期。")
MSG_END_BEFORE_FOUNDED = _("终止日期不能早于成立日期。")
MSG_DISSOLVED_BEFORE_FOUNDED = _("撤销日期不能早于成立日期。")
MSG_SINGLE_ONE_UNIT = _("单独组建的党组织应对应1家企业，当前选择了%(count)s家。")
MSG_JOINT_UNITS = _("联合组建的党支部应覆盖2至5家单位，当前选择了%(count)s家。")
MSG_UNIT_OTHER_PARK = _("所选企业“%(name)s”不属于本园区。")
MSG_UNIT_MOVED_OUT = _("企业“%(name)s”已迁出，不能再由党组织覆盖。")


def check_organisation(
    *,
    park,
    organisation: Organisation | None,
    kind: str,
    parent: Organisation | None,
    formation: str,
    founded_on: date | None,
    ends_on: date | None,
    dissolved_on: date | None,
    enterprises,
    child_kinds: list[tuple[str, str]] = (),
) -> None:
    """Raise ValidationError({field: [messages]}) for every rule the organisation breaks.

    `child_kinds` are (name, kind) of the organisation's current children, for kind changes.
    """
    errors: dict[str, list] = {}

    def add(field, message, **params):
        errors.setdefault(field, []).append(ValidationError(message, params=params or None))

    if kind == Kind.WORK_COMMITTEE:
        if parent is not None:
            add("parent", MSG_WORK_COMMITTEE_NO_PARENT)
    elif parent is None:
        add("parent", MSG_PARENT_REQUIRED)
    else:
        if parent.park_id != park.pk:
            add("parent", MSG_PARENT_OTHER_PARK)
        elif kind == Kind.GROUP and parent.kind != Kind.BRANCH:
            add("parent", MSG_GROUP_PARENT)
        elif KIND_RANK[parent.kind] >= KIND_RANK[kind]:
            add(
                "parent",
                MSG_PARENT_RANK,
                parent=parent.name,
                parent_kind=parent.get_kind_display(),
                kind=Kind(kind).label,
            )
    for child_name, child_kind in child_kinds:
        if KIND_RANK[child_kind] <= KIND_RANK[kind]:
            add("kind", MSG_CHILD_RANK, child_kind=Kind(child_kind).label, child=child_name, kind=Kind(kind).label)
            break

    if kind in (Kind.BRANCH, Kind.GENERAL_BRANCH):
        if not formation:
            add("formation", MSG_FORMATION_REQUIRED)
    elif formation and kind in (Kind.WORK_COMMITTEE, Kind.GROUP):
        add("formation", MSG_FORMATION_NOT_ALLOWED, kind=Kind(kind).label)
    if formation == Formation.TEMPORARY:
        if kind != Kind.BRANCH:
            add("formation", MSG_TEMPORARY_ONLY_BRANCH)
        if ends_on is None:
            add("ends_on", MSG_TEMPORARY_END)
    if founded_on and ends_on and ends_on < founded_on:
        add("ends_on", MSG_END_BEFORE_FOUNDED)
    if founded_on and dissolved_on and dissolved_on < founded_on:
        add("dissolved_on", MSG_DISSOLVED_BEFORE_FOUNDED)

    units = list(enterprises)
    for unit in units:
        if unit.park_id != park.pk:
            add("enterprises", MSG_UNIT_OTHER_PARK, name=unit.name)
        elif unit.status != unit.Status.ACTIVE and not dissolved_on:
            add("enterprises", MSG_UNIT_MOVED_OUT, name=unit.name)
    if formation == Formation.SINGLE and len(units) != 1:
        add("enterprises", MSG_SINGLE_ONE_UNIT, count=len(units))
    if formation == Formation.JOINT and not 2 <= len(units) <= JOINT_BRANCH_MAX_UNITS:
        add("enterprises", MSG_JOINT_UNITS, count=len(units))

    if errors:
        raise ValidationError(errors)


# --- Coverage gaps: which form would cover an uncovered enterprise --------------------------------
SUGGEST_SINGLE = "已有3名以上正式党员，可单独组建党支部"
SUGGEST_INSTRUCTOR = "选派党建工作指导员，先实现党的工作覆盖"
SUGGEST_JOINT = "与同片区未覆盖企业联合组建党支部（每个联合支部最多5家）"
SUGGEST_FALLBACK = "由园区综合党委兜底覆盖"
SINGLE_BRANCH_MIN_FULL_MEMBERS = 3  # 支部工作条例 Art. 4: 凡是有正式党员3人以上的，都应当成立党支部


def coverage_suggestions(*, has_instructor: bool, full_members: int, has_peers: bool) -> list[str]:
    """The forms that would fit an uncovered enterprise, as the 条例 orders them.

    Three or more full members working there can form their own branch; otherwise, where other
    uncovered enterprises share the zone, a joint branch fits, else the park committee covers it;
    without an instructor, one should be sent first (党的工作覆盖).
    """
    suggestions = [] if has_instructor else [SUGGEST_INSTRUCTOR]
    if full_members >= SINGLE_BRANCH_MIN_FULL_MEMBERS:
        suggestions.append(SUGGEST_SINGLE)
    else:
        suggestions.append(SUGGEST_JOINT if has_peers else SUGGEST_FALLBACK)
    return suggestions


# --- 组织体检: the 条例's rules an organisation's shape can break ------------------------------------
# 支部工作条例 Art. 4 (ch. 2): a branch generally has at most 50 members.
BRANCH_MAX_MEMBERS = 50
# 支部工作条例 ch. 6: a branch with 7 or more full members elects a 支部委员会 of 3 to 5 (generally
# at most 7) for 3 years (5 in villages and communities, which parks are not); below 7 it has a
# secretary, and a deputy if needed, and no committee.
COMMITTEE_MIN_FULL_MEMBERS = 7
COMMITTEE_MIN_SIZE = 3
TERM_YEARS = 3


# 企业规模 by employees, as the national statistical standard sorts industrial enterprises
# (《统计上大中小微型企业划分办法（2017）》, 国统字〔2017〕213号, 工业: 从业人员 ≥1000 大型,
# 300–999 中型, 20–299 小型, <20 微型). Only the headcount criterion is used: the roster holds no revenue.
ENTERPRISE_SIZES = [(1000, "large", "大型"), (300, "medium", "中型"), (20, "small", "小型"), (0, "micro", "微型")]


def enterprise_size(employees: int) -> str:
    return next(code for floor, code, _label in ENTERPRISE_SIZES if employees >= floor)
