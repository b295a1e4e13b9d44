"""Branch activities (三会一课, 主题党日), park-wide activities, and the park's 四个一 cycle.

Every object a scheduled job creates has a unique constraint on its natural key (park and period),
so a job run twice, or killed halfway and run again, creates nothing twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

PARK = dict(on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class ActivityKind(models.TextChoices):  # 三会一课 and 主题党日
    ASSEMBLY = "assembly", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")


# Defaults from the 支部工作条例 (Arts. 11-16) as DOMAIN.md reads them; each is a park setting.
DEFAULT_FREQUENCIES = {
    ActivityKind.ASSEMBLY: Period.QUARTER,
    ActivityKind.COMMITTEE: Period.MONTH,
    ActivityKind.GROUP: Period.MONTH,
    ActivityKind.LECTURE: Period.QUARTER,
    ActivityKind.THEME_DAY: Period.MONTH,
}


class CycleSettings(models.Model):
    """A park's rhythm: how often each meeting is required, and when reminders go out."""

    park = models.OneToOneField("orgs.Park", on_delete=models.CASCADE, related_name="cycle_settings", verbose_name=_("园区"))
    assembly_period = models.CharField(_("支部党员大会"), max_length=8, choices=Period.choices, default=Period.QUARTER)
    committee_period = models.CharField(_("支委会"), max_length=8, choices=Period.choices, default=Period.MONTH)
    group_period = models.CharField(_("党小组会"), max_length=8, choices=Period.choices, default=Period.MONTH)
    lecture_period = models.CharField(_("党课"), max_length=8, choices=Period.choices, default=Period.QUARTER)
    theme_day_period = models.CharField(_("主题党日"), max_length=8, choices=Period.choices, default=Period.MONTH)
    reminder_days_before = models.PositiveSmallIntegerField(_("提前提醒天数"), default=10)
    reminder_hour = models.PositiveSmallIntegerField(_("提醒时间（时）"), default=8)
    report_due_day = models.PositiveSmallIntegerField(_("月报告截止日（次月几号）"), default=5)
    task_deadline_day = models.PositiveSmallIntegerField(_("月工作清单默认截止日"), default=25)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("四个一设置")
        verbose_name_plural = _("四个一设置")

    def __str__(self):
        return str(self.park)

    def period_of(self, kind: str) -> str:
        return getattr(self, f"{kind}_period")


class Activity(models.Model):  # one meeting of a branch: 三会一课 or 主题党日
    park = models.ForeignKey("orgs.Park", **PARK)
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, db_index=False, related_name="activities", verbose_name=_("党支部"))
    kind = models.CharField(_("类型"), max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    host = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("主持人")
    )
    minutes = models.TextField(_("会议记录"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("组织生活")
        verbose_name_plural = _("组织生活")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["park", "branch", "held_on"], name="activity_park_branch_held")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on} {self.topic}"


class Attendance(models.Model):  # who was there, and who was not and why
    park = models.ForeignKey("orgs.Park", **PARK)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, db_index=False, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党员"))
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=100, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        constraints = [models.UniqueConstraint(fields=["park", "activity", "member"], name="attendance_unique")]


class Attachment(models.Model):  # photos and files of an activity, a task's evidence
    park = models.ForeignKey("orgs.Park", **PARK)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="attachments")
    task = models.ForeignKey("activities.TaskAssignment", on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_photo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [
            models.Index(fields=["park", "activity"], name="attachment_park_activity"),
            models.Index(fields=["park", "task"], name="attachment_park_task"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(activity__isnull=False) | Q(task__isnull=False), name="attachment_has_owner"),
        ]

    def __str__(self):
        return self.name


# --- Park-wide activities and education points ---------------------------------------------------
class ParkActivity(models.Model):  # 红领英才讲坛, 一刻钟党课, 红帆志愿, 观摩
    class Kind(models.TextChoices):
        FORUM = "forum", _("红领英才讲坛")
        SHORT_LECTURE = "short_lecture", _("一刻钟党课")
        VOLUNTEER = "volunteer", _("红帆志愿服务")
        VISIT = "visit", _("观摩学习")

    park = models.ForeignKey("orgs.Park", **PARK)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    points = models.PositiveSmallIntegerField(_("教育积分"), default=2)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("园区活动")
        verbose_name_plural = _("园区活动")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["park", "held_on"], name="parkactivity_park_held")]

    def __str__(self):
        return self.title


