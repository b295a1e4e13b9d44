"""Services to enterprises over the history, each step through services.demands, visits, notices and
policies as the pages call them: demands raised by a branch secretary, an instructor (from a visit)
or the office, dispatched, worked on, resolved, confirmed (销号) or sent back — a few left with a
slow department, so some are overdue and the cycle's 督办 finds them; instructors' quarterly
visits; a notice a month, read and answered by most branches; a 政策大礼包 each spring."""

from datetime import date, timedelta

from django.utils import timezone

from core.periods import month_end, quarter_bounds, quarter_of
from demo.county.clock import Agenda
from demo.county.rhythm import minute
from demo.county.state import ParkWorld
from demo.names import mobile, person
from demo.services_demo import DEMANDS, POLICIES, RESOLUTIONS
from orgs.models import Coverage, Enterprise, InstructorAssignment
from orgs.selectors import assignment_active_q
from services.demands import demand_act, demand_raise, service_settings
from services.models import Demand, Department, Notice, NoticeField, NoticeRecipient
from services.notices import notice_publish, notice_read, notice_remind, notice_reply
from services.policies import bundle_save, bundle_send
from services.visits import assigned_enterprises, instructor_of, visit_log

NOTICES = [
    (Notice.Kind.MEETING, "关于召开党建工作推进会的通知", "请各党支部书记准时参加，并准备本支部工作情况汇报。", ""),
    (Notice.Kind.REQUEST, "关于报送党员信息核查情况的通知", "请各党支部核对本支部党员信息，并报送核查结果。",
     "本支部党员人数|数字\n需更正的信息|文字\n是否已完成核查|选项|已完成、未完成"),
    (Notice.Kind.TASK, "关于开展红帆志愿服务月活动的通知", "请各党支部组织党员参加志愿服务，活动情况纳入党员教育积分。", ""),
    (Notice.Kind.REQUEST, "关于征集企业用工需求的通知", "请各党支部了解所在企业用工需求并报送。", "用工缺口人数|数字\n主要岗位|文字"),
    (Notice.Kind.MEETING, "关于参加红领英才讲坛的通知", "请各党支部选派党员参加本月讲坛。", ""),
    (Notice.Kind.REQUEST, "关于报送主题党日开展情况的通知", "请报送本季度主题党日开展情况。", "开展次数|数字\n完成日期|日期\n是否有照片|选项|有、无"),
]


def today() -> date:
    return timezone.localdate()


