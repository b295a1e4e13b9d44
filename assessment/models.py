"""Quarterly inspection scoring, dynamic star levels and the 红星津贴.

Money is Decimal throughout; star levels and payout lines are written set-wise (never a query per
branch); a payout line of an approved batch cannot change (enforced by a database trigger).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.history import track_history

PARK = dict(on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
MONEY = dict(max_digits=12, decimal_places=2)


@track_history()
class AssessmentSettings(models.Model):
    """A park's scheme: no national standard exists, so thresholds, caps and amounts are its own."""

    park = models.OneToOneField("orgs.Park", on_delete=models.CASCADE, related_name="assessment_settings", verbose_name=_("园区"))
    star5_from = models.DecimalField(_("五星最低分"), max_digits=5, decimal_places=1, default=Decimal("90"))
    star4_from = models.DecimalField(_("四星最低分"), max_digits=5, decimal_places=1, default=Decimal("80"))
    star3_from = models.DecimalField(_("三星最低分"), max_digits=5, decimal_places=1, default=Decimal("70"))
    star2_from = models.DecimalField(_("二星最低分"), max_digits=5, decimal_places=1, default=Decimal("60"))
    veto_cap = models.PositiveSmallIntegerField(_("一票否决后最高星级"), default=2)
    max_change = models.PositiveSmallIntegerField(_("每季度最多升降星数（0为不限）"), default=1)
    initial_level = models.PositiveSmallIntegerField(_("首次评定前的星级"), default=3)
    allowance_5 = models.DecimalField(_("五星月津贴（元）"), **MONEY, default=Decimal("300"))
    allowance_4 = models.DecimalField(_("四星月津贴（元）"), **MONEY, default=Decimal("200"))
    allowance_3 = models.DecimalField(_("三星月津贴（元）"), **MONEY, default=Decimal("100"))
    allowance_2 = models.DecimalField(_("二星月津贴（元）"), **MONEY, default=Decimal("0"))
    allowance_1 = models.DecimalField(_("一星月津贴（元）"), **MONEY, default=Decimal("0"))
    pay_deputies = models.BooleanField(_("副书记也发放"), default=False)
    star_points = models.PositiveSmallIntegerField(_("星级党员：每季度单项积分达到"), default=10)
    # Some counties limit the share of top levels (e.g. at most 10% ★5, 40% ★4 of the rated branches).
    quota_star5 = models.PositiveSmallIntegerField(_("五星名额上限（%，空为不限）"), null=True, blank=True)
    quota_star4 = models.PositiveSmallIntegerField(_("四星名额上限（%，空为不限）"), null=True, blank=True)
    # 红星津贴: the checker and the approver of a batch are two people, unless the office has one.
    separate_approver = models.BooleanField(_("审核与批准须由不同人员办理"), default=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("考核设置")
        verbose_name_plural = _("考核设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(star5_from__gt=models.F("star4_from"), star4_from__gt=models.F("star3_from"), star3_from__gt=models.F("star2_from")),
                name="settings_thresholds_descend",
                violation_error_message=_("星级分数线须从五星到二星依次降低。"),
            ),
            models.CheckConstraint(condition=Q(veto_cap__gte=1, veto_cap__lte=5, initial_level__gte=1, initial_level__lte=5), name="settings_levels_1_5"),
            models.CheckConstraint(
                condition=(Q(quota_star5__isnull=True) | Q(quota_star5__lte=100)) & (Q(quota_star4__isnull=True) | Q(quota_star4__lte=100)),
                name="settings_quota_percent",
                violation_error_message=_("名额上限应为0到100之间的百分数。"),
            ),
        ]

    def __str__(self):
        return str(self.park)

    def allowance(self, level: int) -> Decimal:
        return getattr(self, f"allowance_{level}")


@track_history()
class Rubric(models.Model):  # 评分细则, one version; never edited once published
    park = models.ForeignKey("orgs.Park", **PARK)
    version = models.PositiveIntegerField(_("版本"))
    published_on = models.DateField(_("启用日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("评分细则")
        verbose_name_plural = _("评分细则")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["park", "version"], name="rubric_version_unique")]

    def __str__(self):
        return f"评分细则 第{self.version}版"


@track_history()
class RubricItem(models.Model):
    class Measure(models.TextChoices):  # items the platform scores from its own records
        NONE = "", _("人工评分")
        MEETINGS = "meetings", _("三会一课落实情况")
        REPORTS = "reports", _("月报告按时报送")
        TASKS = "tasks", _("月工作任务完成情况")

    park = models.ForeignKey("orgs.Park", **PARK)
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, db_index=False, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    dimension = models.CharField(_("维度"), max_length=32)
    title = models.CharField(_("评分项目"), max_length=200)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1, default=Decimal("0"))
    is_veto = models.BooleanField(_("一票否决"), default=False)
    measure = models.CharField(_("计分方式"), max_length=16, choices=Measure.choices, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("评分项目")
        verbose_name_plural = _("评分项目")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["park", "rubric", "position"], name="rubricitem_park_rubric")]

    def __str__(self):
        return self.title


