"""Demo data modelled on the seed articles: one county, two parks, one log-in per role.

Idempotent: every object is looked up by its natural key (credit code, organisation name, user
name) and created through the services only when missing, so a second run changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import RoleAssignment, User
from activities.models import Activity, ActivityKind, Attendance, CycleSettings
from activities.selectors import cycle_settings
from assessment import levels, payouts, rubrics
from assessment.models import (
    AssessmentSettings,
    ItemScore,
    PayoutBatch,
    RoundAssessment,
    RubricItem,
)
from core.periods import month_end, month_start, next_month
from core.roles import Role
from core.spreadsheets import write_xlsx
from core.tenancy.scoping import park_scope
from cycle.jobs import CREATES, job_compliance_reminders, job_names, run_jobs
from cycle.models import DeadlinePolicy, InspectionRound, MonthlyReport, WorkTask
from cycle.services import park_schedule_sync, task_publish
from demo.dues_demo import seed_dues_bases, seed_dues_payments
from demo.names import (
    EDUCATION,
    ETHNICITIES,
    INSTRUCTOR_UNITS,
    ZONE_INDUSTRIES,
    credit_code,
    enterprise_name,
    id_number,
    mobile,
    person,
)
from demo.services_demo import seed_services
from imports.export import export_headers
from imports.services import import_direct
from members.models import Member
from members.rules import add_years
from orgs import services as org_services
from orgs.models import (
    County,
    Enterprise,
    Instructor,
    InstructorAssignment,
    Organisation,
    Park,
    Zone,
)
from services.models import Department

DEMO_PASSWORD = "hongfan2026"


@dataclass
class ParkPlan:
    code: str
    name: str
    region_code: str  # 行政区划代码 used in the enterprises' credit codes
    place: str
    zones: list[str]
    enterprises: int
    single_branches: int
    joint_sizes: list[int]  # units covered by each joint branch
    temporary_branches: int
    instructors: int
    members: int  # seed figures: 180 members in 鱼台, 203 in 枞阳
    seed: int
    industries: dict[str, list[str]] = field(default_factory=dict)


PLANS = [
    ParkPlan(
        code="yutai",
        name="鱼台经济开发区",
        region_code="370827",
        place="鱼台",
        zones=["精细化工产业园", "机电装备制造产业园", "生物科技产业园"],
        enterprises=44,
        single_branches=20,
        joint_sizes=[4, 4, 4, 4, 4, 4],  # 26 branches covering all 44 enterprises (seeds: 100%)
        temporary_branches=0,
        instructors=9,  # seed 000: nine full-time party workers in the park's organisation department
        members=180,
        seed=370827,
    ),
    ParkPlan(
        code="zongyang",
        name="枞阳经济开发区",
        region_code="340722",
        place="枞阳",
        zones=["城东片区", "新材料产业园"],
        enterprises=51,
        single_branches=30,
        joint_sizes=[3, 4, 5],  # seed 001: 34 branches of which 3 joint
        temporary_branches=1,
        instructors=8,
        members=203,
        seed=340722,
    ),
]

def _enterprise_rows(plan: ParkPlan) -> list[dict]:
    rng = random.Random(plan.seed)
    rows, names = [], set()
    for i in range(plan.enterprises):
        zone = plan.zones[i % len(plan.zones)]
        industry = rng.choice(ZONE_INDUSTRIES[zone])
        name = enterprise_name(rng, plan.place, industry, names)
        rows.append(
            {
                "name": name,
                "credit_code": credit_code(rng, plan.region_code),
                "industry": industry,
                "employees": rng.choice([18, 25, 36, 48, 60, 85, 120, 150, 210, 320, 460, 800]),
                "legal_representative": person(rng),
                "address": f"{plan.name}{zone}{rng.randint(1, 30)}号",
                "contact_name": person(rng),
                "contact_phone": mobile(rng),
                "zone": zone,
                "moved_in_on": date(rng.randint(2008, 2022), rng.randint(1, 12), rng.randint(1, 28)),
            }
        )
    return rows


STAGES_BEFORE_JOINING = ["activist", "candidate", "applicant"]


def _member_rows(plan: ParkPlan, park: Park, today: date) -> list[list]:
    """Deterministic roster rows: every branch gets members, its secretary among them as 书记.

    Joining dates are fixed; whoever joined less than a year before `today` is still 预备党员, so
    the roster stays valid whatever day the demo is loaded.
    """
    rng = random.Random(plan.seed + 2)
    branches = list(
        Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH).order_by("pk").prefetch_related("enterprises")
    )
    rows, serial = [], 0
    for n in range(plan.members):
        branch = branches[n % len(branches)]
        units = list(branch.enterprises.all())
        first_in_branch = n < len(branches)
        gender = "M" if rng.random() < 0.68 else "F"
        birth = date(rng.randint(1966, 2001), rng.randint(1, 12), rng.randint(1, 28))
        serial += 1
        number = id_number(rng, plan.region_code, birth, serial, gender)
        joined = min(add_years(birth, rng.randint(20, 34)), date(2026, 10, 1)) if n % 20 else None
        if joined is not None and joined < add_years(birth, 18):
            joined = add_years(birth, 18)
        if joined is None:
            stage, joined_on, full_on = STAGES_BEFORE_JOINING[(n // 20) % 3], None, None
        elif today < add_years(joined, 1):
            stage, joined_on, full_on = "预备党员", joined, None
        else:
            stage, joined_on, full_on = "正式党员", joined, add_years(joined, 1)
        if stage in STAGES_BEFORE_JOINING:
            stage = {"activist": "入党积极分子", "candidate": "发展对象", "applicant": "入党申请人"}[stage]
        name = branch.secretary_name if first_in_branch and branch.secretary_name else person(rng)
        post = "书记" if first_in_branch else ("委员" if n % 9 == 0 and stage == "正式党员" else "")
        if post == "书记" and stage != "正式党员":  # a secretary is a full member
            joined_on = min(add_years(birth, 25), date(2024, 7, 1))
            stage, full_on = "正式党员", add_years(joined_on, 1)
        rows.append(
            [
                name,
                "男" if gender == "M" else "女",
                rng.choice(ETHNICITIES),
                number,
                rng.choice(EDUCATION),
                mobile(rng),
                branch.name,
                units[n % len(units)].name if units else "",
                stage,
                joined_on,
                full_on,
                post,
                "在册" if n % 37 else "流动",
            ]
        )
    return rows


class Seeder:
    def __init__(self, log, today: date):
        self.log = log
        self.today = today
        self.created = 0

    def park(self, plan: ParkPlan, county: County) -> Park:
        park = Park.objects.filter(code=plan.code).first()
        if park is None:
            park = Park.objects.create(county=county, code=plan.code, name=plan.name)
            self.created += 1
        with park_scope(park):
            self._fill(plan, park)
            self.members(plan, park, self.today)
            self.created += seed_dues_bases(park=park, today=self.today, seed=plan.seed + 7)
            self.cycle(plan, park, self.today)
            self.created += seed_dues_payments(park=park, today=self.today, seed=plan.seed + 8)
            self.assessment(plan, park, self.today)
        return park

    def _fill(self, plan: ParkPlan, park: Park) -> None:
        rng = random.Random(plan.seed + 1)
        zones = {z.name: z for z in Zone.objects.filter(park=park)}
        for name in plan.zones:
            if name not in zones:
                zones[name] = org_services.zone_create(park=park, actor=None, name=name)
                self.created += 1

        existing = {e.credit_code: e for e in Enterprise.objects.filter(park=park)}
        enterprises = []
        for row in _enterprise_rows(plan):
            enterprise = existing.get(row["credit_code"])
            if enterprise is None:
                enterprise = org_services.enterprise_create(park=park, actor=None, **{**row, "zone": zones[row["zone"]]})
                self.created += 1
            enterprises.append(enterprise)

        orgs = {o.name: o for o in Organisation.objects.filter(park=park)}

        def ensure(name, **data):
            if name not in orgs:
                orgs[name] = org_services.organisation_create(park=park, actor=None, name=name, **data)
                self.created += 1
            return orgs[name]

        founded = date(2020, 3, 1)
        top = ensure(f"{plan.name}党工委", kind=Organisation.Kind.WORK_COMMITTEE, founded_on=date(2006, 3, 1))
        committee = ensure(
            f"{plan.name}综合党委",
            kind=Organisation.Kind.COMPREHENSIVE_COMMITTEE,
            parent=top,
            founded_on=founded,
            secretary_name=person(rng),
        )
        units = iter(enterprises)
        for _ in range(plan.single_branches):
            enterprise = next(units)
            short = enterprise.name.removeprefix(plan.place).removesuffix("有限公司")
            branch = ensure(
                f"{short}党支部",
                kind=Organisation.Kind.BRANCH,
                formation=Organisation.Formation.SINGLE,
                parent=committee,
                founded_on=date(rng.randint(2012, 2023), rng.randint(1, 12), 1),
                secretary_name=person(rng),
                secretary_phone=mobile(rng),
                enterprises=[enterprise],
            )
            if len(orgs) % 5 == 0:  # some branches keep party groups (党小组) in their workshops
                ensure(f"{short}党支部第一党小组", kind=Organisation.Kind.GROUP, parent=branch, founded_on=branch.founded_on)
        for n, size in enumerate(plan.joint_sizes, start=1):
            covered = [next(units) for _ in range(size)]
            zone_name = covered[0].zone.name if covered[0].zone else plan.name
            ensure(
                f"{zone_name}第{n}联合党支部",
                kind=Organisation.Kind.BRANCH,
                formation=Organisation.Formation.JOINT,
                parent=committee,
                founded_on=date(2021, 7, 1),
                secretary_name=person(rng),
                secretary_phone=mobile(rng),
                enterprises=covered,
            )
        for n in range(1, plan.temporary_branches + 1):
            ensure(
                f"{plan.name}标准化厂房项目临时党支部{n}",
                kind=Organisation.Kind.BRANCH,
                formation=Organisation.Formation.TEMPORARY,
                parent=committee,
                founded_on=date(2026, 3, 1),
                ends_on=date(2027, 6, 30),
                secretary_name=person(rng),
                enterprises=[next(units)],
            )

        instructors = {i.name: i for i in Instructor.objects.filter(park=park)}
        for n in range(plan.instructors):
            name = person(rng)
            phone = mobile(rng)
            unit = INSTRUCTOR_UNITS[n % len(INSTRUCTOR_UNITS)]
            if name not in instructors:
                instructors[name] = org_services.instructor_create(
                    park=park, actor=None, name=name, phone=phone, unit=unit, is_active=True
                )
                self.created += 1
        # Every enterprise without a branch of its own gets an instructor; a few covered ones too.
        ordered = sorted(instructors.values(), key=lambda i: i.pk)
        assigned = set(InstructorAssignment.objects.filter(park=park).values_list("enterprise_id", flat=True))
        uncovered = enterprises[plan.single_branches + sum(plan.joint_sizes) + plan.temporary_branches :]
        for k, enterprise in enumerate(uncovered[:-3] + enterprises[plan.single_branches :][:10]):
            if enterprise.pk not in assigned:
                org_services.instructor_assign(
                    park=park,
                    actor=None,
                    instructor=ordered[k % len(ordered)],
                    enterprise=enterprise,
                    starts_on=date(2024, 3, 1),
                )
                assigned.add(enterprise.pk)
                self.created += 1

    def members(self, plan: ParkPlan, park: Park, today: date) -> None:
        """The park's member roster, built as an .xlsx and loaded through the roster import."""
        data = write_xlsx(export_headers("members"), _member_rows(plan, park, today), title="党员花名册")
        result = import_direct(park=park, actor=None, kind="members", data=data, filename=f"{plan.name}党员花名册.xlsx")
        if result.errors:  # the generator and the rules disagree: a bug, not bad input
            raise RuntimeError("demo roster rejected: " + "; ".join(e.line() for e in result.errors[:5]))
        self.created += len(result.creates) + len(result.updates)

    def cycle(self, plan: ParkPlan, park: Park, today: date) -> None:
        """This year's rhythm up to today, the park's reminder schedule, and meetings already held."""
        settings, _ = CycleSettings.objects.get_or_create(park=park)
        park_schedule_sync(park=park, settings=settings)
        day = date(today.year, 1, 1)
        while day <= today:  # creation jobs only: no backlog of last spring's reminders
            self.created += sum(run_jobs(park, day, job_names(CREATES)).values())
            day += timedelta(days=1)
        if Activity.objects.filter(park=park).exists():
            return
        rng = random.Random(plan.seed + 3)
        members: dict[int, list[int]] = {}
        for pk, branch_id in Member.objects.filter(park=park, status=Member.Status.ACTIVE).values_list("pk", "branch_id"):
            members.setdefault(branch_id, []).append(pk)
        activities = []
        months = [date(today.year, m, 1) for m in range(1, today.month + 1)]  # this year so far
        branches = list(Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH).order_by("pk"))
        for n, branch in enumerate(branches):
            diligent = n % 5 != 4  # every fifth branch lags behind: the compliance table shows it
            for m in months:
                last = min(today, month_end(m))
                for kind, topic in ((ActivityKind.COMMITTEE, "研究部署本月工作"), (ActivityKind.THEME_DAY, "主题党日：学习党的创新理论")):
                    if diligent or rng.random() < 0.4:
                        day = m + timedelta(days=rng.randint(0, max(0, (last - m).days)))
                        activities.append(Activity(park=park, branch=branch, kind=kind, held_on=day, topic=topic, place="党员活动室"))
                if m.month % 3 == 2 and diligent:
                    activities.append(Activity(park=park, branch=branch, kind=ActivityKind.ASSEMBLY, held_on=m + timedelta(days=9), topic="支部党员大会：季度工作", place="会议室"))
                    activities.append(Activity(park=park, branch=branch, kind=ActivityKind.LECTURE, held_on=m + timedelta(days=14), topic="书记讲党课", place="会议室"))
        activities = [a for a in activities if a.held_on <= today]
        Activity.objects.bulk_create(activities)
        attendance = []
        for activity in activities:
            for k, member_id in enumerate(members.get(activity.branch_id, [])):
                absent = rng.random() < 0.08
                attendance.append(Attendance(park=park, activity=activity, member_id=member_id, present=not absent, absence_reason="出差" if absent else ""))
        Attendance.objects.bulk_create(attendance)
        self.created += len(activities) + len(attendance)
        # Monthly reports, filed on the 3rd of the next month by all but the lagging branches.

        reports = [
            MonthlyReport(park=park, branch=branch, month=m, activities="按要求召开支委会、开展主题党日。", member_changes="无", problems="")
            for n, branch in enumerate(branches) if n % 5 != 4
            for m in months[:-1]
        ]
        MonthlyReport.objects.bulk_create(reports)
        for m in months[:-1]:
            filed = timezone.make_aware(datetime.combine(next_month(m).replace(day=3), time(9, 0)))
            MonthlyReport.objects.filter(park=park, month=m).update(submitted_at=filed)
        self.created += len(reports)

    def _recent_reminders(self, park: Park, today: date) -> None:
        """The compliance reminders sent most recently (so start pages show a live list)."""
        settings = cycle_settings(park)
        month = today.replace(day=1)
        reminder_day = month_end(month) - timedelta(days=settings.reminder_days_before)
        if reminder_day > today:
            reminder_day = month_end(month - timedelta(days=1)) - timedelta(days=settings.reminder_days_before)
        self.created += job_compliance_reminders(park, reminder_day)

    def assessment(self, plan: ParkPlan, park: Park, today: date) -> None:
        """Score and finalise this year's earlier inspection rounds; the latest stays open to score."""
        AssessmentSettings.objects.get_or_create(park=park)
        # The latest round stays open past its deadlines, so the demo's offices accept late scores
        # (marked 逾期) where the default closes the sheet: the round can still be tried.
        for kind in (DeadlinePolicy.Kind.SELF_ASSESSMENT, DeadlinePolicy.Kind.INSPECTION):
            DeadlinePolicy.objects.get_or_create(park=park, kind=kind, defaults={"policy": DeadlinePolicy.Policy.ACCEPT_LATE})
        rounds = list(InspectionRound.objects.filter(park=park, year=today.year, inspection_due__lt=today).order_by("quarter"))
        rng = random.Random(plan.seed + 4)
        branch_ids = list(Organisation.objects.filter(park=park, kind=Organisation.Kind.BRANCH).values_list("pk", flat=True))
        for inspection_round in rounds[:-1]:
            assessment = rubrics.round_assessment(inspection_round=inspection_round)
            if assessment.status != RoundAssessment.Status.OPEN:
                continue
            manual = [i for i in RubricItem.objects.filter(park=park, rubric=assessment.rubric) if not i.measure and not i.is_veto]
            ItemScore.objects.bulk_create(
                [
                    ItemScore(park=park, assessment=assessment, branch_id=b, item=i,
                              points=(i.max_points * Decimal(rng.choice([6, 7, 8, 9, 10])) / 10).quantize(Decimal("0.1")))
                    for b in branch_ids for i in manual
                ],
                ignore_conflicts=True,
            )
            finalised = levels.finalise_rounds(assessments=[assessment], actor=None)
            for batch in payouts.draft_payouts(assessments=finalised.assessments, actor=None):
                steps = [PayoutBatch.Status.CHECKED, PayoutBatch.Status.APPROVED]
                if inspection_round.quarter == rounds[0].quarter:
                    steps.append(PayoutBatch.Status.PAID)
                for status in steps:
                    if batch.status != status:
                        batch = payouts.batch_transition(batch=PayoutBatch.objects.get(pk=batch.pk), actor=None, to=status)
            self.created += len(finalised.levels)

    def departments(self, park: Park, handler: User | None) -> None:
        """The park's 承办部门 for 红色代办; the first has the demo's department account."""
        for n, (name, contact) in enumerate((("经济发展局", "李强"), ("人力资源和社会保障局", "赵敏"), ("规划建设局", "王涛"), ("应急管理局", "刘洋"))):
            _, made = Department.objects.get_or_create(park=park, name=name, defaults={"contact_name": contact, "user": handler if n == 0 else None})
            self.created += made

    def user(self, username: str, full_name: str, role: str, county: County, park=None, organisation=None) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name)
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.created += 1
        _, made = RoleAssignment.objects.get_or_create(
            user=user, role=role, county=county, park=park, organisation=organisation
        )
        self.created += made
        return user


