"""Services to enterprises. 红色代办: an enterprise's demand (诉求), dispatched to a department,
handled, and closed when the enterprise confirms — each move an event on its timeline."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.history import track_history
from core.uploads import StoredFile

PARK = dict(on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))

DEFAULT_CATEGORIES = ["政策咨询", "用工招聘", "融资贷款", "审批办证", "基础设施", "安全环保", "其他"]


def default_categories() -> list[str]:
    return list(DEFAULT_CATEGORIES)


@track_history()
class ServiceSettings(models.Model):
    """A park's 红色代办 practice: its demand categories and the days that colour a demand."""

    park = models.OneToOneField("orgs.Park", on_delete=models.CASCADE, related_name="service_settings", verbose_name=_("园区"))
    categories = models.JSONField(_("诉求类别"), default=default_categories)
    due_soon_days = models.PositiveSmallIntegerField(_("临期提醒天数（蓝色）"), default=3)
    red_after_days = models.PositiveSmallIntegerField(_("逾期多少天标红"), default=7)
    default_due_days = models.PositiveSmallIntegerField(_("派单默认办理天数"), default=15)
    visits_per_quarter = models.PositiveSmallIntegerField(_("指导员每季度走访每家企业次数"), default=1)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("红色代办设置")
        verbose_name_plural = _("红色代办设置")

    def __str__(self):
        return str(self.park)


@track_history()
class Department(models.Model):  # 承办部门: where the park sends demands
    park = models.ForeignKey("orgs.Park", **PARK)
    name = models.CharField(_("部门名称"), max_length=64)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    # The department's own account (role 承办部门), which sees and handles what is sent to it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+",
        verbose_name=_("承办账号"),
    )
    is_active = models.BooleanField(_("在用"), default=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("承办部门")
        verbose_name_plural = _("承办部门")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="department_unique_name")]
        indexes = [models.Index(fields=["park", "user"], name="department_park_user")]

    def __str__(self):
        return self.name


@track_history()
class Demand(models.Model):  # 诉求
    class State(models.TextChoices):
        RAISED = "raised", _("待派单")
        DISPATCHED = "dispatched", _("已派单")
        IN_PROGRESS = "in_progress", _("办理中")
        RESOLVED = "resolved", _("已办结待确认")
        RETURNED = "returned", _("退回重办")
        CLOSED = "closed", _("已销号")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")

    park = models.ForeignKey("orgs.Park", **PARK)
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("企业"))
    category = models.CharField(_("类别"), max_length=32)
    description = models.TextField(_("诉求内容"))
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    contact_name = models.CharField(_("企业联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.RAISED)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="demands", verbose_name=_("承办部门"))
    due_on = models.DateField(_("办理时限"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+", verbose_name=_("提出人"))
    raised_at = models.DateTimeField(_("提出时间"))
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    escalated_on = models.DateField(_("督办日期"), null=True, blank=True)
    listed_on = models.DateField(_("列入月度例会"), null=True, blank=True)  # the meeting month whose work list carries it

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["park", "state", "due_on"], name="demand_park_state_due"),
            models.Index(fields=["park", "department", "state"], name="demand_park_department"),
            models.Index(fields=["park", "enterprise"], name="demand_park_enterprise"),
            models.Index(fields=["park", "raised_at"], name="demand_park_raised"),
        ]

    def __str__(self):
        return f"{self.enterprise}：{self.category}"


class DemandEvent(models.Model):  # one move on a demand's timeline: who, when, from → to, note
    park = models.ForeignKey("orgs.Park", **PARK)
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, db_index=False, related_name="events")
    action = models.CharField(_("办理环节"), max_length=16)
    from_state = models.CharField(_("原状态"), max_length=16, choices=Demand.State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=Demand.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["park", "demand", "at"], name="demandevent_park_demand")]


class DemandAttachment(StoredFile):
    park = models.ForeignKey("orgs.Park", **PARK)
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, db_index=False, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="demands/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")
        indexes = [models.Index(fields=["park", "demand"], name="demandattachment_park_demand")]

    def __str__(self):
        return self.name