# --- 红色代办 --------------------------------------------------------------------------------------
def plan_demands(world: ParkWorld, month: date, agenda: Agenda) -> None:
    per_month = max(1, len(world.plan.enterprises) // 30)
    for _ in range(world.rng.choice([0, 1, 1, 2, 2, 3]) * per_month // 2 + world.rng.randint(0, 1)):
        day = month + timedelta(days=world.rng.randint(0, month_end(month).day - 1))
        agenda.add(day, minute(world), world.park, lambda: raise_demand(world, agenda))


def raise_demand(world: ParkWorld, agenda: Agenda) -> None:
    rng = world.rng
    enterprises = list(Enterprise.objects.filter(park=world.park, status=Enterprise.Status.ACTIVE).order_by("pk"))
    if not enterprises:
        return
    enterprise = rng.choice(enterprises)
    branch_ids = Coverage.objects.filter(park=world.park, enterprise=enterprise).order_by("organisation_id").values_list("organisation_id", flat=True)
    secretaries = [world.secretaries[b] for b in branch_ids if b in world.secretaries]
    raiser = secretaries[0] if secretaries and rng.random() < 0.7 else world.admin
    category = rng.choice(list(DEMANDS))
    demand = demand_raise(park=world.park, access=world.access(raiser), actor=raiser, enterprise=enterprise, category=category,
                          description=rng.choice(DEMANDS[category]), urgency=Demand.Urgency.URGENT if rng.random() < 0.15 else Demand.Urgency.NORMAL,
                          contact_name=person(rng), contact_phone=mobile(rng))
    follow(world, demand, raiser, agenda)


def follow(world: ParkWorld, demand: Demand, raiser, agenda: Agenda) -> None:
    """The rest of the demand's loop, each step a day or more after the one before."""
    rng, day = world.rng, today()
    departments = list(Department.objects.filter(park=world.park, is_active=True).order_by("pk"))
    department = rng.choice(departments)
    handler = world.handlers.get(department.pk, world.admin)
    fate = rng.random()
    steps = []
    day += timedelta(days=rng.randint(1, 3))
    due = day + timedelta(days=service_settings(world.park).default_due_days)
    steps.append((day, world.admin, "dispatch", {"department": department, "due_on": due}))
    if fate < 0.06:
        return _steps(world, demand.pk, steps, agenda)  # a department that never answers: overdue, 督办
    if rng.random() < 0.6:
        day += timedelta(days=rng.randint(1, 5))
        steps.append((day, handler, "progress", {"note": "已受理，正在协调办理。"}))
    slow = fate < 0.2
    day = max(day + timedelta(days=1), due + timedelta(days=rng.randint(3, 40)) if slow else day + timedelta(days=rng.randint(2, 12)))
    steps.append((day, handler, "resolve", {"note": rng.choice(RESOLUTIONS), "policy_titles": _cited(rng)}))
    day += timedelta(days=rng.randint(1, 6))
    if rng.random() < 0.1:  # the enterprise is not satisfied: sent back, done again
        steps.append((day, raiser, "reject", {"note": "问题尚未完全解决，请继续协调。"}))
        day += timedelta(days=rng.randint(3, 10))
        steps.append((day, handler, "resolve", {"note": rng.choice(RESOLUTIONS), "policy_titles": ""}))
        day += timedelta(days=rng.randint(1, 5))
    if rng.random() < 0.95:
        steps.append((day, raiser, "confirm", {}))
    _steps(world, demand.pk, steps, agenda)


def _cited(rng) -> str:
    return f"《{rng.choice(POLICIES)[0]}》" if rng.random() < 0.25 else ""


def _steps(world: ParkWorld, demand_id: int, steps: list, agenda: Agenda) -> None:
    for day, user, action, data in steps:
        agenda.add(day, minute(world), world.park, lambda user=user, action=action, data=data: act(world, demand_id, user, action, data))


def act(world: ParkWorld, demand_id: int, user, action: str, data: dict) -> None:
    """One step; demand_act reads the demand itself (locked), so it is named by its key only."""
    demand_act(demand=Demand(pk=demand_id, park=world.park), access=world.access(user), actor=user, action=action, **data)


# --- 走访 -----------------------------------------------------------------------------------------
def plan_visits(world: ParkWorld, first: date, agenda: Agenda) -> None:
    """At a quarter's start: each instructor's enterprises, most visited once in the quarter."""
    start, end = quarter_bounds(first.year, quarter_of(first))
    assignments = (InstructorAssignment.objects.filter(park=world.park).filter(assignment_active_q(first))
                   .order_by("pk").values_list("instructor_id", "enterprise_id"))
    for instructor_id, enterprise_id in assignments:
        user = world.instructors.get(instructor_id)
        if user is None or world.rng.random() > 0.75:
            continue
        day = start + timedelta(days=world.rng.randint(0, (end - start).days))
        agenda.add(day, minute(world), world.park, lambda user=user, pk=enterprise_id, day=day: visit(world, user, pk, day, agenda))


def visit(world: ParkWorld, user, enterprise_id: int, day: date, agenda: Agenda) -> None:
    instructor = instructor_of(world.park, user)
    if instructor is None or not assigned_enterprises(instructor, day).filter(pk=enterprise_id).exists():
        return  # reassigned or moved out since the quarter was planned
    rng = world.rng
    category = rng.choice(list(DEMANDS))
    problem = rng.choice(DEMANDS[category]) if rng.random() < 0.15 else ""
    found = visit_log(park=world.park, access=world.access(user), actor=user, enterprise=Enterprise.objects.get(pk=enterprise_id),
                      visited_on=day, met=rng.choice(["企业负责人", "党支部书记", "人事负责人"]), topics="了解企业生产经营和党建工作情况",
                      problems=problem, raise_demand=bool(problem), category=category if problem else "")
    if found.demand is not None:
        follow(world, found.demand, user, agenda)


# --- 通知公告 -------------------------------------------------------------------------------------
def plan_notice(world: ParkWorld, month: date, agenda: Agenda) -> None:
    day = month + timedelta(days=world.rng.randint(2, 12))
    agenda.add(day, minute(world), world.park, lambda: publish_notice(world, agenda))


def publish_notice(world: ParkWorld, agenda: Agenda) -> None:
    rng, day = world.rng, today()
    kind, title, body, fields = rng.choice(NOTICES)
    notice = notice_publish(park=world.park, actor=world.admin, title=f"{title}（{day:%Y年%m月}）", body=body, kind=kind,
                            audience=Notice.Audience.ALL_BRANCHES, reply_due=day + timedelta(days=10) if fields else None,
                            fields_text=fields, today=day)
    form = list(NoticeField.objects.filter(park=world.park, notice=notice).order_by("position"))
    for recipient in NoticeRecipient.objects.filter(park=world.park, notice=notice).order_by("pk"):
        user = world.secretaries.get(recipient.branch_id)
        if user is None or rng.random() > 0.75:
            continue  # unread: the office sees who has not read it
        read_on = day + timedelta(days=rng.randint(0, 8))
        agenda.add(read_on, minute(world), world.park, lambda user=user: notice_read(notice=notice, access=world.access(user), actor=user))
        if form and rng.random() < 0.7 and read_on < notice.reply_due:
            agenda.add(read_on + timedelta(days=1), minute(world), world.park,
                       lambda user=user, recipient=recipient: reply(world, notice, form, recipient, user))
    if fields:
        agenda.add(notice.reply_due - timedelta(days=3), 16 * 60, world.park, lambda: notice_remind(notice=notice, actor=world.admin))


def reply(world: ParkWorld, notice: Notice, form: list[NoticeField], recipient: NoticeRecipient, user) -> None:
    rng, data = world.rng, {}
    for field in form:
        data[f"field_{field.pk}"] = {NoticeField.Kind.NUMBER: str(rng.randint(3, 40)), NoticeField.Kind.DATE: today().isoformat(),
                                     NoticeField.Kind.CHOICE: field.options[0] if field.options else ""}.get(field.kind, "无")
    recipient.refresh_from_db(fields=["first_read_at", "read_by", "answers", "replied_at", "replied_by"])
    notice_reply(notice=notice, recipient=recipient, access=world.access(user), actor=user, data=data, files={})


# --- 政策大礼包 -------------------------------------------------------------------------------------
def policy_bundle(world: ParkWorld) -> None:
    day = today()
    titles = "\n".join(title for title, *_ in world.rng.sample(POLICIES, 4))
    bundle = bundle_save(park=world.park, actor=world.admin, name=f"{day.year}年春季政策大礼包", note="送政策上门：用工、融资、研发", titles_text=titles)
    bundle_send(bundle=bundle, actor=world.admin, audience=Notice.Audience.ALL_BRANCHES)
