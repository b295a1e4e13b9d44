"""One roster import: the file as uploaded, what its preview showed, and whether it was applied."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISES = "enterprises", _("企业台账")
        BRANCHES = "branches", _("党组织")
        MEMBERS = "members", _("党员花名册")
        POLICIES = "policies", _("惠企政策")
        DEVELOPMENT = "development", _("发展党员台账")
        DUES_BASES = "dues_bases", _("党费基数")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("已预览")
        APPLIED = "applied", _("已导入")
        REJECTED = "rejected", _("有错误")
        FAILED = "failed", _("导入失败")  # the write broke off (the database went away): nothing written, can be retried

    park = models.ForeignKey("orgs.Park", on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    kind = models.CharField(_("台账类型"), max_length=16, choices=Kind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    # The upload, encrypted (it holds ID numbers), kept until applied: confirming re-reads exactly it.
    data = models.BinaryField(_("文件内容"), null=True, editable=False)
    digest = models.CharField(_("预览指纹"), max_length=64, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    objects = ScopedManager(park="park")

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["park", "-created_at"], name="importjob_park_created")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"
