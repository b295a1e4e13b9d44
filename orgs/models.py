"""The tenancy and organisation model: county → park (the tenant) → party organisations, enterprises."""

from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.history import track_history
from core.validators import validate_credit_code, validate_phone


class County(models.Model):  # 区县: holds many parks; its organisation department views them all
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Park(models.Model):  # 园区: the tenant
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="parks", verbose_name=_("所属区县"))
    code = models.SlugField(_("代码"), max_length=32, unique=True, help_text=_("用于网址和命令行，如 yutai"))
    name = models.CharField(_("名称"), max_length=64, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    import_row_limit = models.PositiveIntegerField(
        _("每次导入行数上限"), default=20_000, validators=[MinValueValidator(100), MaxValueValidator(200_000)],
        help_text=_("一个导入文件最多的数据行数；文件再大则分批导入"),
    )

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["county_id", "name"]

    def __str__(self):
        return self.name


@track_history()
class Zone(models.Model):  # 片区: a sub-park, e.g. 精细化工产业园
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    name = models.CharField(_("名称"), max_length=64)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("片区")
        verbose_name_plural = _("片区")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name"], name="zone_unique_name", violation_error_message=_("本园区已有同名片区。")
            )
        ]

    def __str__(self):
        return self.name


@track_history()
class Enterprise(models.Model):  # 企业台账: one row of the park's enterprise roster
    class Status(models.TextChoices):
        ACTIVE = "active", _("入驻")
        MOVED_OUT = "moved_out", _("迁出")

    class Ownership(models.TextChoices):  # 经济类型
        PRIVATE = "private", _("非公有制（民营）")
        FOREIGN = "foreign", _("外资（含港澳台）")
        STATE = "state", _("国有")
        COLLECTIVE = "collective", _("集体")
        SOCIAL = "social", _("社会组织")

    # 非公有制经济组织: whose branches' party workers the 红星津贴 is for.
    NON_PUBLIC = (Ownership.PRIVATE, Ownership.FOREIGN)

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, null=True, blank=True, db_index=False, verbose_name=_("所在片区")
    )
    name = models.CharField(_("企业名称"), max_length=128)
    ownership = models.CharField(_("经济类型"), max_length=16, choices=Ownership.choices, default=Ownership.PRIVATE)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_credit_code])
    industry = models.CharField(_("所属行业"), max_length=64, blank=True)
    employees = models.PositiveIntegerField(_("职工人数"), default=0)
    legal_representative = models.CharField(_("法定代表人"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[validate_phone])
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    moved_in_on = models.DateField(_("入驻日期"), null=True, blank=True)
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "credit_code"],
                name="enterprise_unique_credit_code",
                violation_error_message=_("本园区已有使用该统一社会信用代码的企业。"),
            ),
            models.CheckConstraint(
                condition=Q(status="active", moved_out_on__isnull=True) | Q(status="moved_out"),
                name="enterprise_active_not_moved_out",
                violation_error_message=_("状态为“入驻”的企业不能有迁出日期。"),
            ),
        ]
        indexes = [
            models.Index(fields=["park", "zone"], name="enterprise_park_zone"),
            models.Index(fields=["park", "status", "name"], name="enterprise_park_status_name"),
        ]

    def __str__(self):
        return self.name


