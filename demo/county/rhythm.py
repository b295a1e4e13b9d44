"""The month of a park as its branches live it, planned on the 1st once the cycle's jobs have opened
the monthly meeting: the office's work list (published through the services, then done by the
branches — most on time, some late, some never), last month's reports (some late, some missing),
and the month's 三会一课 and 主题党日 with attendance (a diligent branch holds nearly all it owes, a
lax one leaves gaps). The branches' records go to the backlog (backfill.py), written in batches."""

from datetime import date, timedelta

from activities.models import ActivityKind
from activities.rules import meetings_owed
from activities.selectors import branch_shapes, cycle_settings
from core.periods import (
    Period,
    month_end,
    month_in_quarter,
    previous_month,
    quarter_bounds,
)
from cycle.models import MonthlyMeeting, TaskAssignment, WorkTask
from cycle.services import task_add, task_publish
from demo.county.clock import Agenda
from demo.county.state import ParkWorld
from orgs.models import Organisation
from orgs.selectors import live_party_branches

TASKS = [
    ("组织党员学习党的创新理论", "以支部为单位组织集中学习，做好学习记录。"),
    ("开展“红帆领航”主题党日活动", "结合企业生产实际开展主题党日，报送活动照片。"),
    ("报送党员信息采集表", "核对本支部党员基本信息，按模板报送。"),
    ("开展党员志愿服务", "组织党员参加园区红帆志愿服务不少于一次。"),
    ("排查党员组织关系", "排查“口袋党员”、失联党员，建立台账。"),
    ("做好发展党员工作", "按程序做好入党积极分子培养考察。"),
    ("开展安全生产党员示范岗活动", "设立党员示范岗，报送名单。"),
    ("组织党员观看警示教育片", "组织观看并撰写心得体会。"),
    ("开展谈心谈话", "书记与每名党员谈心谈话一次。"),
    ("整理规范党建台账", "按园区标准整理三会一课记录。"),
    ("征集企业发展难题", "收集企业用工、融资等难题，及时提出诉求。"),
    ("落实党费收缴", "按时收缴党费，做好收缴登记。"),
]
TOPICS = {
    ActivityKind.ASSEMBLY: ["支部党员大会：通报季度工作", "支部党员大会：讨论发展党员", "支部党员大会：民主评议党员"],
    ActivityKind.COMMITTEE: ["研究部署本月工作", "研究党员教育管理工作", "研究企业发展难题"],
    ActivityKind.GROUP: ["党小组学习讨论", "党小组交流岗位建功"],
    ActivityKind.LECTURE: ["书记讲党课", "专题党课：党章学习", "党课：弘扬红船精神"],
    ActivityKind.THEME_DAY: ["主题党日：学习党的创新理论", "主题党日：红帆志愿服务", "主题党日：重温入党誓词"],
}
ABSENCE = ["出差", "病假", "倒班", "外出培训", "事假"]
WORK_HOURS = (9 * 60, 17 * 60)


def minute(world: ParkWorld) -> int:
    return world.rng.randint(*WORK_HOURS)


def plan_month(world: ParkWorld, month: date, agenda: Agenda) -> None:
    branches = list(live_party_branches(park=world.park, on=month).order_by("pk"))
    agenda.add(month, 9 * 60, world.park, lambda: publish_work_list(world, month))
    shapes = branch_shapes(park_ids=[world.park.pk])
    config = cycle_settings(world.park)
    for branch in branches:
        plan_report(world, branch, previous_month(month), config.report_due_day)
        plan_meetings(world, branch, shapes[branch.pk], config, month)


# --- 月工作清单 -------------------------------------------------------------------------------------
def publish_work_list(world: ParkWorld, month: date) -> None:
    """Two or three tasks from the office's list (and any 督办 the cycle put on it), published."""
    meeting = MonthlyMeeting.objects.get(park=world.park, month=month)
    deadline = month.replace(day=cycle_settings(world.park).task_deadline_day)
    for title, description in world.rng.sample(TASKS, 2):
        task_add(meeting=meeting, actor=world.admin, title=title, deadline=deadline, description=description)
    for task in WorkTask.objects.filter(park=world.park, meeting=meeting, published_at__isnull=True).order_by("pk"):
        task_publish(task=task, actor=world.admin)
        for assignment in TaskAssignment.objects.filter(park=world.park, task=task).order_by("pk"):
            plan_completion(world, assignment, task.deadline)


def plan_completion(world: ParkWorld, assignment: TaskAssignment, deadline: date) -> None:
    rng, diligence = world.rng, world.branch_diligence(assignment.branch_id)
    user = world.secretaries.get(assignment.branch_id)
    roll = rng.random()
    if user is None or roll >= diligence + (1 - diligence) * 0.6:
        return  # never done: open, and overdue once its deadline passes
    if roll < diligence:
        day = deadline - timedelta(days=rng.randint(0, max(0, deadline.day - 2)))
    else:
        day = deadline + timedelta(days=rng.randint(1, 20))  # late
    world.backlog.add("completions", (day, minute(world), assignment.pk, user, "已按要求完成，材料已归档。"))


# --- 月报告 ---------------------------------------------------------------------------------------
def plan_report(world: ParkWorld, branch: Organisation, month: date, due: int) -> None:
    rng, diligence = world.rng, world.branch_diligence(branch.pk)
    user = world.secretaries.get(branch.pk)
    roll = rng.random()
    if user is None or roll >= diligence + (1 - diligence) * 0.5:
        return  # missing
    first = month_end(month) + timedelta(days=1)
    day = first + timedelta(days=rng.randint(0, due - 1) if roll < diligence else rng.randint(due, 24))  # on time, or late
    changes = "无" if rng.random() < 0.8 else "有党员组织关系转接"
    world.backlog.add("reports", (day, minute(world), branch, month, user, f"{month:%m}月按要求开展组织生活和主题党日。", changes))


# --- 三会一课 and 主题党日 ---------------------------------------------------------------------------
def plan_meetings(world: ParkWorld, branch: Organisation, shape, config, month: date) -> None:
    """The meetings the branch owes this month (and, in a quarter's first month, the quarter's),
    each held on a day of its period with the branch's diligence as its chance."""
    rng, diligence = world.rng, world.branch_diligence(branch.pk)
    for owed in meetings_owed(config, branch=shape, start=month, end=month_end(month)):
        if owed.period == Period.QUARTER and month_in_quarter(month) != 1:
            continue  # planned once, in the quarter's first month
        if owed.period == Period.YEAR and month.month != 1:
            continue
        if rng.random() >= diligence * rng.uniform(0.9, 1.0):
            continue  # a gap: the compliance table shows it
        start, end = (owed.start, owed.end) if owed.period != Period.QUARTER else quarter_bounds(month.year, (month.month - 1) // 3 + 1)
        day = start + timedelta(days=rng.randint(0, (end - start).days))
        world.backlog.add("meetings", (day, minute(world), branch.pk, owed.kind, rng.choice(TOPICS[owed.kind]),
                                       rng.choice(["党员活动室", "会议室", "党群服务中心"]), rng.sample(ABSENCE, 3)))