class SignUp(models.Model):  # a member signed up for a park activity, and whether they came
    park = models.ForeignKey("orgs.Park", **PARK)
    activity = models.ForeignKey(ParkActivity, on_delete=models.CASCADE, db_index=False, related_name="signups")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党员"))
    attended = models.BooleanField(_("已参加"), default=False)
    volunteer_hours = models.DecimalField(_("志愿服务时长"), max_digits=5, decimal_places=1, default=0)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [models.UniqueConstraint(fields=["park", "activity", "member"], name="signup_unique")]
        indexes = [models.Index(fields=["park", "member"], name="signup_park_member")]


class EducationPoint(models.Model):  # 党员教育积分: one entry per attendance, never edited
    park = models.ForeignKey("orgs.Park", **PARK)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+")
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, db_index=False, related_name="points_entries")
    points = models.PositiveSmallIntegerField()
    earned_on = models.DateField()

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("教育积分")
        verbose_name_plural = _("教育积分")
        indexes = [models.Index(fields=["park", "member", "earned_on"], name="points_park_member")]
        # One entry per attendance, however often it is marked.
        constraints = [models.UniqueConstraint(fields=["park", "signup"], name="points_once_per_signup")]


# --- The cycle: 一月一例会 ---------------------------------------------------------------------------
class MonthlyMeeting(models.Model):  # 一月一例会, with its 月工作清单 (the tasks)
    park = models.ForeignKey("orgs.Park", **PARK)
    month = models.DateField(_("月份"), help_text=_("该月1日"))
    held_on = models.DateField(_("例会日期"), null=True, blank=True)
    notes = models.TextField(_("例会纪要"), blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("月度例会")
        verbose_name_plural = _("月度例会")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["park", "month"], name="meeting_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="meeting_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月}例会"


class TaskTemplate(models.Model):  # recurring items of the monthly work list
    park = models.ForeignKey("orgs.Park", **PARK)
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("要求"), blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("任务模板")
        verbose_name_plural = _("任务模板")
        constraints = [models.UniqueConstraint(fields=["park", "title"], name="task_template_unique")]

    def __str__(self):
        return self.title


class WorkTask(models.Model):  # one item of a monthly work list, sent to branches when published
    park = models.ForeignKey("orgs.Park", **PARK)
    meeting = models.ForeignKey(MonthlyMeeting, on_delete=models.CASCADE, db_index=False, related_name="tasks")
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    deadline = models.DateField(_("截止日期"))
    published_at = models.DateTimeField(_("下发时间"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("月工作任务")
        verbose_name_plural = _("月工作任务")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["park", "meeting"], name="task_park_meeting")]

    def __str__(self):
        return self.title


class TaskAssignment(models.Model):  # a published task as one branch has it
    class Status(models.TextChoices):
        OPEN = "open", _("未完成")
        DONE = "done", _("已完成")

    park = models.ForeignKey("orgs.Park", **PARK)
    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, db_index=False, related_name="assignments")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+")
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("完成情况"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("任务落实")
        verbose_name_plural = _("任务落实")
        constraints = [models.UniqueConstraint(fields=["park", "task", "branch"], name="assignment_one_per_branch")]
        indexes = [models.Index(fields=["park", "branch", "status"], name="taskassign_park_branch")]


class MonthlyReport(models.Model):  # 月报告: one per branch per month
    park = models.ForeignKey("orgs.Park", **PARK)
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党支部"))
    month = models.DateField(_("月份"))
    activities = models.TextField(_("组织生活开展情况"))
    member_changes = models.TextField(_("党员变动情况"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("月报告")
        verbose_name_plural = _("月报告")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["park", "branch", "month"], name="report_one_per_branch_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_is_first_day"),
        ]


# --- 一季一巡查, 半年一总结, 一年一行动 -------------------------------------------------------------
class InspectionRound(models.Model):  # 一季一巡查: opened in the quarter's last month (scored in assessment)
    park = models.ForeignKey("orgs.Park", **PARK)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    opens_on = models.DateField(_("开始日期"))
    self_assessment_due = models.DateField(_("自查截止"))
    inspection_due = models.DateField(_("检查截止"))

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("季度巡查")
        verbose_name_plural = _("季度巡查")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "quarter"], name="round_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="round_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度巡查"


