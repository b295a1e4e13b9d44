"""发展党员: the procedure's steps as data, and the timing rules that hold between them — the one place
this lives. 《中国共产党发展党员工作细则》(中办发〔2014〕, "细则" below); article numbers are given where
the article is certain, the chapter otherwise (ch. 2 入党积极分子的确定和培养教育 from Art. 4; ch. 4
预备党员的接收 from Art. 18; ch. 5 the probation and 转正, Arts. 32–33).

公示 is not set by the 细则: most provinces publish a development target for 5 working days before
the branch meeting; the number is a park setting, counted on the working-day calendar (weekends and
the State Council's holidays off, its 调休 weekend days on — members.models.Holiday, which is data).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from core.periods import add_months
from members.rules import earliest_candidate_on, probation_end

APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL = "applicant", "activist", "candidate", "probationary", "full"
DEVELOPING = (APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY)


@dataclass(frozen=True)
class Step:
    code: str
    stage: str  # the Member.Stage the step belongs to
    name: str
    source: str
    actor: str
    document: str = ""  # the paper the step produces, if any


# The 25 steps, in order (the numbering offices use: 五个阶段二十五个步骤).
STEPS: tuple[Step, ...] = (
    Step("apply", APPLICANT, "递交入党申请书", "细则 Art. 5（年满十八岁）", "申请人", "入党申请书"),
    Step("talk", APPLICANT, "党组织派人谈话", "细则 Art. 7（收到申请书后一个月内）", "党支部", "谈话记录"),
    Step("recommend", ACTIVIST, "推荐和确定入党积极分子", "细则 ch. 2", "党支部（党员推荐、群团组织推优）", "支委会会议记录"),
    Step("activist_file", ACTIVIST, "上级党委备案", "细则 ch. 2", "党支部", "入党积极分子备案表"),
    Step("mentors", ACTIVIST, "指定培养联系人", "细则 ch. 2", "党支部", ""),
    Step("cultivate", ACTIVIST, "培养教育考察", "细则 Art. 11（每半年考察一次）", "党支部、培养联系人", "培养考察登记表"),
    Step("candidate", CANDIDATE, "确定发展对象", "细则 Art. 13（培养一年以上）", "支部委员会", "支委会会议记录"),
    Step("candidate_file", CANDIDATE, "报上级党委备案", "细则 Art. 13", "党支部", "发展对象备案表"),
    Step("introducers", CANDIDATE, "确定入党介绍人", "细则 Art. 14（两名正式党员）", "党支部", ""),
    Step("vetting", CANDIDATE, "进行政治审查", "细则 ch. 3", "党支部、上级党委", "政审综合材料"),
    Step("training", CANDIDATE, "开展集中培训", "细则 Art. 17（不少于三天或二十四学时）", "上级党委", "培训结业证明"),
    Step("committee_review", PROBATIONARY, "支部委员会审查", "细则 Art. 19", "支部委员会", "支委会审查意见"),
    Step("publicity", PROBATIONARY, "发展对象公示", "园区规定（各省通行做法）", "党支部", "公示通知"),
    Step("pre_review", PROBATIONARY, "上级党委预审", "细则 Art. 19", "上级党委", "预审意见"),
    Step("application_form", PROBATIONARY, "填写入党志愿书", "细则 ch. 4", "发展对象", "入党志愿书"),
    Step("admit", PROBATIONARY, "支部大会讨论接收预备党员", "细则 Arts. 20–21", "支部大会", "支部大会决议"),
    Step("higher_talk", PROBATIONARY, "上级党委派人谈话", "细则 ch. 4", "上级党委", "谈话记录"),
    Step("approve", PROBATIONARY, "上级党委审批", "细则 ch. 4（三个月内）", "上级党委", "审批意见"),
    Step("approve_file", PROBATIONARY, "再上一级党委组织部门备案", "细则 ch. 4", "上级党委", ""),
    Step("assign", PROBATIONARY, "编入党支部和党小组", "细则 ch. 5", "党支部", ""),
    Step("oath", PROBATIONARY, "入党宣誓", "党章 Art. 6", "上级党委、党支部", ""),
    Step("probation", PROBATIONARY, "继续教育考察", "细则 Art. 32（预备期一年）", "党支部", "预备党员考察表"),
    Step("full_apply", FULL, "提出转正申请", "细则 Art. 33", "预备党员", "转正申请书"),
    Step("full_meeting", FULL, "支部大会讨论转正", "细则 Arts. 32–33", "支部大会", "转正决议"),
    Step("full_approve", FULL, "上级党委审批转正", "细则 Art. 33（三个月内）", "上级党委", "审批意见"),
)
STEP = {step.code: step for step in STEPS}
assert len(STEPS) == 25  # 五个阶段二十五个步骤
ORDER = {step.code: n for n, step in enumerate(STEPS, start=1)}



@dataclass(frozen=True)
class Due:
    code: str  # the step due
    start: date | None  # not before (None: no lower bound)
    end: date | None  # by (None: no deadline)
    reason: str


def working_days_after(start: date, days: int, *, holidays: set[date], workdays: set[date]) -> date:
    """The day on which `days` working days counted from `start` (its first day) have passed: a 公示
    starting on Friday the 26th over five working days ends on the Thursday after, a holiday skipped."""
    day, counted = start, 0
    while True:
        if is_working_day(day, holidays=holidays, workdays=workdays):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def is_working_day(day: date, *, holidays: set[date], workdays: set[date]) -> bool:
    if day in workdays:  # 调休: a weekend day worked
        return True
    return day.weekday() < 5 and day not in holidays


@dataclass(frozen=True)
class Publicity:
    """The park's 公示 rule: so many working days on the working-day calendar."""

    days: int
    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()

    def ends(self, start: date) -> date:
        return working_days_after(start, self.days, holidays=self.holidays, workdays=self.workdays)


