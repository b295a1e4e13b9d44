"""The park's 四个一 rhythm as records: the monthly meeting and its work list, monthly reports,
inspection rounds, the half-year summary with its nominations, the annual review, and the in-app
notifications that remind people of them.

Every object a scheduled job creates has a unique constraint on its natural key (park and period),
so a job run twice, or killed halfway and run again, creates nothing twice. These models began in
the activities app: each keeps its table (Meta.db_table), so no row moved.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.history import track_history

PARK = dict(on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))


def days_late(deadline: date, on: date | None) -> int:
    """Whole days `on` is past `deadline` (0 on the day itself, before it, or with no day)."""
    return max(0, (on - deadline).days) if on is not None else 0


# --- The cycle: 一月一例会 ---------------------------------------------------------------------------
@track_history()
class MonthlyMeeting(models.Model):  # 一月一例会, with its 月工作清单 (the tasks)
    park = models.ForeignKey("orgs.Park", **PARK)
    month = models.DateField(_("月份"), help_text=_("该月1日"))
    held_on = models.DateField(_("例会日期"), null=True, blank=True)
    notes = models.TextField(_("例会纪要"), blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_monthlymeeting"  # moved from activities; the table keeps its name
        verbose_name = _("月度例会")
        verbose_name_plural = _("月度例会")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["park", "month"], name="meeting_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="meeting_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月}例会"


@track_history()
class TaskTemplate(models.Model):  # recurring items of the monthly work list
    park = models.ForeignKey("orgs.Park", **PARK)
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("要求"), blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_tasktemplate"  # moved from activities; the table keeps its name
        verbose_name = _("任务模板")
        verbose_name_plural = _("任务模板")
        constraints = [models.UniqueConstraint(fields=["park", "title"], name="task_template_unique")]

    def __str__(self):
        return self.title


@track_history()
class WorkTask(models.Model):  # one item of a monthly work list, sent to branches when published
    park = models.ForeignKey("orgs.Park", **PARK)
    meeting = models.ForeignKey(MonthlyMeeting, on_delete=models.CASCADE, db_index=False, related_name="tasks")
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    deadline = models.DateField(_("截止日期"))
    published_at = models.DateTimeField(_("下发时间"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_worktask"  # moved from activities; the table keeps its name
        verbose_name = _("月工作任务")
        verbose_name_plural = _("月工作任务")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["park", "meeting"], name="task_park_meeting"),
            models.Index(fields=["park", "deadline"], name="task_park_deadline"),
        ]

    def __str__(self):
        return self.title


@track_history()
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
        db_table = "activities_taskassignment"  # moved from activities; the table keeps its name
        verbose_name = _("任务落实")
        verbose_name_plural = _("任务落实")
        constraints = [models.UniqueConstraint(fields=["park", "task", "branch"], name="assignment_one_per_branch")]
        indexes = [models.Index(fields=["park", "branch", "status"], name="taskassign_park_branch")]

    @property
    def days_late(self) -> int:
        """Days past the task's deadline: when it was completed, or today while it is still open."""
        return days_late(self.task.deadline, timezone.localtime(self.completed_at).date() if self.completed_at else timezone.localdate())


@track_history()
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
        db_table = "activities_monthlyreport"  # moved from activities; the table keeps its name
        verbose_name = _("月报告")
        verbose_name_plural = _("月报告")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["park", "branch", "month"], name="report_one_per_branch_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_is_first_day"),
        ]


# --- 一季一巡查, 半年一总结, 一年一行动 -------------------------------------------------------------
@track_history()
class InspectionRound(models.Model):  # 一季一巡查: opened in the quarter's last month (scored in assessment)
    park = models.ForeignKey("orgs.Park", **PARK)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    opens_on = models.DateField(_("开始日期"))
    self_assessment_due = models.DateField(_("自查截止"))
    inspection_due = models.DateField(_("检查截止"))

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_inspectionround"  # moved from activities; the table keeps its name
        verbose_name = _("季度巡查")
        verbose_name_plural = _("季度巡查")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "quarter"], name="round_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="round_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度巡查"