# --- 通知公告 ---------------------------------------------------------------------------------------
@track_history()
class Notice(models.Model):
    """A notice from the park office to branches or roles, with an optional reply form."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("会议通知")
        REQUEST = "request", _("信息征集")
        TASK = "task", _("工作部署")

    class Audience(models.TextChoices):
        ALL_BRANCHES = "all_branches", _("全部党支部")
        BRANCHES = "branches", _("选定的党支部")
        ROLES = "roles", _("选定的角色")

    park = models.ForeignKey("orgs.Park", **PARK)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    audience = models.CharField(_("发送对象"), max_length=16, choices=Audience.choices, default=Audience.ALL_BRANCHES)
    reply_due = models.DateField(_("回复截止"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    published_at = models.DateTimeField(_("发布时间"))

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["park", "-published_at"], name="notice_park_published")]

    def __str__(self):
        return self.title


@track_history()
class NoticeField(models.Model):  # one typed field of a notice's reply form
    class Kind(models.TextChoices):
        TEXT = "text", _("文字")
        NUMBER = "number", _("数字")
        DATE = "date", _("日期")
        CHOICE = "choice", _("选项")
        FILE = "file", _("文件")

    park = models.ForeignKey("orgs.Park", **PARK)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, db_index=False, related_name="fields")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    options = models.JSONField(_("选项"), default=list, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("回执栏目")
        verbose_name_plural = _("回执栏目")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["park", "notice", "position"], name="noticefield_position")]


@track_history()
class NoticeRecipient(models.Model):
    """Who a notice went to — a branch (read and answered by its secretaries) or a user — with the
    first time it was read and the reply."""

    park = models.ForeignKey("orgs.Park", **PARK)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, db_index=False, related_name="recipients")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="+")
    first_read_at = models.DateTimeField(_("首次阅读"), null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+")
    answers = models.JSONField(_("回复内容"), default=dict, blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("通知接收方")
        verbose_name_plural = _("通知接收方")
        indexes = [
            models.Index(fields=["park", "notice"], name="noticerecipient_park_notice"),
            models.Index(fields=["park", "branch"], name="noticerecipient_park_branch"),
            models.Index(fields=["park", "user"], name="noticerecipient_park_user"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(branch__isnull=False) | models.Q(user__isnull=False), name="noticerecipient_someone"),
            models.UniqueConstraint(fields=["park", "notice", "branch"], condition=models.Q(branch__isnull=False), name="noticerecipient_branch_once"),
            models.UniqueConstraint(fields=["park", "notice", "user"], condition=models.Q(user__isnull=False), name="noticerecipient_user_once"),
        ]


class NoticeFile(StoredFile):  # a file of a notice (recipient null) or of a reply's file field
    park = models.ForeignKey("orgs.Park", **PARK)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, db_index=False, related_name="files")
    recipient = models.ForeignKey(NoticeRecipient, on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="files")
    field = models.ForeignKey(NoticeField, on_delete=models.CASCADE, null=True, blank=True, db_index=False, related_name="+")
    file = models.FileField(_("文件"), upload_to="notices/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("通知文件")
        verbose_name_plural = _("通知文件")
        indexes = [models.Index(fields=["park", "notice", "recipient"], name="noticefile_park_notice")]


# --- 惠企政策 ---------------------------------------------------------------------------------------
@track_history()
class Policy(models.Model):
    """A policy of the library: searchable in Chinese by the words of its title and text."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家")
        PROVINCIAL = "provincial", _("省")
        MUNICIPAL = "municipal", _("市")
        COUNTY = "county", _("县")
        PARK = "park", _("园区")

    park = models.ForeignKey("orgs.Park", **PARK)
    title = models.CharField(_("政策名称"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=100, blank=True)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices, default=Level.MUNICIPAL)
    category = models.CharField(_("类别"), max_length=32, blank=True)
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("以顿号或逗号分隔"))
    body = models.TextField(_("政策全文"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    repealed = models.BooleanField(_("已废止"), default=False)
    # jieba's words of the title (weight A) and of the tags and text (B), kept by services.policies.
    search = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["park", "-issued_on"], name="policy_park_issued"),
            # A GIN index cannot lead with park_id without btree_gin, which the embedded server lacks;
            # a search always filters the park too (tests/tenancy names this one exception).
            GinIndex(fields=["search"], name="policy_search_gin"),
        ]
        constraints = [models.UniqueConstraint(fields=["park", "title"], name="policy_unique_title")]

    def __str__(self):
        return self.title


class PolicyFile(StoredFile):
    park = models.ForeignKey("orgs.Park", **PARK)
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, db_index=False, related_name="files")
    file = models.FileField(_("文件"), upload_to="policies/%Y/")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("政策附件")
        verbose_name_plural = _("政策附件")
        indexes = [models.Index(fields=["park", "policy"], name="policyfile_park_policy")]


@track_history()
class PolicyBundle(models.Model):  # 政策大礼包: a named, ordered list of policies sent to enterprises
    park = models.ForeignKey("orgs.Park", **PARK)
    name = models.CharField(_("名称"), max_length=100)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    policies = models.ManyToManyField(Policy, through="PolicyBundleItem", related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("政策大礼包")
        verbose_name_plural = _("政策大礼包")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="policybundle_unique_name")]

    def __str__(self):
        return self.name


@track_history()
class PolicyBundleItem(models.Model):
    park = models.ForeignKey("orgs.Park", **PARK)
    bundle = models.ForeignKey(PolicyBundle, on_delete=models.CASCADE, db_index=False, related_name="items")
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, db_index=False, related_name="+")
    position = models.PositiveSmallIntegerField()

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("礼包政策")
        verbose_name_plural = _("礼包政策")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["park", "bundle", "policy"], name="bundleitem_once")]


@track_history()
class DemandPolicy(models.Model):
    """A library policy cited by the demand's current resolution; each 办结 event's note keeps the titles
    cited then, so a resolution after a 退回 replaces these rows but not the timeline."""

    park = models.ForeignKey("orgs.Park", **PARK)
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, db_index=False, related_name="cited_policies")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, db_index=False, related_name="+")
    position = models.PositiveSmallIntegerField()

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("办结所附政策")
        verbose_name_plural = _("办结所附政策")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["park", "demand", "policy"], name="demandpolicy_once")]


# --- 走访 -------------------------------------------------------------------------------------------
@track_history()
class Visit(models.Model):
    """An instructor's visit to an enterprise assigned to them; a problem found may become a demand."""

    park = models.ForeignKey("orgs.Park", **PARK)
    instructor = models.ForeignKey("orgs.Instructor", on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("指导员"))
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("企业"))
    visited_on = models.DateField(_("走访日期"))
    met = models.CharField(_("会见人员"), max_length=100)
    topics = models.TextField(_("走访内容"))
    problems = models.TextField(_("发现的问题"), blank=True)
    demand = models.ForeignKey(Demand, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("转为诉求"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["park", "instructor", "visited_on"], name="visit_park_instructor"),
            models.Index(fields=["park", "enterprise", "visited_on"], name="visit_park_enterprise"),
        ]
