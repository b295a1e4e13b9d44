"""Rubrics (评分细则): the rules a version must keep (sum to 100, veto items carry no points), its
text form for the rubric page, publishing a version, and pinning a round to the version in force."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import RoundAssessment, Rubric, RubricItem
from audit.services import audit_record
from cycle.models import InspectionRound

TOTAL = Decimal("100")
MSG_EMPTY = _("评分细则至少要有一个评分项目。")
MSG_SUM = _("各评分项目分值合计应为100分，当前为%(total)s分。")
MSG_POINTS = _("第%(line)s项“%(title)s”的分值应大于0。")
MSG_POINTS_RANGE = _("第%(line)s项“%(title)s”的分值应为0到100之间的数字。")
MSG_VETO_POINTS = _("第%(line)s项“%(title)s”是一票否决项，不计分值。")
MSG_TITLE = _("第%(line)s项缺少维度或项目名称。")
MSG_DUPLICATE = _("第%(line)s项“%(title)s”与前面的项目重名。")
MSG_LINE = _("第%(line)s行无法识别：应为“维度｜项目｜分值”，或“一票否决｜项目”，自动计分的项目在末尾加“｜自动：三会一课”（或 月报告、月工作任务）。")

MEASURE_WORDS = {"三会一课": "meetings", "月报告": "reports", "月工作任务": "tasks"}

# The six 好 of DOMAIN.md, 100 points, with the three items the platform measures itself.
DEFAULT_ITEMS = [
    ("领导班子好", "支部委员会健全，按期换届", Decimal("10"), False, ""),
    ("领导班子好", "书记履行第一责任人职责", Decimal("10"), False, ""),
    ("党员队伍好", "发展党员程序规范，积极分子培养到位", Decimal("10"), False, ""),
    ("党员队伍好", "党员教育管理与党费收缴", Decimal("10"), False, ""),
    ("组织生活好", "三会一课、主题党日按要求开展", Decimal("20"), False, "meetings"),
    ("制度落实好", "月报告按时报送", Decimal("10"), False, "reports"),
    ("制度落实好", "月工作清单任务按期完成", Decimal("10"), False, "tasks"),
    ("基础工作好", "阵地建设和台账资料规范", Decimal("10"), False, ""),
    ("作用发挥好", "党建引领企业发展成效", Decimal("10"), False, ""),
    ("一票否决", "发生严重违纪违法或重大安全生产事故", Decimal("0"), True, ""),
]


def fmt_points(value: Decimal) -> str:
    """60, 7.5 — never 6E+1, as Decimal.normalize() alone would print it."""
    return format(value.normalize(), "f")


def _points_in_range(points: Decimal) -> bool:
    """A finite number of points within ±100 (not NaN, Infinity or 1e999999); the sign is judged apart."""
    return points.is_finite() and -TOTAL <= points <= TOTAL


def rubric_errors(items: list[dict]) -> list[str]:
    """Every rule the items break, as messages naming the line; [] when the rubric is sound."""
    errors, seen, total = [], set(), Decimal("0")
    if not items:
        return [str(MSG_EMPTY)]
    for line, item in enumerate(items, start=1):
        title = (item.get("title") or "").strip()
        if not title or not (item.get("dimension") or "").strip():
            errors.append(str(MSG_TITLE % {"line": line}))
            continue
        if title in seen:
            errors.append(str(MSG_DUPLICATE % {"line": line, "title": title}))
        seen.add(title)
        try:
            points = Decimal(str(item.get("max_points") or 0))
        except ArithmeticError:
            points = Decimal("NaN")
        if not _points_in_range(points):
            errors.append(str(MSG_POINTS_RANGE % {"line": line, "title": title}))
            continue
        if item.get("is_veto"):
            if points:
                errors.append(str(MSG_VETO_POINTS % {"line": line, "title": title}))
        elif points <= 0:
            errors.append(str(MSG_POINTS % {"line": line, "title": title}))
        else:
            total += points
    if total != TOTAL:
        errors.append(str(MSG_SUM % {"total": fmt_points(total)}))
    return errors


def parse_rubric_text(text: str) -> tuple[list[dict], list[str]]:
    """The page's one-item-a-line form: 维度｜项目｜分值[｜自动:三会一课], or 一票否决｜项目."""
    items, errors = [], []
    for line, raw in enumerate((l for l in text.splitlines() if l.strip()), start=1):
        parts = [p.strip() for p in raw.replace("|", "｜").split("｜")]
        measure = ""
        if parts and parts[-1].startswith(("自动:", "自动：")):
            measure = MEASURE_WORDS.get(parts.pop()[3:].strip(), None)
            if measure is None:
                errors.append(str(MSG_LINE % {"line": line}))
                continue
        if len(parts) == 2 and parts[0] == "一票否决":
            items.append({"dimension": "一票否决", "title": parts[1], "max_points": Decimal("0"), "is_veto": True, "measure": ""})
            continue
        if len(parts) != 3:
            errors.append(str(MSG_LINE % {"line": line}))
            continue
        try:
            points = Decimal(parts[2].removesuffix("分"))
        except InvalidOperation:
            errors.append(str(MSG_LINE % {"line": line}))
            continue
        if not _points_in_range(points):
            errors.append(str(MSG_POINTS_RANGE % {"line": line, "title": parts[1]}))
            continue
        items.append({"dimension": parts[0], "title": parts[1], "max_points": points, "is_veto": False, "measure": measure})
    return items, errors