@track_history()
class Organisation(models.Model):  # 党组织: one node of the park's party organisation tree
    class Kind(models.TextChoices):
        WORK_COMMITTEE = "work_committee", _("党工委")
        COMPREHENSIVE_COMMITTEE = "comprehensive_committee", _("综合党委")
        REGIONAL_COMMITTEE = "regional_committee", _("区域党委")
        ENTERPRISE_COMMITTEE = "enterprise_committee", _("企业党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")
        GROUP = "group", _("党小组")

    class Formation(models.TextChoices):  # 组建方式
        SINGLE = "single", _("单独组建")
        JOINT = "joint", _("联合组建")
        ATTACHED = "attached", _("挂靠组建")
        TEMPORARY = "temporary", _("临时党支部")
        FALLBACK = "fallback", _("兜底")

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="children",
        verbose_name=_("上级党组织"),
    )
    name = models.CharField(_("党组织名称"), max_length=128)
    kind = models.CharField(_("组织类型"), max_length=32, choices=Kind.choices, default=Kind.BRANCH)
    formation = models.CharField(_("组建方式"), max_length=16, choices=Formation.choices, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    ends_on = models.DateField(_("终止日期"), null=True, blank=True, help_text=_("临时党支部必填"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    # The current term's election (支委会, or the secretary where there is none): 换届 is due when
    # the term ends (支部工作条例 ch. 6; orgs.rules.TERM_YEARS).
    elected_on = models.DateField(_("本届选举日期"), null=True, blank=True)
    secretary_name = models.CharField(_("书记"), max_length=32, blank=True)
    secretary_phone = models.CharField(_("书记电话"), max_length=32, blank=True, validators=[validate_phone])
    enterprises = models.ManyToManyField(
        Enterprise, through="Coverage", related_name="organisations", blank=True, verbose_name=_("所在单位")
    )

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name"], name="organisation_unique_name", violation_error_message=_("本园区已有同名党组织。")
            ),
            # One top committee per park: the root every default parent points to.
            models.UniqueConstraint(
                fields=["park"],
                condition=Q(kind="work_committee"),
                name="organisation_one_work_committee",
                violation_error_message=_("每个园区只能有一个党工委。"),
            ),
            models.CheckConstraint(
                condition=~Q(formation="temporary") | Q(ends_on__isnull=False),
                name="organisation_temporary_has_end",
                violation_error_message=_("临时党支部必须填写终止日期。"),
            ),
        ]
        indexes = [models.Index(fields=["park", "parent"], name="organisation_park_parent")]

    def __str__(self):
        return self.name

    def is_active_on(self, day) -> bool:
        return active_on(self.founded_on, self.dissolved_on, self.ends_on, day)

    @property
    def is_branch_level(self) -> bool:
        return self.kind in BRANCH_LEVEL


def active_on(founded_on, dissolved_on, ends_on, day) -> bool:
    """orgs.selectors.organisation_active_q, read on one organisation's dates: founded, not
    dissolved, a temporary one not ended."""
    return ((founded_on is None or founded_on <= day)
            and (dissolved_on is None or dissolved_on > day)
            and (ends_on is None or ends_on >= day))


BRANCH_LEVEL = (Organisation.Kind.BRANCH, Organisation.Kind.GENERAL_BRANCH)


class OrganisationRow(NamedTuple):
    """An organisation as the rules read it (members.checks, the meetings owed), without a model
    instance: the county dashboards read the trees of every park at once, thousands of rows, and
    a model instance costs twice the row. Same attribute names as the model, same rules
    (orgs.selectors.organisation_rows reads them)."""

    pk: int
    park_id: int
    parent_id: int | None
    name: str
    kind: str
    formation: str
    founded_on: date | None
    ends_on: date | None
    dissolved_on: date | None
    elected_on: date | None

    def is_active_on(self, day) -> bool:
        return active_on(self.founded_on, self.dissolved_on, self.ends_on, day)

    @property
    def is_branch_level(self) -> bool:
        return self.kind in BRANCH_LEVEL


@track_history()
class Coverage(models.Model):  # which enterprises a party organisation covers (a joint branch: several)
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, db_index=False)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党组织覆盖单位")
        verbose_name_plural = _("党组织覆盖单位")
        constraints = [
            models.UniqueConstraint(fields=["park", "organisation", "enterprise"], name="coverage_unique"),
        ]
        indexes = [models.Index(fields=["park", "enterprise"], name="coverage_park_enterprise")]

    def __str__(self):
        return f"{self.organisation_id} → {self.enterprise_id}"


@track_history()
class Instructor(models.Model):  # 党建工作指导员: visits the enterprises assigned to them
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="instructor_profiles",
        verbose_name=_("登录账号"),
    )
    name = models.CharField(_("姓名"), max_length=32)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[validate_phone])
    unit = models.CharField(_("派出单位"), max_length=128, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党建工作指导员")
        verbose_name_plural = _("党建工作指导员")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "user"],
                condition=Q(user__isnull=False),
                name="instructor_unique_user",
                violation_error_message=_("该账号已是本园区的指导员。"),
            ),
        ]

    def __str__(self):
        return self.name


@track_history()
class InstructorAssignment(models.Model):  # an instructor assigned to an enterprise, with dates
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="+")
    instructor = models.ForeignKey(
        Instructor, on_delete=models.CASCADE, db_index=False, related_name="assignments", verbose_name=_("指导员")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, db_index=False, related_name="instructor_assignments", verbose_name=_("企业")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("指导员联系企业")
        verbose_name_plural = _("指导员联系企业")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            # An instructor holds an enterprise once at a time: at most one open assignment.
            models.UniqueConstraint(
                fields=["park", "instructor", "enterprise"],
                condition=Q(ends_on__isnull=True),
                name="assignment_one_open",
                violation_error_message=_("该指导员已在联系这家企业。"),
            ),
        ]
        indexes = [
            models.Index(fields=["park", "enterprise"], name="assignment_park_enterprise"),
            models.Index(fields=["park", "instructor"], name="assignment_park_instructor"),
        ]

    def __str__(self):
        return f"{self.instructor} → {self.enterprise}"
