"""The services to enterprises in the demo: about sixty demands over the last year in every state
(most closed, a few overdue — as the seed parks report), twenty policies with real-looking text,
notices partly read and answered, and the demo instructor's visits. Idempotent: a park that has
any of them keeps what it has."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import RoleAssignment
from core.roles import Role
from orgs.models import Enterprise, InstructorAssignment
from services import notices, policies
from services.demands import OPEN_STATES
from services.jobs import job_demand_supervision
from services.models import (
    Demand,
    DemandEvent,
    Department,
    Notice,
    NoticeRecipient,
    Policy,
    PolicyBundle,
    Visit,
)

DEMANDS = {
    "政策咨询": ["咨询高新技术企业认定的申报条件和时间", "了解研发费用加计扣除的最新口径", "咨询技改项目补助的申报材料"],
    "用工招聘": ["急需招聘电焊工和数控车工共20名", "旺季临时用工缺口约50人，请协助对接劳务资源", "希望对接职业院校开展订单式培养"],
    "融资贷款": ["流动资金紧张，希望对接银行办理信用贷款", "申请园区转贷应急资金支持", "咨询知识产权质押融资办理流程"],
    "审批办证": ["新建厂房的消防验收办理进度较慢", "排污许可证变更需要协调", "申请办理食品生产许可证延续"],
    "基础设施": ["厂区门前道路破损，雨天积水严重", "申请增容供电，现有变压器负荷不足", "园区公交站点离厂区较远，职工通勤不便"],
    "安全环保": ["请协助开展危化品仓库安全隐患排查", "咨询VOCs治理设施的排放标准", "申请安全生产标准化达标指导"],
    "其他": ["希望园区组织企业间供需对接会", "职工子女入学需要协调", "申请使用园区党群服务中心会议室"],
}
RESOLUTIONS = ["已协调相关部门办理完毕", "已对接并落实，企业反馈满意", "已组织专场对接会解决", "已现场查看并整改到位"]

POLICIES = [
    ("关于支持中小企业发展的若干措施", "省", "省工业和信息化厅", "对符合条件的中小企业提供融资担保费用补助，担保费率降至1%以下；对新获评专精特新企业给予一次性奖励。"),
    ("稳岗补贴申领指南", "市", "市人力资源和社会保障局", "不裁员或少裁员的参保企业，可按规定申领稳岗补贴，返还比例为企业及其职工上年度实际缴纳失业保险费的50%。"),
    ("科技型企业融资服务办法", "市", "市科学技术局", "设立科技信贷风险补偿资金池，对银行向科技型中小企业发放的贷款损失给予一定比例补偿。"),
    ("研发费用加计扣除政策解读", "国家", "国家税务总局", "企业开展研发活动中实际发生的研发费用，按照实际发生额的100%在税前加计扣除。"),
    ("园区人才公寓管理办法", "园区", "园区管委会", "符合条件的企业引进人才可申请入住人才公寓，前三年租金减免50%。"),
    ("高新技术企业认定管理办法", "国家", "科技部 财政部 税务总局", "高新技术企业减按15%的税率征收企业所得税，认定有效期三年。"),
    ("关于加快技术改造的实施意见", "县", "县发展和改革局", "对设备投资额500万元以上的技术改造项目，按设备投资额的10%给予补助。"),
    ("职业技能提升行动补贴办法", "市", "市人力资源和社会保障局", "企业组织职工参加职业技能培训并取得证书的，按规定给予职业培训补贴。"),
    ("安全生产标准化奖补办法", "县", "县应急管理局", "首次达到安全生产标准化二级的企业给予一次性奖励。"),
    ("园区转贷应急资金使用办法", "园区", "园区管委会", "为流动资金暂时困难的企业提供转贷应急资金，单笔期限不超过15天。"),
    ("知识产权质押融资贴息办法", "市", "市市场监督管理局", "对以知识产权质押方式获得贷款的企业，按贷款利息的50%给予贴息。"),
    ("企业上市挂牌扶持政策", "县", "县金融工作局", "对在主板、科创板上市的企业分阶段给予奖励。"),
    ("节能降耗专项资金管理办法", "省", "省发展和改革委员会", "对节能改造项目按节能量给予奖励，每吨标准煤奖励300元。"),
    ("外贸企业出口信用保险支持政策", "市", "市商务局", "对企业投保短期出口信用保险的保费给予50%补助。"),
    ("小微企业普惠性减税政策", "国家", "财政部 税务总局", "小型微利企业年应纳税所得额不超过300万元的部分，减按25%计入应纳税所得额。"),
    ("园区企业党建工作经费补助办法", "园区", "园区党工委", "对组织健全、活动正常的非公企业党组织给予党建工作经费补助。"),
    ("环保设施提升改造补助政策", "县", "县生态环境局", "对企业实施VOCs治理设施提升改造的，按投资额给予补助。"),
    ("首台套重大技术装备保险补偿政策", "省", "省工业和信息化厅", "对首台套装备投保综合险的企业给予保费补贴。"),
    ("职工子女入学保障办法", "县", "县教育局", "园区企业引进人才的子女可按规定在县内学校入学。"),
    ("企业用电增容服务指南", "园区", "园区经济发展局", "企业申请增容供电的，经济发展局牵头协调供电部门在15个工作日内办结。"),
]
LEVELS = {"国家": Policy.Level.NATIONAL, "省": Policy.Level.PROVINCIAL, "市": Policy.Level.MUNICIPAL, "县": Policy.Level.COUNTY, "园区": Policy.Level.PARK}


def seed_services(*, park, today: date, seed: int, admin) -> int:
    """Everything above for one park (the caller runs it inside the park's scope)."""
    rng = random.Random(seed)
    created = 0
    if not Policy.objects.filter(park=park).exists():
        for n, (title, level, issuer, body) in enumerate(POLICIES):
            policies.policy_save(park=park, actor=admin, title=title, issuer=issuer, level=LEVELS[level], body=body,
                                 doc_number=f"〔{today.year - 1 - n % 3}〕{10 + n}号", issued_on=today - timedelta(days=60 + 37 * n),
                                 category="惠企政策", tags="")
            created += 1
    if not PolicyBundle.objects.filter(park=park).exists():  # 政策大礼包: a few of the titles above, not yet sent
        titles = "\n".join(title for title, *_rest in POLICIES[:4])
        policies.bundle_save(park=park, actor=admin, name="新春政策大礼包", note="送政策上门：用工、融资、研发", titles_text=titles)
        created += 1
    if not Demand.objects.filter(park=park).exists():
        created += _demands(park, today, rng, admin)
        # 督办 as the daily run would have done it: escalated, and on this month's meeting's work list.
        created += job_demand_supervision(park, today) + job_demand_supervision(park, today.replace(day=1))
    if not Notice.objects.filter(park=park).exists():
        created += _notices(park, today, rng, admin)
    if not Visit.objects.filter(park=park).exists():
        created += _visits(park, today, rng)
    return created


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _demands(park, today, rng, admin) -> int:
    enterprises = list(Enterprise.objects.filter(park=park, status=Enterprise.Status.ACTIVE).order_by("pk"))
    departments = list(Department.objects.filter(park=park).order_by("pk"))
    if not enterprises or not departments:
        return 0
    demands = []
    for n in range(60):
        category = rng.choice(list(DEMANDS))
        raised = today - timedelta(days=rng.randint(3, 360))
        department = departments[n % len(departments)]
        due = raised + timedelta(days=15)
        roll = rng.random()
        state = (Demand.State.CLOSED if roll < 0.82 else Demand.State.RESOLVED if roll < 0.87 else Demand.State.IN_PROGRESS
                 if roll < 0.93 else Demand.State.RETURNED if roll < 0.96 else Demand.State.RAISED)
        if state in OPEN_STATES and state != Demand.State.RAISED and n % 3 == 0:
            due = today + timedelta(days=rng.randint(1, 3))  # some due soon (blue); the older ones are overdue
        closed = _aware(raised + timedelta(days=rng.randint(2, 25)), 16) if state == Demand.State.CLOSED else None
        demand = Demand(park=park, enterprise=rng.choice(enterprises), category=category, description=rng.choice(DEMANDS[category]),
                        state=state, raised_at=_aware(raised), raised_by=admin,
                        department=None if state == Demand.State.RAISED else department,
                        due_on=None if state == Demand.State.RAISED else due, closed_at=closed,
                        resolution=rng.choice(RESOLUTIONS) if state in (Demand.State.CLOSED, Demand.State.RESOLVED) else "")
        demands.append(demand)
    Demand.objects.bulk_create(demands)
    steps = [(d, step) for d in demands for step in _steps(d)]
    made = DemandEvent.objects.bulk_create(
        [DemandEvent(park=park, demand=d, action=action, from_state=before, to_state=after, note=d.resolution if action == "resolve" else "")
         for d, (action, before, after, _at) in steps]
    )
    for event, (_d, (_action, _before, _after, at)) in zip(made, steps):
        event.at = at  # as it happened (the field's auto_now_add stamped today)
    DemandEvent.objects.bulk_update(made, ["at"])
    return len(demands) + len(made)


def _steps(d: Demand) -> list[tuple]:
    """The timeline that leads to the demand's state: (action, from, to, when)."""
    S = Demand.State
    steps = [("raise", "", S.RAISED, d.raised_at)]
    if d.state != S.RAISED:
        steps.append(("dispatch", S.RAISED, S.DISPATCHED, d.raised_at + timedelta(hours=4)))
    if d.state in (S.IN_PROGRESS, S.RETURNED):
        steps.append(("progress", S.DISPATCHED, S.IN_PROGRESS, d.raised_at + timedelta(days=2)))
    if d.state == S.RETURNED:
        steps.append(("resolve", S.IN_PROGRESS, S.RESOLVED, d.raised_at + timedelta(days=5)))
        steps.append(("reject", S.RESOLVED, S.RETURNED, d.raised_at + timedelta(days=6)))
    if d.state in (S.RESOLVED, S.CLOSED):
        steps.append(("resolve", S.DISPATCHED, S.RESOLVED, (d.closed_at or d.raised_at + timedelta(days=8)) - timedelta(hours=6)))
    if d.state == S.CLOSED:
        steps.append(("confirm", S.RESOLVED, S.CLOSED, d.closed_at))
    return steps


def _notices(park, today, rng, admin) -> int:
    published = [
        notices.notice_publish(park=park, actor=admin, title="关于召开“七一”表彰大会的通知", kind=Notice.Kind.MEETING,
                               body="定于7月1日上午9时在园区党群服务中心召开表彰大会，请各党支部书记参加。", audience=Notice.Audience.ALL_BRANCHES,
                               today=today),
        notices.notice_publish(park=park, actor=admin, title="关于报送党员信息核查情况的通知", kind=Notice.Kind.REQUEST,
                               body="请各党支部核对本支部党员信息，并报送核查结果。", audience=Notice.Audience.ALL_BRANCHES,
                               reply_due=today + timedelta(days=10), fields_text="本支部党员人数|数字\n需更正的信息|文字\n是否已完成核查|选项|已完成、未完成",
                               today=today),
    ]
    if RoleAssignment.objects.filter(park=park, role__in=[Role.BRANCH_SECRETARY, Role.INSTRUCTOR]).exists():  # a park with such log-ins
        published.append(notices.notice_publish(
            park=park, actor=admin, title="关于开展红帆志愿服务月活动的通知", kind=Notice.Kind.TASK,
            body="请各党支部组织党员参加志愿服务，活动情况纳入党员教育积分。", audience=Notice.Audience.ROLES,
            roles=[Role.BRANCH_SECRETARY, Role.INSTRUCTOR], today=today,
        ))
    recipients = list(NoticeRecipient.objects.filter(park=park, notice__in=published).select_related("notice"))
    for n, r in enumerate(recipients):
        if n % 3 == 0:
            continue  # unread: the office sees who has not read it
        r.first_read_at = _aware(today, 10)
        if r.notice.fields.exists() and n % 3 == 1:
            fields = list(r.notice.fields.all())
            r.answers = {str(fields[0].pk): str(rng.randint(5, 30)), str(fields[1].pk): "无", str(fields[2].pk): "已完成"}
            r.replied_at = _aware(today, 11)
    NoticeRecipient.objects.bulk_update(recipients, ["first_read_at", "answers", "replied_at"])
    return len(published)


def _visits(park, today, rng) -> int:
    assignments = InstructorAssignment.objects.filter(park=park, ends_on__isnull=True).select_related("instructor", "enterprise")
    visits = [
        Visit(park=park, instructor=a.instructor, enterprise=a.enterprise, visited_on=today - timedelta(days=rng.randint(5, 170)),
              met="企业负责人", topics="了解企业生产经营和党建工作情况", problems=rng.choice(["", "", "用工短缺", "融资需求"]))
        for n, a in enumerate(assignments.order_by("pk")) for _ in range(1 + n % 2)  # every enterprise visited at least once
    ]
    Visit.objects.bulk_create(visits)
    return len(visits)

