"""Branch activities (三会一课, 主题党日) with attendance and attachments, the park's meeting
frequencies, and park-wide activities with sign-ups and education points (党员教育积分)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.history import track_history
from core.periods import Period
from core.uploads import StoredFile

PARK = dict(on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))


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


@track_history()
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
    term_reminder_days = models.PositiveSmallIntegerField(_("换届提前提醒天数"), default=90)
    # Local practice: a 三会一课 record can be corrected until the end of the Nth month after the
    # month it was held (0: the same month); activities.rules.editable_until reads it.
    activity_edit_months = models.PositiveSmallIntegerField(
        _("组织生活记录可修改期限（会后第几个月月底）"), default=1,
        help_text=_("支部书记和园区党建办可修改、园区党建办可删除组织生活记录的期限：0为当月月底，1为次月月底，依此类推。"),
    )

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("四个一设置")
        verbose_name_plural = _("四个一设置")

    def __str__(self):
        return str(self.park)

    def period_of(self, kind: str) -> str:
        return getattr(self, f"{kind}_period")


@track_history()
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
        indexes = [
            models.Index(fields=["park", "branch", "held_on"], name="activity_park_branch_held"),
            # the 组织生活 list: a period of the whole park, newest first
            models.Index(fields=["park", "held_on"], name="activity_park_held"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on} {self.topic}"


@track_history()
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


class Attachment(StoredFile):  # photos and files of an activity, a task's evidence
    park = models.ForeignKey("orgs.Park", **PARK)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="attachments")
    task = models.ForeignKey("cycle.TaskAssignment", on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
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
@track_history()
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


@track_history()
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


