"""Member points: 星级党员 points by month and category and the quarter's stars, the 积分超市
(a ledger whose balances never go below zero), and the activists' quarterly 积分卡.

These models began in the assessment app: each keeps its table (Meta.db_table), so no row moved.
Points are never published as a ranking of people (the national rules against 指尖上的形式主义).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.history import track_history

PARK = dict(on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))

# 入党积极分子积分卡: 100 points a quarter, 25 for each of four dimensions (DOMAIN: Members).
CARD_DIMENSIONS = ("political", "discipline", "solidarity", "performance")
CARD_DIMENSION_MAX = 25
ATTENDANCE_POINTS = 2  # each 三会一课 attended earns 学习进步星 points


class StarCategory(models.TextChoices):  # the five stars of a 星级党员
    STUDY = "study", _("学习进步星")
    CARE = "care", _("帮扶关爱星")
    DEDICATION = "dedication", _("敬业爱岗星")
    ACHIEVEMENT = "achievement", _("业绩突出星")
    INNOVATION = "innovation", _("节约创新星")


@track_history()
class PointEntry(models.Model):  # points a member earned in a month, by category
    park = models.ForeignKey("orgs.Park", **PARK)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("党员"))
    month = models.DateField(_("月份"))
    category = models.CharField(_("类别"), max_length=16, choices=StarCategory.choices)
    points = models.SmallIntegerField(_("积分"))  # a reversal (reverses set) is the negative of what it reverses
    reason = models.CharField(_("事由"), max_length=200)
    # The attendance that earned it. A corrected or deleted meeting record reverses its points by a
    # new entry (reverses) and the attendance row goes: the entries stay, unlinked.
    attendance = models.ForeignKey("activities.Attendance", on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+")
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="reversed_by")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "assessment_pointentry"  # moved from assessment; the table keeps its name
        verbose_name = _("党员积分")
        verbose_name_plural = _("党员积分")
        indexes = [models.Index(fields=["park", "member", "month"], name="pointentry_park_member")]
        constraints = [
            # attendance earns once, however often it is recounted
            models.UniqueConstraint(fields=["park", "attendance"], condition=Q(attendance__isnull=False), name="pointentry_once_per_attendance"),
            models.UniqueConstraint(fields=["park", "reverses"], name="pointentry_reversed_once"),
            # points are earned (positive) or reversed (negative, naming what they reverse)
            models.CheckConstraint(condition=Q(points__gt=0, reverses__isnull=True) | Q(points__lt=0, reverses__isnull=False),
                                   name="pointentry_sign"),
        ]


class PointBalance(models.Model):  # what a member may spend in the points store; never below zero
    park = models.ForeignKey("orgs.Park", **PARK)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+")
    balance = models.IntegerField(default=0)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "assessment_pointbalance"  # moved from assessment; the table keeps its name
        verbose_name = _("积分余额")
        verbose_name_plural = _("积分余额")
        constraints = [
            models.UniqueConstraint(fields=["park", "member"], name="balance_one_per_member"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="balance_never_negative"),
        ]


@track_history()
class StoreItem(models.Model):  # 积分超市
    park = models.ForeignKey("orgs.Park", **PARK)
    name = models.CharField(_("物品"), max_length=100)
    cost = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "assessment_storeitem"  # moved from assessment; the table keeps its name
        verbose_name = _("积分超市物品")
        verbose_name_plural = _("积分超市物品")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="storeitem_unique_name")]

    def __str__(self):
        return self.name


@track_history()
class Redemption(models.Model):  # the store's ledger: one line a redemption
    park = models.ForeignKey("orgs.Park", **PARK)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+")
    item = models.ForeignKey(StoreItem, on_delete=models.PROTECT, db_index=False, related_name="+")
    points = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "assessment_redemption"  # moved from assessment; the table keeps its name
        verbose_name = _("兑换记录")
        verbose_name_plural = _("兑换记录")
        indexes = [models.Index(fields=["park", "member"], name="redemption_park_member")]


@track_history()
class MemberStar(models.Model):  # a star chosen for a member in a quarter
    park = models.ForeignKey("orgs.Park", **PARK)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=16, choices=StarCategory.choices)
    points = models.PositiveIntegerField()

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "assessment_memberstar"  # moved from assessment; the table keeps its name
        verbose_name = _("星级党员")
        verbose_name_plural = _("星级党员")
        constraints = [models.UniqueConstraint(fields=["park", "member", "year", "quarter", "category"], name="memberstar_once")]


@track_history()
class ActivistCard(models.Model):  # 入党积极分子积分卡: 100 points a quarter over four dimensions
    park = models.ForeignKey("orgs.Park", **PARK)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("积极分子"))
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    political = models.PositiveSmallIntegerField(_("政治思想"))
    discipline = models.PositiveSmallIntegerField(_("遵章守纪"))
    solidarity = models.PositiveSmallIntegerField(_("团结互助"))
    performance = models.PositiveSmallIntegerField(_("工作实绩"))
    published = models.BooleanField(_("已公示"), default=False)

    objects = ScopedManager(park="park")

    class Meta:
        db_table = "assessment_activistcard"  # moved from assessment; the table keeps its name
        verbose_name = _("积极分子积分卡")
        verbose_name_plural = _("积极分子积分卡")
        constraints = [
            models.UniqueConstraint(fields=["park", "member", "year", "quarter"], name="activistcard_once"),
            models.CheckConstraint(
                condition=Q(**{f"{name}__lte": CARD_DIMENSION_MAX for name in CARD_DIMENSIONS}),
                name="activistcard_25_each",
            ),
        ]

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in CARD_DIMENSIONS)