@track_history()
class RoundAssessment(models.Model):
    """An inspection round as assessed: the rubric version it uses, pinned when it is first opened."""

    class Status(models.TextChoices):
        OPEN = "open", _("评分中")
        FINAL = "final", _("已定档")

    park = models.ForeignKey("orgs.Park", **PARK)
    round = models.ForeignKey("cycle.InspectionRound", on_delete=models.CASCADE, db_index=False, related_name="assessments")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, db_index=False, related_name="+")
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("季度考核")
        verbose_name_plural = _("季度考核")
        indexes = [models.Index(fields=["park", "status"], name="roundassess_park_status")]
        constraints = [models.UniqueConstraint(fields=["park", "round"], name="roundassess_one_per_round")]


@track_history()
class ItemScore(models.Model):  # one item of one branch in one round: self, inspector, automatic
    park = models.ForeignKey("orgs.Park", **PARK)
    assessment = models.ForeignKey(RoundAssessment, on_delete=models.CASCADE, db_index=False, related_name="scores")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, db_index=False, related_name="+")
    self_points = models.DecimalField(_("自评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    points = models.DecimalField(_("检查得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("触发一票否决"), default=False)
    note = models.CharField(_("扣分说明"), max_length=300, blank=True)
    evidence = models.FileField(_("佐证"), upload_to="evidence/%Y/", blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+")
    # The day each was last saved: past the round's self-assessment or inspection deadline it is late
    # (cycle.deadlines; None for scores saved before the day was kept, counted on time).
    self_scored_on = models.DateField(_("自评日期"), null=True, blank=True)
    scored_on = models.DateField(_("检查评分日期"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [models.UniqueConstraint(fields=["park", "assessment", "branch", "item"], name="itemscore_once")]


@track_history()
class UninspectedBranch(models.Model):
    """未检查: the park admin's decision that a branch nobody scored this round keeps its level."""

    park = models.ForeignKey("orgs.Park", **PARK)
    assessment = models.ForeignKey(RoundAssessment, on_delete=models.CASCADE, db_index=False, related_name="uninspected")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+")
    reason = models.CharField(_("未检查原因"), max_length=200)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("未检查党支部")
        verbose_name_plural = _("未检查党支部")
        constraints = [models.UniqueConstraint(fields=["park", "assessment", "branch"], name="uninspected_once")]


@track_history()
class StarLevel(models.Model):  # the level history of a branch, each with its reason
    park = models.ForeignKey("orgs.Park", **PARK)
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党支部"))
    assessment = models.ForeignKey(RoundAssessment, on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="levels")
    level = models.PositiveSmallIntegerField(_("星级"))
    previous_level = models.PositiveSmallIntegerField(_("原星级"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True)
    rule = models.CharField(_("依据"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["park", "branch", "-created_at"], name="starlevel_park_branch")]
        constraints = [
            models.UniqueConstraint(fields=["park", "assessment", "branch"], name="starlevel_once_per_round"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="starlevel_1_5"),
        ]


@track_history()
class PayoutBatch(models.Model):  # 红星津贴 of one quarter
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        CHECKED = "checked", _("已审核")
        APPROVED = "approved", _("已批准")
        PAID = "paid", _("已发放")

    park = models.ForeignKey("orgs.Park", **PARK)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    assessment = models.ForeignKey(RoundAssessment, on_delete=models.PROTECT, db_index=False, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("合计（元）"), **MONEY, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("红星津贴发放批次")
        verbose_name_plural = _("红星津贴发放批次")
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["park", "year", "quarter"], name="payout_one_per_quarter")]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度红星津贴"


@track_history()
class PayoutLine(models.Model):
    park = models.ForeignKey("orgs.Park", **PARK)
    batch = models.ForeignKey(PayoutBatch, on_delete=models.CASCADE, db_index=False, related_name="lines")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, db_index=False, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, db_index=False, related_name="+")
    post = models.CharField(max_length=16)
    # As they were when the line was drafted: a later rename or transfer never rewrites a sheet.
    member_name = models.CharField(_("姓名"), max_length=32)
    branch_name = models.CharField(_("党支部"), max_length=128)
    enterprises = models.CharField(_("所在企业"), max_length=300, blank=True)
    level = models.PositiveSmallIntegerField(_("星级"))
    months = models.DecimalField(_("发放月数"), max_digits=4, decimal_places=2)
    monthly = models.DecimalField(_("月标准（元）"), **MONEY)
    amount = models.DecimalField(_("金额（元）"), **MONEY)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("津贴明细")
        verbose_name_plural = _("津贴明细")
        indexes = [models.Index(fields=["park", "batch"], name="payoutline_park_batch")]


class PayoutEvent(models.Model):  # every state change of a batch: who and when
    park = models.ForeignKey("orgs.Park", **PARK)
    batch = models.ForeignKey(PayoutBatch, on_delete=models.CASCADE, db_index=False, related_name="events")
    from_status = models.CharField(max_length=10, choices=PayoutBatch.Status.choices)
    to_status = models.CharField(max_length=10, choices=PayoutBatch.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["park", "batch"], name="payoutevent_park_batch")]