def window(code: str, done: dict[str, date], *, publicity: Publicity, extension_months: int = 0) -> Due | None:
    """The dates the rules give step `code`, once the step it is timed from is done; None otherwise.
    The one statement of each timing rule: the due list shows it, recording a step checks it."""
    if code == "talk" and "apply" in done:  # 细则 Art. 7
        return Due(code, None, add_months(done["apply"], 1), "收到申请书后一个月内谈话")
    if code == "candidate" and "recommend" in done:  # 细则 Art. 13
        return Due(code, earliest_candidate_on(done["recommend"]), None, "培养满一年可列为发展对象")
    if code == "admit" and "publicity" in done:
        return Due(code, publicity.ends(done["publicity"]) + timedelta(days=1), None, "公示期满后召开支部大会")
    if code == "approve" and "admit" in done:
        return Due(code, None, add_months(done["admit"], 3), "支部大会后三个月内审批")
    if code in ("full_apply", "full_meeting") and "admit" in done:  # 细则 Art. 32
        return Due(code, probation_end(done["admit"], extension_months), None, "预备期满，及时讨论转正")
    if code == "full_approve" and "full_meeting" in done:
        return Due(code, None, add_months(done["full_meeting"], 3), "支部大会讨论转正后三个月内审批")
    return None


# What recording a step outside its window is told. 确定发展对象 a year after 确定入党积极分子 is
# checked with the member's dates by members.rules.check_member, when the step moves candidate_on;
# a 转正申请 may be handed in before the probation ends, so neither is checked here.
OUT_OF_WINDOW = {
    "talk": lambda done, due, publicity: f"谈话应在收到入党申请书（{done['apply']:%Y-%m-%d}）后一个月内进行（细则第七条）。",
    "admit": lambda done, due, publicity: (
        f"公示自 {done['publicity']:%Y-%m-%d} 起 {publicity.days} 个工作日，至 {due.start - timedelta(days=1):%Y-%m-%d} 期满；"
        f"支部大会须在公示期满后召开。"),
    "approve": lambda done, due, publicity: f"上级党委应在支部大会通过（{done['admit']:%Y-%m-%d}）后三个月内审批。",
    "full_meeting": lambda done, due, publicity: (
        f"预备期自支部大会通过之日（{done['admit']:%Y-%m-%d}）算起，至 {due.start:%Y-%m-%d} 期满，期满后才能讨论转正（细则第三十二条）。"),
    "full_approve": lambda done, due, publicity: f"上级党委应在支部大会讨论转正（{done['full_meeting']:%Y-%m-%d}）后三个月内审批。",
}


