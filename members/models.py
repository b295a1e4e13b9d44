"""Party members (and those on the way to membership) of a park's organisations."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.crypto import decrypt_id
from core.history import track_history
from core.uploads import StoredFile
from core.validators import mask_id_number, validate_mobile


@track_history()
class Member(models.Model):  # 党员 (and 入党申请人 … 预备党员 on the way)
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Stage(models.TextChoices):  # 发展阶段, in order
        APPLICANT = "applicant", _("入党申请人")
        ACTIVIST = "activist", _("入党积极分子")
        CANDIDATE = "candidate", _("发展对象")
        PROBATIONARY = "probationary", _("预备党员")
        FULL = "full", _("正式党员")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        MOBILE = "mobile", _("流动")
        TRANSFERRED_OUT = "transferred_out", _("转出")
        SUSPENDED = "suspended", _("停止党籍")
        DECEASED = "deceased", _("去世")

    # Members the branch counts: on its roll, here or away (流动党员 stay members of their branch).
    ON_ROLL = (Status.ACTIVE, Status.MOBILE)
    # 党员: 预备党员 and 正式党员 (the earlier stages are on the way to membership).
    PARTY_STAGES = (Stage.PROBATIONARY, Stage.FULL)

    class Post(models.TextChoices):  # 党内职务
        SECRETARY = "secretary", _("书记")
        DEPUTY = "deputy", _("副书记")
        COMMITTEE = "committee", _("委员")

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", _("研究生")
        BACHELOR = "bachelor", _("大学本科")
        COLLEGE = "college", _("大学专科")
        SECONDARY = "secondary", _("中专")
        HIGH_SCHOOL = "high_school", _("高中")
        JUNIOR = "junior", _("初中及以下")

    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    branch = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, db_index=False, related_name="members", verbose_name=_("所在党支部")
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="members",
        verbose_name=_("工作单位"),
    )
    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=16, default="汉族")
    # 身份证号: never stored in clear; see services/crypto.py.
    id_cipher = models.TextField(_("身份证号（密文）"), editable=False)
    id_hash = models.CharField(_("身份证号（检索码）"), max_length=64, editable=False)
    # The last four as a keyed hash (core.crypto.id_tail_hash): pickers find a member by them.
    id_tail_hash = models.CharField(_("身份证号后四位（检索码）"), max_length=64, editable=False, blank=True, default="")
    birth_date = models.DateField(_("出生日期"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_mobile])
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    stage = models.CharField(_("党员类别"), max_length=16, choices=Stage.choices, default=Stage.FULL)
    applied_on = models.DateField(_("申请入党日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True, help_text=_("支部大会接收为预备党员之日"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    post = models.CharField(_("党内职务"), max_length=16, choices=Post.choices, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "id_hash"], name="member_unique_id", violation_error_message=_("本园区已有该身份证号的人员。")
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=["probationary", "full"]) | Q(joined_on__isnull=False),
                name="member_joined_has_date",
                violation_error_message=_("预备党员和正式党员须填写入党日期。"),
            ),
        ]
        indexes = [
            models.Index(fields=["park", "branch"], name="member_park_branch"),
            models.Index(fields=["park", "enterprise"], name="member_park_enterprise"),
            models.Index(fields=["park", "stage", "status"], name="member_park_stage_status"),
            models.Index(fields=["park", "name"], name="member_park_name"),
            models.Index(fields=["park", "id_tail_hash"], name="member_park_id_tail"),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number(self) -> str:
        return decrypt_id(self.id_cipher)

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)


@track_history()
class MemberTransfer(models.Model):  # 组织关系转接: in from outside, out of the park, or between branches
    class Kind(models.TextChoices):
        IN = "in", _("转入")
        OUT = "out", _("转出")
        WITHIN = "within", _("园区内转接")

    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, db_index=False, related_name="transfers")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    on = models.DateField(_("转接日期"))
    from_branch = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+",
        verbose_name=_("原党支部"),
    )
    to_branch = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+",
        verbose_name=_("转入党支部"),
    )
    external_organisation = models.CharField(_("园区外党组织"), max_length=128, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["park", "member", "on"], name="transfer_park_member")]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.on}"


@track_history()
class PostTerm(models.Model):  # who held a post in a branch, and when: pays the 红星津贴 pro rata
    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, db_index=False, related_name="post_terms")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, db_index=False, related_name="+")
    post = models.CharField(_("党内职务"), max_length=16, choices=Member.Post.choices)
    # None: held since before the platform's records began (an imported roster's posts).
    started_on = models.DateField(_("任职日期"), null=True, blank=True)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["park", "branch", "post"], name="postterm_park_branch_post")]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "member", "branch", "post"], condition=Q(ended_on__isnull=True), name="postterm_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_post_display()}"


@track_history()
class StatusChange(models.Model):  # 在册 ↔ 流动, 停止党籍, 去世: each change a record, never an edit
    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, db_index=False, related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=16, choices=Member.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Member.Status.choices)
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("党员状态变更")
        verbose_name_plural = _("党员状态变更")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["park", "member", "on"], name="statuschange_park_member")]


@track_history()
class ProbationExtension(models.Model):
    """延长预备期: the branch meeting's decision, once, by 6 to 12 months (发展党员工作细则 Art. 32)."""

    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, db_index=False, related_name="+")
    decided_on = models.DateField(_("支部大会决定日期"))
    months = models.PositiveSmallIntegerField(_("延长月数"))
    reason = models.CharField(_("延长原因"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("延长预备期")
        verbose_name_plural = _("延长预备期")
        constraints = [
            models.UniqueConstraint(fields=["park", "member"], name="probation_extended_once"),
            models.CheckConstraint(condition=Q(months__gte=6, months__lte=12), name="probation_extension_6_12"),
        ]


@track_history()
class DevelopmentStep(models.Model):
    """One step of the 发展党员 procedure done for a person (members.development.STEPS), with its date
    and the paper it produced; recorded once, corrected by the park office with a reason (audited)."""

    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, db_index=False, related_name="+")
    step = models.CharField(_("步骤"), max_length=24)
    on = models.DateField(_("日期"))
    document = models.CharField(_("材料或文号"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("发展党员步骤")
        verbose_name_plural = _("发展党员步骤")
        constraints = [models.UniqueConstraint(fields=["park", "member", "step"], name="development_step_once")]


class Holiday(models.Model):
    """The working-day calendar (national data, not a park's): a public holiday off, or a weekend
    day worked in exchange (调休). Loaded from the State Council's yearly notice; the platform admin
    corrects it in the admin site."""

    day = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=20)
    workday = models.BooleanField(_("调休上班"), default=False)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {self.name}{'（上班）' if self.workday else ''}"


@track_history()
class DevelopmentSettings(models.Model):
    """A park's 发展党员 practice: how many working days a development target is publicised (公示)."""

    park = models.OneToOneField("orgs.Park", on_delete=models.CASCADE, related_name="development_settings", verbose_name=_("园区"))
    publicity_days = models.PositiveSmallIntegerField(
        _("公示工作日数"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("发展对象公示的工作日数（各省通行 5 个工作日），1 至 30"),
    )

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("发展党员设置")
        verbose_name_plural = _("发展党员设置")


class DocumentTemplate(StoredFile):
    """A park's own Word template for one 发展党员 document (members.documents.PAPERS), replacing the
    built-in one; the latest uploaded is used."""

    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书"), max_length=24)
    file = models.FileField(_("文件"), upload_to="templates/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        indexes = [models.Index(fields=["park", "kind", "-uploaded_at"], name="doctemplate_park_kind")]