class HalfYearSummary(models.Model):  # 半年一总结 around 七一
    park = models.ForeignKey("orgs.Park", **PARK)
    year = models.PositiveSmallIntegerField(_("年度"))
    nominations_due = models.DateField(_("推荐截止"))
    summary = models.TextField(_("半年总结"), blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("半年总结")
        verbose_name_plural = _("半年总结")
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="halfyear_one_per_year")]

    def __str__(self):
        return f"{self.year}年半年总结"


class Nomination(models.Model):  # 七一 commendations, nominated by branches, approved by the park
    class Kind(models.TextChoices):
        MEMBER = "member", _("优秀共产党员")
        WORKER = "worker", _("优秀党务工作者")
        ORGANISATION = "organisation", _("先进基层党组织")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    park = models.ForeignKey("orgs.Park", **PARK)
    summary = models.ForeignKey(HalfYearSummary, on_delete=models.CASCADE, db_index=False, related_name="nominations")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("推荐党支部"))
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("推荐人选"))
    reason = models.TextField(_("推荐理由"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("评优推荐")
        verbose_name_plural = _("评优推荐")
        indexes = [models.Index(fields=["park", "summary"], name="nomination_park_summary")]
        constraints = [
            models.CheckConstraint(condition=Q(kind="organisation") | Q(member__isnull=False), name="nomination_person_named"),
        ]


class AnnualReview(models.Model):  # 一年一行动 and 述职评议 of one year
    park = models.ForeignKey("orgs.Park", **PARK)
    year = models.PositiveSmallIntegerField(_("年度"))
    action_title = models.CharField(_("专项行动"), max_length=200, blank=True)
    reports_due = models.DateField(_("述职报告截止"))

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("年度述职评议")
        verbose_name_plural = _("年度述职评议")
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="review_one_per_year")]

    def __str__(self):
        return f"{self.year}年度述职评议"


class Milestone(models.Model):  # a task of the year's special action (专项行动)
    park = models.ForeignKey("orgs.Park", **PARK)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, db_index=False, related_name="milestones")
    title = models.CharField(_("任务"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("专项行动任务")
        verbose_name_plural = _("专项行动任务")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["park", "review"], name="milestone_park_review")]


class SecretaryReport(models.Model):  # 述职报告 of one branch secretary
    park = models.ForeignKey("orgs.Park", **PARK)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, db_index=False, related_name="reports")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党支部"))
    text = models.TextField(_("述职报告"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        constraints = [models.UniqueConstraint(fields=["park", "review", "branch"], name="report_one_per_branch_year")]


class Rating(models.Model):  # 评议: one evaluator's grade of one report
    class Grade(models.TextChoices):
        GOOD = "good", _("好")
        FAIR_GOOD = "fair_good", _("较好")
        FAIR = "fair", _("一般")
        POOR = "poor", _("差")

    park = models.ForeignKey("orgs.Park", **PARK)
    report = models.ForeignKey(SecretaryReport, on_delete=models.CASCADE, db_index=False, related_name="ratings")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+")
    grade = models.CharField(_("评议等次"), max_length=16, choices=Grade.choices)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("评议")
        verbose_name_plural = _("评议")
        constraints = [models.UniqueConstraint(fields=["park", "report", "evaluator"], name="rating_one_per_evaluator")]


# --- Notifications -------------------------------------------------------------------------------
class Notification(models.Model):  # the in-app reminder list on each user's start page
    park = models.ForeignKey("orgs.Park", **PARK)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+")
    # What this reminder is about (job, object, period): a job run twice finds it and adds nothing.
    key = models.CharField(max_length=120)
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["park", "user", "key"], name="notification_once")]
        indexes = [models.Index(fields=["park", "user", "read_at"], name="notification_park_user")]

    def __str__(self):
        return self.message