def timing_errors(code: str, on: date, done: dict[str, date], *, publicity: Publicity, extension_months: int = 0) -> list[str]:
    """Why recording step `code` on `on` breaks a timing rule, given the steps already `done`."""
    if code == "admit" and "publicity" not in done:
        return ["支部大会讨论前须先对发展对象进行公示。"]
    due = window(code, done, publicity=publicity, extension_months=extension_months) if code in OUT_OF_WINDOW else None
    if due is None or (due.start is None or on >= due.start) and (due.end is None or on <= due.end):
        return []
    return [OUT_OF_WINDOW[code](done, due, publicity)]


def last_done(done: dict[str, date]) -> int:
    """The position (1–25) of the furthest step on record; 0 when none is."""
    return max((ORDER[code] for code in done), default=0)


def next_due(done: dict[str, date], *, publicity: Publicity, extension_months: int = 0) -> Due | None:
    """The next step a member waits for, with the window the rules give it (for the due list): the
    one after the furthest step on record (an imported history may leave earlier steps out)."""
    step = next((step for step in STEPS[last_done(done):] if step.code not in done), None)
    if step is None:
        return None
    return window(step.code, done, publicity=publicity, extension_months=extension_months) or Due(step.code, None, None, step.name)


MSG_STEP_DONE = _("“%(step)s”已于 %(on)s 记录。")
MSG_STEP_FIRST = _("请先记录“%(step)s”。")
MSG_STEP_BEFORE = _("“%(step)s”的日期不能早于上一步“%(previous)s”（%(on)s）。")
MSG_STEP_GAP = _("已记录到“%(last)s”，“%(step)s”在它之前：补记更早的步骤请通过发展党员台账导入，以便与其后各步一并核对时限。")
MSG_STEP_FUTURE = _("“%(step)s”的日期不能晚于今天。")


def step_errors(code: str, on: date, done: dict[str, date], *, publicity: Publicity, extension_months: int = 0,
                today: date, history: bool = False) -> list[str]:
    """Every rule recording step `code` on `on` breaks, given the steps already `done`: the one set of
    rules for the page and the import.

    Recording goes forward: no step after the furthest one on record is skipped. A `history` (the
    import of what an office's ledger holds) may leave steps out, as older ledgers hold only the
    stage dates; every date it does give is still checked for order and against the windows the
    rules set between the dates given.
    """
    step, errors = STEP[code], []
    if code in done:
        errors.append(str(MSG_STEP_DONE % {"step": step.name, "on": done[code]}))
    position, furthest = ORDER[code], last_done(done)
    missing = [s for s in STEPS[furthest: position - 1] if s.code not in done]
    if missing and not history:
        errors.append(str(MSG_STEP_FIRST % {"step": missing[0].name}))
    if code not in done and position < furthest and not history:
        errors.append(str(MSG_STEP_GAP % {"step": step.name, "last": STEPS[furthest - 1].name}))
    before = [s for s in STEPS[: position - 1] if s.code in done]
    if before and on < done[before[-1].code]:
        errors.append(str(MSG_STEP_BEFORE % {"step": step.name, "previous": before[-1].name, "on": done[before[-1].code]}))
    if on > today:
        errors.append(str(MSG_STEP_FUTURE % {"step": step.name}))
    if history and code == "admit" and "publicity" not in done:
        return errors  # a ledger from before 公示 was the rule: nothing to count from
    return errors + timing_errors(code, on, done, publicity=publicity, extension_months=extension_months)


# The steps that move a member's stage, and the member's date each sets (转正 is dated the day the
# probation in force ends, 细则 Art. 32, whatever day the higher committee approves it).
STAGE_STEPS = {
    "apply": (APPLICANT, "applied_on"),
    "recommend": (ACTIVIST, "activist_on"),
    "candidate": (CANDIDATE, "candidate_on"),
    "admit": (PROBATIONARY, "joined_on"),
    "full_approve": (FULL, "full_on"),
}


def member_moves(code: str, on: date, *, joined_on: date | None, extension_months: int = 0) -> dict:
    """What recording step `code` on `on` changes on the member: {} for a step that moves no stage."""
    if code not in STAGE_STEPS:
        return {}
    stage, field = STAGE_STEPS[code]
    if code == "full_approve":
        return {"stage": stage, field: probation_end(joined_on, extension_months) if joined_on else None}
    return {"stage": stage, field: on}