@track_history()
class HalfYearSummary(models.Model):  # 半年一总结 around 七一
    park = models.ForeignKey("orgs.Park", **PARK)
    year = models.PositiveSmallIntegerField(_("年度"))
    nominations_due = models.DateField(_("推荐截止"))
    summary = models.TextField(_("半年总结"), blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_halfyearsummary"  # moved from activities; the table keeps its name
        verbose_name = _("半年总结")
        verbose_name_plural = _("半年总结")
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="halfyear_one_per_year")]

    def __str__(self):
        return f"{self.year}年半年总结"


@track_history()
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
    # The day it was proposed: past the summary's nominations_due it is late (None: proposed before
    # the day was kept, and counted on time).
    proposed_on = models.DateField(_("推荐日期"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_nomination"  # moved from activities; the table keeps its name
        verbose_name = _("评优推荐")
        verbose_name_plural = _("评优推荐")
        indexes = [models.Index(fields=["park", "summary"], name="nomination_park_summary")]
        constraints = [
            models.CheckConstraint(condition=Q(kind="organisation") | Q(member__isnull=False), name="nomination_person_named"),
        ]

    @property
    def days_late(self) -> int:
        return days_late(self.summary.nominations_due, self.proposed_on)


@track_history()
class AnnualReview(models.Model):  # 一年一行动 and 述职评议 of one year
    park = models.ForeignKey("orgs.Park", **PARK)
    year = models.PositiveSmallIntegerField(_("年度"))
    action_title = models.CharField(_("专项行动"), max_length=200, blank=True)
    reports_due = models.DateField(_("述职报告截止"))

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_annualreview"  # moved from activities; the table keeps its name
        verbose_name = _("年度述职评议")
        verbose_name_plural = _("年度述职评议")
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="review_one_per_year")]

    def __str__(self):
        return f"{self.year}年度述职评议"


@track_history()
class Milestone(models.Model):  # a task of the year's special action (专项行动)
    park = models.ForeignKey("orgs.Park", **PARK)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, db_index=False, related_name="milestones")
    title = models.CharField(_("任务"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_milestone"  # moved from activities; the table keeps its name
        verbose_name = _("专项行动任务")
        verbose_name_plural = _("专项行动任务")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["park", "review"], name="milestone_park_review")]


@track_history()
class SecretaryReport(models.Model):  # 述职报告 of one branch secretary
    park = models.ForeignKey("orgs.Park", **PARK)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, db_index=False, related_name="reports")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党支部"))
    text = models.TextField(_("述职报告"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "activities_secretaryreport"  # moved from activities; the table keeps its name
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        constraints = [models.UniqueConstraint(fields=["park", "review", "branch"], name="report_one_per_branch_year")]


@track_history()
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
        db_table = "activities_rating"  # moved from activities; the table keeps its name
        verbose_name = _("评议")
        verbose_name_plural = _("评议")
        constraints = [models.UniqueConstraint(fields=["park", "report", "evaluator"], name="rating_one_per_evaluator")]


# --- Deadlines: close the form, or accept late work marked 逾期 --------------------------------------
@track_history()
class DeadlinePolicy(models.Model):
    """A park's rule for one kind of deadline (local practice, so a park setting). A kind without a
    row follows `cycle.deadlines.DEFAULT_POLICIES`; `cycle.deadlines.deadline_state` reads both."""

    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("支部自查评分")
        INSPECTION = "inspection", _("巡查检查评分")
        NOMINATION = "nomination", _("七一评优推荐")
        REPORT = "report", _("月报告")
        TASK = "task", _("月工作任务")

    class Policy(models.TextChoices):
        CLOSE = "close", _("逾期不再受理")
        ACCEPT_LATE = "accept_late", _("逾期仍可提交，标记为逾期")

    park = models.ForeignKey("orgs.Park", **PARK)
    kind = models.CharField(_("截止事项"), max_length=16, choices=Kind.choices)
    policy = models.CharField(_("截止后"), max_length=16, choices=Policy.choices)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("截止规则")
        verbose_name_plural = _("截止规则")
        constraints = [models.UniqueConstraint(fields=["park", "kind"], name="deadline_policy_once")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.get_policy_display()}"


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
        db_table = "activities_notification"  # moved from activities; the table keeps its name
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["park", "user", "key"], name="notification_once")]
        indexes = [models.Index(fields=["park", "user", "read_at"], name="notification_park_user")]

    def __str__(self):
        return self.message