def rubric_text(items) -> str:
    labels = {v: k for k, v in MEASURE_WORDS.items()}
    lines = []
    for item in items:
        if item.is_veto:
            lines.append(f"一票否决｜{item.title}")
        else:
            tail = f"｜自动：{labels[item.measure]}" if item.measure else ""
            lines.append(f"{item.dimension}｜{item.title}｜{fmt_points(item.max_points)}{tail}")
    return "\n".join(lines)


def check_rubric(items: list[dict]) -> None:
    if errors := rubric_errors(items):
        raise ValidationError({"items": errors})


# --- Versions and rounds ---------------------------------------------------------------------------
@transaction.atomic
def rubric_publish(*, park, actor, items: list[dict], published_on: date | None = None, note: str = "") -> Rubric:
    """A new version; rounds opened from its date on use it, earlier rounds keep theirs."""
    check_rubric(items)
    latest = Rubric.objects.filter(park=park).order_by("-version").first()
    rubric = Rubric.objects.create(
        park=park, version=(latest.version + 1) if latest else 1, published_on=published_on or timezone.localdate(),
        note=note, created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    RubricItem.objects.bulk_create(
        [RubricItem(park=park, rubric=rubric, position=n, **item) for n, item in enumerate(items)]
    )
    audit_record(park=park, actor=actor, action="rubric.publish", target=rubric, changes={"version": [None, rubric.version], "items": [None, len(items)]})
    return rubric


def default_items() -> list[dict]:
    return [
        {"dimension": d, "title": t, "max_points": p, "is_veto": v, "measure": m} for d, t, p, v, m in DEFAULT_ITEMS
    ]


@transaction.atomic
def round_start(*, inspection_round: InspectionRound, actor) -> RoundAssessment:
    """Open a round for scoring (the cycle's job does it the day the round opens; an admin may do it
    for a round the job did not reach): its rubric version is pinned now."""
    existed = RoundAssessment.objects.filter(park=inspection_round.park, round=inspection_round).exists()
    assessment = round_assessment(inspection_round=inspection_round)
    if not existed:
        audit_record(park=inspection_round.park, actor=actor, action="assessment.start", target=inspection_round,
                     changes={"rubric": [None, str(assessment.rubric)]})
    return assessment


def round_assessment(*, inspection_round: InspectionRound) -> RoundAssessment:
    """The round as assessed, with its rubric pinned: the latest version published by its opening."""
    found = RoundAssessment.objects.filter(park=inspection_round.park, round=inspection_round).select_related("rubric").first()
    if found:
        return found
    park = inspection_round.park
    rubric = (
        Rubric.objects.filter(park=park, published_on__lte=inspection_round.opens_on).order_by("-version").first()
        or Rubric.objects.filter(park=park).order_by("version").first()
        or rubric_publish(park=park, actor=None, items=default_items(), published_on=inspection_round.opens_on, note="默认评分细则")
    )
    assessment, _ = RoundAssessment.objects.get_or_create(park=park, round=inspection_round, defaults={"rubric": rubric})
    return assessment