@transaction.atomic
def seed_demo(log=print, today: date | None = None) -> list[tuple[str, str, str]]:
    """Build (or complete) the demo data; returns the demo log-ins as (username, role, landing)."""
    seeder = Seeder(log, today or timezone.localdate())
    county, made = County.objects.get_or_create(code="demo", defaults={"name": "红帆示范县"})
    seeder.created += made
    parks = {plan.code: seeder.park(plan, county) for plan in PLANS}
    yutai, zongyang = parks["yutai"], parks["zongyang"]

    with scopes_disabled():
        first_branch = (
            Organisation.objects.filter(park=yutai, kind=Organisation.Kind.BRANCH, formation="single")
            .order_by("pk")
            .first()
        )
        instructor = Instructor.objects.filter(park=yutai).order_by("pk").first()
    logins = [
        ("county", "县委组织部（只读）", seeder.user("county", "县委组织部 周敏", Role.COUNTY_VIEWER, county)),
        ("yutai_admin", "园区党建办 · 鱼台", seeder.user("yutai_admin", "鱼台党建办 王静", Role.PARK_ADMIN, county, yutai)),
        ("zongyang_admin", "园区党建办 · 枞阳", seeder.user("zongyang_admin", "枞阳党建办 陈娟", Role.PARK_ADMIN, county, zongyang)),
        ("yutai_inspector", "巡查人员 · 鱼台", seeder.user("yutai_inspector", "鱼台考核组 刘强", Role.INSPECTOR, county, yutai)),
        (
            "yutai_secretary",
            f"支部书记 · {first_branch.name}",
            seeder.user("yutai_secretary", first_branch.secretary_name or "支部书记", Role.BRANCH_SECRETARY, county, yutai, first_branch),
        ),
        ("yutai_instructor", "党建工作指导员 · 鱼台", seeder.user("yutai_instructor", instructor.name, Role.INSTRUCTOR, county, yutai)),
        ("yutai_handler", "承办部门 · 鱼台经发局", seeder.user("yutai_handler", "鱼台经发局 李强", Role.HANDLER, county, yutai)),
    ]
    for park in parks.values():
        with park_scope(park):
            handler = next(user for username, _label, user in logins if username == "yutai_handler")
            seeder.departments(park, handler=handler if park == yutai else None)
    with park_scope(yutai):
        if instructor.user_id is None:
            instructor_login = next(user for username, _label, user in logins if username == "yutai_instructor")
            org_services.instructor_update(instructor=instructor, actor=None, user=instructor_login)
            seeder.created += 1
    admins = {yutai: logins[1][2], zongyang: logins[2][2]}
    for n, park in enumerate(parks.values()):  # after the users exist: reminders and notices are addressed to them
        with park_scope(park):
            seeder._recent_reminders(park, seeder.today)
            seeder.created += seed_services(park=park, today=seeder.today, seed=100 + n, admin=admins[park])
            # The office has sent out this month's work list (with the demands listed on it), so each
            # branch has tasks to do today and its secretary a reminder of them.
            for task in WorkTask.objects.filter(park=park, meeting__month=month_start(seeder.today), published_at__isnull=True):
                seeder.created += task_publish(task=task, actor=admins[park])
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="平台管理员")
        seeder.created += 1
    log(f"seed_demo: {seeder.created} objects created")
    return [(username, label, DEMO_PASSWORD) for username, label, _ in logins] + [("admin", "平台管理员（Django admin）", DEMO_PASSWORD)]
